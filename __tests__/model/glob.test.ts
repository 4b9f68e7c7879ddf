import { compileGlob, type PathMatcher } from '../../src/model/glob.js';

const matcher = (pattern: string) => compileGlob(pattern) as PathMatcher;

describe('exclude globs', () => {
  it('match a name at any depth when the pattern has no slash', () => {
    expect(matcher('*.json')('renovate.json')).toBe(true);
    expect(matcher('*.json')('sub/dir/config.json')).toBe(true);
    expect(matcher('*.json')('config.yaml')).toBe(false);
  });

  it('match the path relative to the environment when it has one', () => {
    expect(matcher('tests/*')('tests/pod.yaml')).toBe(true);
    expect(matcher('tests/*')('tests/deep/pod.yaml')).toBe(false);
    expect(matcher('tests/**')('tests/deep/pod.yaml')).toBe(true);
    expect(matcher('**/secret-*.yaml')('a/b/secret-db.yaml')).toBe(true);
    expect(matcher('**/secret-*.yaml')('secret-db.yaml')).toBe(true);
    expect(matcher('other/tests/*')('tests/pod.yaml')).toBe(false);
  });

  it('understand braces, classes and ?, and escape the rest', () => {
    expect(matcher('{config.json,env-usw2/*}')('env-usw2/x.yaml')).toBe(true);
    expect(matcher('{config.json,env-usw2/*}')('config.json')).toBe(true);
    expect(matcher('v[12].yaml')('v2.yaml')).toBe(true);
    expect(matcher('v[!12].yaml')('v2.yaml')).toBe(false);
    expect(matcher('a?.yaml')('ab.yaml')).toBe(true);
    expect(matcher('a.yaml')('abyaml')).toBe(false);
  });

  it('say what is wrong with a broken pattern', () => {
    expect(compileGlob('{a,b')).toBe('"{a,b" is not a valid glob (check its brackets and braces)');
    expect(compileGlob('[ab')).toBe('"[ab" is not a valid glob (check its brackets and braces)');
    expect(compileGlob('')).toBe('an empty pattern matches nothing');
  });
});

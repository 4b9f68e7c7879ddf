import { proxyPasswords } from '../../src/github/proxy.js';

describe('proxyPasswords', () => {
  it('finds the password of each proxy variable, as written and decoded', () => {
    expect(
      proxyPasswords({
        https_proxy: 'http://ci:p%40ss@proxy.internal:3128',
        HTTP_PROXY: 'proxy.internal:3128',
        http_proxy: 'user:plain-secret@proxy.internal:8080',
      }).sort(),
    ).toEqual(['p%40ss', 'p@ss', 'plain-secret']);
  });

  it('finds none without credentials, without variables, or in a value that is no URL', () => {
    expect(proxyPasswords({ https_proxy: 'http://proxy.internal:3128', NO_PROXY: 'user:pw@x' })).toEqual([]);
    expect(proxyPasswords({ https_proxy: 'http://[bad' })).toEqual([]);
    expect(proxyPasswords({})).toEqual([]);
  });
});

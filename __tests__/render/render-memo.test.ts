/**
 * One render per tree and environment in a run (render/render-memo.ts): the key is the tree a
 * ref names, not the ref; a checkout that is not exactly its HEAD is never shared; every caller
 * gets its own copy; a failed render is tried again.
 */
import type { EnvironmentConfig } from '../../src/config/types.js';
import { RenderMemo, type TreeIdentity } from '../../src/render/render-memo.js';
import type { RenderResult } from '../../src/render/render.js';

const env = (name: string, path = `envs/${name}`) => ({ name, path }) as unknown as EnvironmentConfig;

class Trees implements TreeIdentity {
  refs = new Map<string, string>([['HEAD', 'tree-a'], ['main', 'tree-a'], ['base', 'tree-b']]);
  checkout: string | undefined = 'tree-a';
  treeOf(ref: string) {
    const tree = this.refs.get(ref);
    return tree ? Promise.resolve(tree) : Promise.reject(new Error(`no ref ${ref}`));
  }
  checkoutTree() {
    return Promise.resolve(this.checkout);
  }
}

function counter() {
  const calls: string[] = [];
  const render = (name: string) => () => {
    calls.push(name);
    const result: RenderResult = {
      environment: name,
      engine: 'kustomize',
      objects: [{ object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'flags', labels: { a: '1' } } }, source: { file: 'base/cm.yaml', line: 1, column: 1 } }],
      findings: [{ severity: 'warning', rule: 'r', message: 'm', file: 'base/cm.yaml', environment: name }],
    };
    return Promise.resolve(result);
  };
  return { calls, render };
}

describe('RenderMemo', () => {
  it('renders a tree once per environment, whichever ref or the checkout names it', async () => {
    const trees = new Trees();
    const memo = new RenderMemo(trees);
    const { calls, render } = counter();
    await memo.render(env('dev'), 'HEAD', render('dev'));
    await memo.render(env('dev'), 'main', render('dev'));
    await memo.render(env('dev'), undefined, render('dev'));
    expect(calls).toEqual(['dev']);
    await memo.render(env('staging'), 'HEAD', render('staging'));
    await memo.render(env('dev'), 'base', render('dev'));
    expect(calls).toEqual(['dev', 'staging', 'dev']);
  });

  it('follows a ref that moved: the new tree is rendered', async () => {
    const trees = new Trees();
    const memo = new RenderMemo(trees);
    const { calls, render } = counter();
    await memo.render(env('dev'), 'HEAD', render('dev'));
    trees.refs.set('HEAD', 'tree-c');
    trees.checkout = 'tree-c';
    await memo.render(env('dev'), 'HEAD', render('dev'));
    await memo.render(env('dev'), undefined, render('dev'));
    expect(calls).toEqual(['dev', 'dev']);
  });

  it('a checkout that is not exactly its HEAD is rendered every time', async () => {
    const trees = new Trees();
    trees.checkout = undefined;
    const memo = new RenderMemo(trees);
    const { calls, render } = counter();
    await memo.render(env('dev'), undefined, render('dev'));
    await memo.render(env('dev'), undefined, render('dev'));
    await memo.render(env('dev'), 'HEAD', render('dev'));
    await memo.render(env('dev'), undefined, render('dev'));
    expect(calls).toEqual(['dev', 'dev', 'dev', 'dev']);
  });

  it('an environment whose settings differ is another render', async () => {
    const memo = new RenderMemo(new Trees());
    const { calls, render } = counter();
    await memo.render(env('dev', 'envs/dev'), 'HEAD', render('dev'));
    await memo.render(env('dev', 'envs/dev-v2'), 'HEAD', render('dev'));
    expect(calls).toEqual(['dev', 'dev']);
  });

  it('each caller gets its own copy: a change to one answer is not seen by the next', async () => {
    const memo = new RenderMemo(new Trees());
    const { render } = counter();
    const first = await memo.render(env('dev'), 'HEAD', render('dev'));
    first.objects[0]!.object.metadata.labels!.a = 'changed';
    first.objects[0]!.object.metadata.namespace = 'dev';
    first.objects[0]!.source!.line = 99;
    first.findings[0]!.message = 'changed';
    first.objects.push(first.objects[0]!);
    const second = await memo.render(env('dev'), 'HEAD', render('dev'));
    expect(second.objects).toHaveLength(1);
    expect(second.objects[0]!.object.metadata).toEqual({ name: 'flags', labels: { a: '1' } });
    expect(second.objects[0]!.source!.line).toBe(1);
    expect(second.findings[0]!.message).toBe('m');
  });

  it('renders asked for at once share one render', async () => {
    const memo = new RenderMemo(new Trees());
    const { calls, render } = counter();
    await Promise.all([memo.render(env('dev'), 'HEAD', render('dev')), memo.render(env('dev'), 'main', render('dev'))]);
    expect(calls).toEqual(['dev']);
  });

  it('a render that failed is tried again, and a ref that names nothing fails as it would unshared', async () => {
    const memo = new RenderMemo(new Trees());
    let attempts = 0;
    const flaky = () => (++attempts === 1 ? Promise.reject(new Error('kubectl was stopped')) : counter().render('dev')());
    await expect(memo.render(env('dev'), 'HEAD', flaky)).rejects.toThrow('kubectl was stopped');
    await expect(memo.render(env('dev'), 'HEAD', flaky)).resolves.toMatchObject({ environment: 'dev' });
    expect(attempts).toBe(2);
    await expect(memo.render(env('dev'), 'nope', flaky)).rejects.toThrow('no ref nope');
  });
});

describe('RenderMemo builds', () => {
  const output = (level: string, severity: 'warning' | 'error' = 'warning') => ({
    objects: [{ object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'flags' }, data: { LEVEL: level } } }],
    findings: [{ severity, rule: 'r', message: level, file: 'envs/dev' }],
  });

  it('runs a build once per key, each caller with its own objects', async () => {
    const memo = new RenderMemo(new Trees());
    let builds = 0;
    const build = () => {
      builds++;
      return Promise.resolve(output('info'));
    };
    const [first, second] = await Promise.all([memo.build('inputs-a', build), memo.build('inputs-a', build)]);
    expect(builds).toBe(1);
    first.objects[0]!.object.data = { LEVEL: 'changed' };
    first.findings[0]!.message = 'changed';
    expect(second.objects[0]!.object.data).toEqual({ LEVEL: 'info' });
    expect((await memo.build('inputs-a', build)).findings[0]!.message).toBe('info');
    await memo.build('inputs-b', build);
    expect(builds).toBe(2);
    memo.clear();
    await memo.build('inputs-a', build);
    expect(builds).toBe(3);
  });

  it('builds again after a build that failed or reported an error', async () => {
    const memo = new RenderMemo(new Trees());
    const attempts: string[] = [];
    await expect(memo.build('k', () => (attempts.push('throws'), Promise.reject(new Error('kubectl missing'))))).rejects.toThrow('kubectl missing');
    await memo.build('k', () => (attempts.push('error finding'), Promise.resolve(output('broken', 'error'))));
    expect((await memo.build('k', () => (attempts.push('ok'), Promise.resolve(output('info'))))).findings[0]!.message).toBe('info');
    await memo.build('k', () => (attempts.push('not run'), Promise.resolve(output('again'))));
    expect(attempts).toEqual(['throws', 'error finding', 'ok']);
  });
});

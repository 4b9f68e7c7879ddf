import { renderRunOptions } from '../../src/render/limits.js';
import { renderEnvironment } from '../../src/render/render.js';
import { CommandError, type CommandRunner } from '../../src/exec/run.js';
import { DEFAULT_POLICIES } from '../../src/config/load.js';
import { resolve } from 'node:path';

describe('renderer limits', () => {
  it('follow the machine: half its memory, at most 4 GiB, with a lower soft limit for Go', () => {
    expect(renderRunOptions({}, 2 * 1024 ** 3)).toEqual({ timeoutMs: 300_000, maxMemoryBytes: 1024 ** 3, env: { GOMEMLIMIT: String(0.75 * 1024 ** 3) } });
    expect(renderRunOptions({ KUBECONFIG: '/dev/null' }, 64 * 1024 ** 3)).toMatchObject({ maxMemoryBytes: 4 * 1024 ** 3, env: { KUBECONFIG: '/dev/null' } });
  });

  it('are passed to every renderer, and a renderer stopped by them fails its environment with what to do', async () => {
    const seen: Array<{ command: string; maxMemoryBytes?: number; timeoutMs?: number }> = [];
    const runner: CommandRunner = {
      run(command, args, options = {}) {
        seen.push({ command, maxMemoryBytes: options.maxMemoryBytes, timeoutMs: options.timeoutMs });
        return Promise.reject(new CommandError(command, args, -1, '', 'used more than 2048 MiB of memory and was stopped', true));
      },
    };
    const env = {
      name: 'dev', path: 'envs/dev', promotion: 'commit' as const, kubernetesVersion: '1.33', strict: false,
      prune: { enabled: true, maxShare: 0.5 }, wait: { enabled: true, timeoutMs: 300_000 }, forceConflicts: true, heal: false,
      helm: { valuesFiles: [] }, policies: DEFAULT_POLICIES, promotionLabels: [],
    };
    for (const fixture of ['kustomize', 'helm']) {
      const result = await renderEnvironment(env, { root: resolve('__tests__/fixtures/render', fixture) }, { runner });
      expect(result.objects).toEqual([]);
      expect(result.findings).toEqual([expect.objectContaining({ severity: 'error', rule: 'render-failed', file: 'envs/dev' })]);
      expect(result.findings[0]!.message).toMatch(/used more than 2048 MiB of memory and was stopped[\s\S]*too large .* to render within the limits/);
    }
    expect(seen.length).toBeGreaterThanOrEqual(2);
    for (const call of seen) expect(call).toMatchObject({ maxMemoryBytes: expect.any(Number), timeoutMs: 300_000 });
  });
});

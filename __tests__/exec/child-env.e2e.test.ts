import { childEnvironment } from '../../src/exec/child-env.js';
import { hostRunner } from '../support/host-runner.js';

const RUNNER_SECRETS = {
  ACTIONS_RUNTIME_TOKEN: 'runtime-token-value-1234',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'id-token-value-5678',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.example/oidc',
  AWS_SECRET_ACCESS_KEY: 'aws-secret-value-9abc',
  AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE',
  GITHUB_TOKEN: 'ghs_examplegithubtoken',
  INPUT_KUBECONFIG: 'apiVersion: v1',
  KUBECONFIG: '/home/runner/.kube/config',
};

describe('childEnvironment', () => {
  it('keeps only what programs need and the tools’ own settings', () => {
    const env = childEnvironment({
      ...RUNNER_SECRETS,
      PATH: '/usr/bin',
      HOME: '/home/runner',
      HTTPS_PROXY: 'http://proxy:3128',
      no_proxy: 'localhost',
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      HELM_CACHE_HOME: '/cache/helm',
      KUSTOMIZE_PLUGIN_HOME: '/plugins',
      GIT_SSH_COMMAND: 'ssh -i key',
      TMPDIR: '/runner/tmp',
    });
    expect(env).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/runner',
      HTTPS_PROXY: 'http://proxy:3128',
      no_proxy: 'localhost',
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      HELM_CACHE_HOME: '/cache/helm',
      KUSTOMIZE_PLUGIN_HOME: '/plugins',
      GIT_SSH_COMMAND: 'ssh -i key',
      TMPDIR: '/runner/tmp',
    });
  });

  it('always names a temporary directory and lets the caller add or remove variables', () => {
    const env = childEnvironment({ PATH: '/bin', HOME: '/h' }, { KUBECONFIG: '/dev/null', HOME: undefined });
    expect(env.TMPDIR).toEqual(expect.any(String));
    expect(env.KUBECONFIG).toBe('/dev/null');
    expect(env).not.toHaveProperty('HOME');
  });
});

describe('processRunner', () => {
  const saved: Record<string, string | undefined> = {};
  beforeAll(() => {
    for (const [name, value] of Object.entries({ ...RUNNER_SECRETS, HELM_DEBUG: 'false' })) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
  });
  afterAll(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('starts programs without the runner’s tokens in their environment', async () => {
    const result = await hostRunner.run(process.execPath, ['-e', 'process.stdout.write(JSON.stringify(process.env))'], {
      env: { GIT_TERMINAL_PROMPT: '0' },
    });
    const childEnv = JSON.parse(result.stdout) as Record<string, string>;
    for (const [name, value] of Object.entries(RUNNER_SECRETS)) {
      expect(childEnv).not.toHaveProperty(name);
      expect(result.stdout).not.toContain(value);
    }
    expect(childEnv).toMatchObject({ PATH: process.env.PATH, HELM_DEBUG: 'false', GIT_TERMINAL_PROMPT: '0' });
  });
});

describe('processRunner memory limit', () => {
  const onLinux = process.platform === 'linux' ? it : it.skip;
  onLinux('stops a program that passes it, with a clear error', async () => {
    // 256 MiB held, then waiting: far above the 64 MiB limit, far below what would hurt the machine.
    const hog = 'const held = []; for (let i = 0; i < 16; i++) held.push(Buffer.alloc(16 << 20, 1)); setTimeout(() => undefined, 120000);';
    await expect(hostRunner.run(process.execPath, ['-e', hog], { maxMemoryBytes: 64 * 1024 * 1024, memoryPollMs: 50, allowFailure: true })).rejects.toMatchObject({
      stopped: true,
      message: expect.stringMatching(/used more than 64 MiB of memory and was stopped/),
    });
  });
});

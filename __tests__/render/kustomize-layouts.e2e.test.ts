import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { removeDir, tempDir } from '../exec/temp-repo.js';
import { renderEnvironment } from '../support/host-runner.js';
import { collectCrdSchemas, validateObjects } from '../../src/validate/index.js';
import { testEnvironment } from '../support/environment.js';

const ROOT = resolve('__tests__/fixtures/render/kustomize-patches');

const environment = testEnvironment;

async function findingsOf(name: string) {
  const env = environment(name);
  const result = await renderEnvironment(env, { root: ROOT });
  const validation = validateObjects(result.objects, env, { crds: collectCrdSchemas(result.objects) });
  return { result, validation };
}

const where = (f: { file?: string; line?: number; column?: number }) => `${f.file}:${f.line}:${f.column}`;

describe('kustomize warnings', () => {
  it('reach the user as notices naming the kustomization file and key', async () => {
    const { result } = await findingsOf('qa');
    const notices = result.findings.filter((f) => f.rule === 'kustomize-warning');
    expect(notices.map((f) => [f.severity, where(f), f.message])).toEqual([
      [
        'notice',
        'envs/qa/kustomization.yaml:7:1',
        "kustomize: 'patchesStrategicMerge' is deprecated. Please use 'patches' instead. Run 'kustomize edit fix' to update your Kustomization automatically.",
      ],
      [
        'notice',
        'base/kustomization.yaml:6:1',
        "kustomize: 'commonLabels' is deprecated. Please use 'labels' instead. Run 'kustomize edit fix' to update your Kustomization automatically.",
      ],
    ]);
  });
});

describe('findings through kustomize point at the line that set the value', () => {
  it('an unknown field in a base is reported at its line in the base file', async () => {
    const { validation } = await findingsOf('qa');
    const unknown = validation.find((f) => f.message.includes('terminationGracePeriod'));
    expect(unknown && where(unknown)).toBe('base/deployment.yaml:9:7');
  });

  it('a value set by a strategic-merge patch is reported in the patch file', async () => {
    const { result, validation } = await findingsOf('qa');
    const replicas = validation.find((f) => f.message.includes('replicas') || f.message.includes('three'));
    expect(replicas && [where(replicas), replicas.object]).toEqual(['envs/qa/replicas-bad.yml:7:3', 'Deployment/qa/qa-web']);
    expect(result.objects.find((o) => o.object.kind === 'Deployment')?.source).toEqual({ file: 'base/deployment.yaml', line: 1, column: 1 });
  });

  it('a field added by a `patches:` file is reported in that file', async () => {
    const { validation } = await findingsOf('prod');
    const typo = validation.find((f) => f.message.includes('initialDelaySecond'));
    expect(typo && where(typo)).toBe('envs/prod/resources.yaml:17:13');
    expect(validation.find((f) => f.message.includes('terminationGracePeriod')) && where(validation.find((f) => f.message.includes('terminationGracePeriod'))!)).toBe(
      'base/deployment.yaml:9:7',
    );
  });

  it('a value set by an inline JSON 6902 patch is reported at its line in the kustomization', async () => {
    const root = tempDir();
    try {
      cpSync(ROOT, root, { recursive: true });
      const file = join(root, 'envs/prod/kustomization.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('value: 3', 'value: "three"'));
      const env = environment('prod');
      const result = await renderEnvironment(env, { root });
      const replicas = validateObjects(result.objects, env, { crds: collectCrdSchemas(result.objects) }).find((f) => f.message.includes('spec.replicas'));
      expect(replicas && where(replicas)).toBe('envs/prod/kustomization.yaml:14:16');
    } finally {
      removeDir(root);
    }
  });

  it("keeps the environment's sortOptions order", async () => {
    const root = tempDir();
    try {
      cpSync(ROOT, root, { recursive: true });
      const file = join(root, 'envs/prod/kustomization.yaml');
      writeFileSync(file, `${readFileSync(file, 'utf8')}sortOptions:\n  order: fifo\n`);
      const result = await renderEnvironment(environment('prod'), { root });
      // The legacy order puts a Service before a Deployment whatever the files say; fifo follows the files.
      writeFileSync(join(root, 'base/kustomization.yaml'), readFileSync(join(root, 'base/kustomization.yaml'), 'utf8').replace('  - service.yaml\n  - deployment.yaml', '  - deployment.yaml\n  - service.yaml'));
      const reordered = await renderEnvironment(environment('prod'), { root });
      expect(result.objects.map((o) => o.object.kind)).toEqual(['Service', 'Deployment']);
      expect(reordered.objects.map((o) => o.object.kind)).toEqual(['Deployment', 'Service']);
    } finally {
      removeDir(root);
    }
  });

  it('leaves no origin annotations on the rendered objects', async () => {
    const { result } = await findingsOf('prod');
    for (const { object } of result.objects) {
      expect(Object.keys(object.metadata.annotations ?? {}).filter((k) => k.includes('config.kubernetes.io'))).toEqual([]);
    }
  });
});

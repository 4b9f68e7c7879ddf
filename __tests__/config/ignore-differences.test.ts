import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { removeDir, tempDir } from '../exec/temp-repo.js';
import { configProblems } from './config-problems.js';

let root: string;
beforeEach(() => {
  root = tempDir();
  for (const dir of ['envs/dev', 'envs/prod']) mkdirSync(join(root, dir), { recursive: true });
});
afterEach(() => removeDir(root));

const problems = (yaml: string): Promise<string[]> => configProblems(root, yaml);

describe('ignoreDifferences in slipway.yaml', () => {
  it('adds the defaults: rules to each environment\'s own, in that order', async () => {
    writeFileSync(
      join(root, 'slipway.yaml'),
      `environments:
  - name: dev
    path: envs/dev
    ignoreDifferences:
      - group: apps
        kind: Deployment
        name: web-*
        jsonPointers: [/spec/replicas]
  - name: prod
    path: envs/prod
defaults:
  ignoreDifferences:
    - group: ""
      kind: ConfigMap
      jsonPointers: ['metadata.annotations["example.com/generated"]']
    - kind: "*"
      managedFieldsManagers: [istio-*]
`,
    );
    const config = await loadConfig(root);
    const dev = config.environments.find((e) => e.name === 'dev')!;
    const prod = config.environments.find((e) => e.name === 'prod')!;
    expect(dev.ignoreDifferences).toEqual([
      { group: '', kind: 'ConfigMap', jsonPointers: ['metadata.annotations["example.com/generated"]'], managedFieldsManagers: [] },
      { kind: '*', jsonPointers: [], managedFieldsManagers: ['istio-*'] },
      { group: 'apps', kind: 'Deployment', name: 'web-*', jsonPointers: ['/spec/replicas'], managedFieldsManagers: [] },
    ]);
    expect(prod.ignoreDifferences).toHaveLength(2);
  });

  it('names the line of a bad pointer, an unknown key, jqPathExpressions and an entry with no fields, and what to do', async () => {
    expect(
      await problems(`environments:
  - name: dev
    path: envs/dev
    ignoreDifferences:
      - kind: Deployment
        jsonPointers:
          - /spec/~2replicas
          - spec/replicas
      - kind: Deployment
        jsonPointer: [/spec/replicas]
      - kind: MutatingWebhookConfiguration
        jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle']
      - kind: Service
      - kind: "[oops"
        jsonPointers: [/spec]
`),
    ).toEqual([
      '7:13 environment "dev": ignoreDifferences[0]: jsonPointers[0] "/spec/~2replicas" has "~2", which is no JSON pointer escape: write ~1 for "/" and ~0 for "~"',
      '8:13 environment "dev": ignoreDifferences[0]: jsonPointers[1] "spec/replicas" has "spec/replicas": a path with "/" is a JSON pointer and starts with "/" (/spec/replicas); in a dotted path, quote keys holding "." or "/" (metadata.annotations["deployment.kubernetes.io/revision"])',
      '9:9 environment "dev": ignoreDifferences[1] names no fields: add jsonPointers (e.g. [/spec/replicas]) or managedFieldsManagers (e.g. [kube-controller-manager])',
      '10:9 unknown key "jsonPointer" in environment "dev": ignoreDifferences[1]; did you mean "jsonPointers"? Allowed keys: group, kind, name, namespace, jsonPointers, managedFieldsManagers',
      '12:9 environment "dev": ignoreDifferences[2]: jqPathExpressions is not supported; write the fields as jsonPointers, where * matches any key or list item (/webhooks/*/clientConfig/caBundle)',
      '13:9 environment "dev": ignoreDifferences[3] names no fields: add jsonPointers (e.g. [/spec/replicas]) or managedFieldsManagers (e.g. [kube-controller-manager])',
      '14:15 environment "dev": ignoreDifferences[4]: kind: "[oops" is not a valid glob (check its brackets and braces)',
    ]);
  });

  it('must be a list', async () => {
    expect(await problems('environments:\n  - name: dev\n    path: envs/dev\ndefaults:\n  ignoreDifferences: {kind: Deployment}\n')).toEqual([
      '5:22 defaults: ignoreDifferences must be a list of entries such as { group: apps, kind: Deployment, jsonPointers: [/spec/replicas] }',
    ]);
  });
});

/** Test helpers: YAML text -> rendered objects with key locations, and an environment config. */
import { LineCounter, parseAllDocuments } from 'yaml';
import type { EnvironmentConfig, PolicyConfig } from '../../src/config/types.js';
import type { Finding } from '../../src/model/findings.js';
import type { KubeObject, RenderedObject } from '../../src/model/objects.js';
import { yamlKeyLocator } from '../../src/model/key-locations.js';
import { collectCrdSchemas, validateObjects } from '../../src/validate/index.js';
import type { ValidationEnvironment } from '../../src/validate/index.js';

export function rendered(text: string, file = 'envs/dev/app.yaml'): RenderedObject[] {
  const lineCounter = new LineCounter();
  return parseAllDocuments(text, { lineCounter })
    .filter((doc) => doc.contents !== null)
    .map((doc) => {
      const object = doc.toJS() as KubeObject;
      const { line, col } = lineCounter.linePos(doc.contents?.range?.[0] ?? 0);
      return { object, source: { file, line, column: col }, keys: yamlKeyLocator(doc.contents, lineCounter, file) };
    });
}

export function environment(overrides: Partial<Omit<EnvironmentConfig, 'policies'>> & { policies?: Partial<PolicyConfig> } = {}): ValidationEnvironment {
  return {
    name: 'dev',
    kubernetesVersion: '1.33',
    strict: false,
    namespace: 'apps',
    ...overrides,
    policies: { 'image-tag': 'warning', 'duplicate-object': 'error', 'missing-namespace': 'error', 'plaintext-secret': 'warning', ...overrides.policies },
  };
}

export function validateYaml(text: string, env = environment(), extraCrds: RenderedObject[] = []): Finding[] {
  const objects = rendered(text);
  return validateObjects(objects, env, { crds: collectCrdSchemas([...extraCrds, ...objects]) });
}

export function byRule(findings: readonly Finding[], rule: string): Finding[] {
  return findings.filter((f) => f.rule === rule);
}

/** A Deployment with a pinned image and a namespace: valid, so tests can break one thing. */
export function deploymentYaml(containerExtra = '', podExtra = '', specExtra = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: apps
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
${specExtra}  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27.1
${containerExtra}${podExtra}`;
}

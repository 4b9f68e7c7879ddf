/**
 * Validation benchmark: manifests per second for YAML parsing alone (src/render/parse.ts's
 * parseManifests) and for parsing plus full validation, single-threaded, on generated manifests
 * (Deployments, Services, ConfigMaps, a CRD with CEL rules, a default and a set, and its custom resources).
 *
 *   npx tsx bench/validate.ts [count]
 */
import { pathToFileURL } from 'node:url';
import type { EnvironmentConfig } from '../src/config/types.js';
import type { RenderedObject } from '../src/model/objects.js';
import { parseManifests } from '../src/render/parse.js';
import { collectCrdSchemas, validateObjects } from '../src/validate/index.js';

export interface ValidationBenchResult {
  parsePerSec: number;
  validatePerSec: number;
  /** Time of parse + validation over time of parsing alone. */
  ratio: number;
  /** Validation of already parsed objects, without parsing. */
  validateOnlyPerSec: number;
  peakRssMb: number;
  manifests: number;
  /** What the parsing figure measures. */
  parser: string;
  findings: number;
}

const DOCS_PER_FILE = 20;

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.bench.slipway.dev
spec:
  group: bench.slipway.dev
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [size]
              x-kubernetes-validations:
                - {rule: "self.size <= 100", message: size is at most 100}
                - {rule: "!has(self.tags) || self.tags.all(t, t.size() < 64)"}
              properties:
                size: {type: integer, minimum: 1}
                color: {type: string, enum: [red, green, blue], default: red}
                port: {x-kubernetes-int-or-string: true}
                tags: {type: array, x-kubernetes-list-type: set, items: {type: string}}
                extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
`;

function deployment(i: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  namespace: team-${i % 7}
  labels: {app: app-${i}, tier: "${i % 2 ? 'web' : 'worker'}"}
spec:
  replicas: ${1 + (i % 5)}
  selector:
    matchLabels: {app: app-${i}}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 25%, maxUnavailable: ${i % 3}}
  template:
    metadata:
      labels: {app: app-${i}}
      annotations: {checksum/config: "${(i * 2654435761) >>> 0}"}
    spec:
      serviceAccountName: app-${i % 11}
      containers:
        - name: app
          image: registry.example.com/team-${i % 7}/app:1.${i % 40}.${i % 9}
          imagePullPolicy: IfNotPresent
          args: ["--port=8080", "--log-level=${i % 2 ? 'info' : 'debug'}"]
          ports:
            - {name: http, containerPort: 8080, protocol: TCP}
          env:
            - {name: INDEX, value: "${i}"}
            - name: POD_NAME
              valueFrom: {fieldRef: {fieldPath: metadata.name}}
          resources:
            requests: {cpu: ${100 + (i % 4) * 50}m, memory: ${64 * (1 + (i % 4))}Mi}
            limits: {cpu: ${1 + (i % 2)}, memory: 1Gi}
          readinessProbe:
            httpGet: {path: /healthz, port: http}
            periodSeconds: 10
          volumeMounts:
            - {name: config, mountPath: /etc/app, readOnly: true}
      volumes:
        - name: config
          configMap: {name: config-${i}}
`;
}

function service(i: number): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: app-${i}
  namespace: team-${i % 7}
spec:
  type: ${i % 4 === 0 ? 'LoadBalancer' : 'ClusterIP'}
  selector: {app: app-${i}}
  ports:
    - {name: http, port: 80, targetPort: http, protocol: TCP}
    - {name: metrics, port: 9090, targetPort: ${9090 + (i % 3)}}
`;
}

function configMap(i: number): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: config-${i}
  namespace: team-${i % 7}
data:
  LOG_LEVEL: ${i % 2 ? 'info' : 'debug'}
  app.properties: |
    index=${i}
    feature.a=${i % 2 === 0}
    feature.b=${i % 3 === 0}
`;
}

function widget(i: number): string {
  return `apiVersion: bench.slipway.dev/v1
kind: Widget
metadata:
  name: widget-${i}
  namespace: team-${i % 7}
spec:
  size: ${1 + (i % 10)}
  color: ${['red', 'green', 'blue'][i % 3]}
  port: ${i % 2 ? '"http"' : 8080}
  tags: [a${i % 5}, b${i % 3}]
  extra: {anything: {goes: ${i}}}
`;
}

/** `count` manifests as multi-document YAML files, the CRD first. */
export function generateManifestFiles(count: number): { file: string; text: string }[] {
  const makers = [deployment, service, configMap, widget];
  const docs = [CRD];
  for (let i = 0; docs.length < count; i++) docs.push(makers[i % makers.length](i));
  const files: { file: string; text: string }[] = [];
  for (let start = 0; start < docs.length; start += DOCS_PER_FILE)
    files.push({ file: `envs/bench/part-${files.length}.yaml`, text: docs.slice(start, start + DOCS_PER_FILE).join('---\n') });
  return files;
}

const env: Pick<EnvironmentConfig, 'name' | 'kubernetesVersion' | 'strict' | 'namespace' | 'policies'> = {
  name: 'bench',
  kubernetesVersion: '1.33',
  strict: true,
  namespace: undefined,
  policies: { 'image-tag': 'warning', 'duplicate-object': 'error', 'missing-namespace': 'error', 'plaintext-secret': 'warning' },
};

function parseAll(files: readonly { file: string; text: string }[]): RenderedObject[] {
  const objects: RenderedObject[] = [];
  for (const { file, text } of files) {
    const result = parseManifests(text, file);
    if (result.findings.length > 0) throw new Error(`benchmark input does not parse: ${result.findings[0].message}`);
    for (const o of result.objects) objects.push(o);
  }
  return objects;
}

function parseAndValidate(files: readonly { file: string; text: string }[]): number {
  const objects = parseAll(files);
  return validateObjects(objects, env, { crds: collectCrdSchemas(objects) }).length;
}

/** Best of `rounds` timings in milliseconds: the least disturbed by other work on the machine. */
function bestOf(rounds: number, run: () => unknown): number {
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    run();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return best;
}

export async function benchValidation(count = 10000): Promise<ValidationBenchResult> {
  const files = generateManifestFiles(count);
  const manifests = Math.min(count, files.reduce((n, f) => n + f.text.split('\n---\n').length, 0));
  // Warm up the JIT and the lazily compiled schema walkers on a slice first.
  parseAndValidate(files.slice(0, 25));
  const parseMs = bestOf(3, () => parseAll(files));
  const validateMs = bestOf(3, () => parseAndValidate(files));
  const findings = parseAndValidate(files);
  const parsed = parseAll(files);
  const validateOnlyMs = bestOf(3, () => validateObjects(parsed, env, { crds: collectCrdSchemas(parsed) }));
  return {
    parsePerSec: Math.round((manifests / parseMs) * 1000),
    validatePerSec: Math.round((manifests / validateMs) * 1000),
    validateOnlyPerSec: Math.round((manifests / validateOnlyMs) * 1000),
    ratio: Math.round((validateMs / parseMs) * 100) / 100,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    manifests,
    parser: 'parseManifests (src/render/parse.ts: js-yaml fast path, yaml package fallback)',
    findings,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const count = Number(process.argv[2] ?? 10000);
  const result = await benchValidation(count);
  console.log(`manifests:              ${result.manifests}`);
  console.log(`parser:                 ${result.parser}`);
  console.log(`parse only:             ${result.parsePerSec} manifests/s`);
  console.log(`parse + validation:     ${result.validatePerSec} manifests/s`);
  console.log(`validation alone:       ${result.validateOnlyPerSec} manifests/s`);
  console.log(`cost ratio:             ${result.ratio}x parsing alone`);
  console.log(`peak RSS:               ${result.peakRssMb} MB`);
  console.log(`findings:               ${result.findings}`);
}

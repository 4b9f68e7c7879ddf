/**
 * The bundled CLI (cli.js of the bundle built from the current sources, see support/bundle.ts)
 * over a repository shaped like real ones: a Flux cluster directory, a podinfo-like chart with
 * crds/ and test hooks, a StatefulSet with volumeClaimTemplates, and kustomize overlays patching
 * a base. Exact findings and places.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BUNDLE_TIMEOUT_MS, bundledEntry } from '../support/bundle.js';

const FIXTURES = resolve('__tests__/fixtures');

interface Finding {
  severity: string;
  rule: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  object?: string;
}

let repo: string;
let cli: string;
beforeAll(async () => {
  cli = await bundledEntry('cli');
  repo = mkdtempSync(join(tmpdir(), 'slipway-real-layouts-'));
  cpSync(join(FIXTURES, 'real-layouts'), repo, { recursive: true });
  cpSync(join(FIXTURES, 'render/flux'), repo, { recursive: true });
  cpSync(join(FIXTURES, 'render/helm-podinfo'), repo, { recursive: true });
  cpSync(join(FIXTURES, 'render/kustomize-patches'), repo, { recursive: true });
  // The staging values break the chart's custom resource: its CRD (from crds/) must catch it.
  writeFileSync(join(repo, 'charts/podinfo/values-staging.yaml'), 'alert:\n  threshold: high\n');
}, BUNDLE_TIMEOUT_MS);
afterAll(() => rmSync(repo, { recursive: true, force: true }));

function slipway(...args: string[]) {
  const run = spawnSync(process.execPath, [cli, ...args], { cwd: repo, env: process.env, encoding: 'utf8', timeout: 600_000 });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

const line = (f: Finding) => `${f.severity} ${f.rule} ${f.file ?? ''}${f.line ? `:${f.line}:${f.column}` : ''}${f.object ? ` ${f.object}` : ''}`;

describe('slipway validate over real layouts (bundled CLI)', () => {
  let byEnvironment: Record<string, Finding[]>;
  let code: number | null;
  beforeAll(() => {
    const run = slipway('validate', '--repo', repo, '--json');
    code = run.code;
    const outcome = JSON.parse(run.out) as { validations: { environment: { name: string }; findings: Finding[] }[] };
    byEnvironment = Object.fromEntries(outcome.validations.map((v) => [v.environment.name, v.findings]));
  });

  it('fails, with exactly the findings below', () => {
    expect(code).toBe(1);
    expect(Object.keys(byEnvironment)).toEqual(['staging', 'podinfo', 'db', 'qa', 'prod']);
  });

  it('Flux cluster directory: flux-system built with kustomize, custom resources checked against gotk CRDs, a config file skipped', () => {
    expect(byEnvironment.staging!.map(line)).toEqual(['notice not-kubernetes-object clusters/staging/renovate.json:1:1']);
  });

  it('chart with crds/ and test hooks: hooks left out with one notice, the custom resource checked against crds/ at its template', () => {
    expect(byEnvironment.podinfo!.map(line)).toEqual(['notice helm-test-hooks charts/podinfo', 'error schema charts/podinfo/templates/alertrule.yaml:2:1 AlertRule.monitoring.example.com/web-latency']);
    expect(byEnvironment.podinfo![1]!.message).toMatch(/threshold/);
    expect(byEnvironment.podinfo![0]!.message).toMatch(/left out 2 Helm test hooks.*templates\/tests\/test-connection\.yaml, templates\/tests\/test-grpc\.yaml/);
  });

  it('StatefulSet with volumeClaimTemplates: no findings', () => {
    expect(byEnvironment.db).toEqual([]);
  });

  it('kustomize patch over a base: the patch file line for a patched value, the base line for a base typo, warnings on the kustomization', () => {
    expect(byEnvironment.qa!.map(line)).toEqual([
      'notice kustomize-warning envs/qa/kustomization.yaml:7:1',
      'notice kustomize-warning base/kustomization.yaml:6:1',
      'error schema envs/qa/replicas-bad.yml:7:3 Deployment/qa/qa-web',
      'error schema base/deployment.yaml:9:7 Deployment/qa/qa-web',
    ]);
    expect(byEnvironment.prod!.map(line)).toEqual([
      'notice kustomize-warning base/kustomization.yaml:6:1',
      'error schema envs/prod/resources.yaml:17:13 Deployment/prod/web',
      'error schema base/deployment.yaml:9:7 Deployment/prod/web',
    ]);
  });

  it('prints the same places in the readable output', () => {
    const run = slipway('validate', '--repo', repo);
    expect(run.code).toBe(1);
    for (const place of ['envs/qa/replicas-bad.yml:7:3', 'base/deployment.yaml:9:7', 'envs/prod/resources.yaml:17:13', 'charts/podinfo/templates/alertrule.yaml:2:1']) {
      expect(run.out).toContain(place);
    }
  });
});

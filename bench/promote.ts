/**
 * Promotion benchmark: 20 images into 50 environments. Reports the time spent planning,
 * editing, verifying and diffing, with rendering (kustomize/helm/parsing, not promotion's work)
 * measured apart and left out, and checks the diff is exactly one changed line per reference.
 * Runnable alone: `npx tsx bench/promote.ts`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EnvironmentConfig, PipelineConfig } from '../src/config/types.js';
import { Git } from '../src/exec/git.js';
import { processRunner } from '../src/exec/run.js';
import { refuseRenderErrors } from '../src/promote/render-adapter.js';
import { renderEnvironment } from '../src/render/render.js';
import { promote } from '../src/promote/promote.js';
import { parseImageRequests } from '../src/promote/select-images.js';
import { countChangedLines } from '../src/promote/unified-diff.js';

const IMAGES = 20;
const ENVIRONMENTS = 50;

export interface PromotionBench {
  rows: { area: string; measure: string; value: string; target: string }[];
  promotionMs: number;
  renderMs: number;
  changedLines: { added: number; removed: number };
  expectedLines: number;
}

/** One environment: half the images in Deployments, half in CronJobs, with comments and mixed quoting. */
function workloads(env: number): string {
  const docs: string[] = [];
  for (let i = 0; i < IMAGES; i += 1) {
    const image = `ghcr.io/acme/svc-${i}:1.${env}.0`;
    const quoted = i % 3 === 0 ? `"${image}"` : i % 3 === 1 ? `'${image}'` : image;
    docs.push(
      i % 2 === 0
        ? `# service ${i}\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: svc-${i}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app   # main container\n          image: ${quoted}\n          ports: [{containerPort: 8080}]\n`
        : `apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: svc-${i}}\nspec:\n  schedule: "*/5 * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n          - name: job\n            image: ${quoted} # nightly\n`,
    );
  }
  return docs.join('---\n');
}

function environment(name: string, path: string): EnvironmentConfig {
  return {
    name, path, promotion: 'commit', kubernetesVersion: '1.33', strict: false,
    prune: { enabled: true, maxShare: 0.5 }, wait: { enabled: false, timeoutMs: 60_000 }, forceConflicts: false, heal: false,
    helm: { valuesFiles: [] },
    policies: { 'image-tag': 'warning', 'duplicate-object': 'error', 'missing-namespace': 'off', 'plaintext-secret': 'warning' },
    promotionLabels: [],
  };
}

export async function benchPromotion(): Promise<PromotionBench> {
  const root = mkdtempSync(join(tmpdir(), 'slipway-bench-promote-'));
  try {
    const environments: EnvironmentConfig[] = [];
    for (let e = 0; e < ENVIRONMENTS; e += 1) {
      mkdirSync(join(root, 'envs', `env-${e}`), { recursive: true });
      writeFileSync(join(root, 'envs', `env-${e}`, 'workloads.yaml'), workloads(e));
      environments.push(environment(`env-${e}`, `envs/env-${e}`));
    }
    const config: PipelineConfig = { file: 'slipway.yaml', root, environments, tools: {} };
    const pins = parseImageRequests(Array.from({ length: IMAGES }, (_, i) => `ghcr.io/acme/svc-${i}=2.0.0`));

    const renderTime = { ms: 0 };
    let diff = '';
    const started = performance.now();
    for (const env of environments) {
      const runner = processRunner(process.env);
      const render = refuseRenderErrors((e, ref) => renderEnvironment(e, { root, ref }, { runner, tools: config.tools }));
      const result = await promote({ root, git: Git.forRepository(runner, root, config.tools), render, config, to: env.name, images: pins, mode: 'working-tree', dryRun: false, renderTime });
      diff += result.diff;
    }
    const totalMs = performance.now() - started;
    const promotionMs = totalMs - renderTime.ms;
    const changedLines = countChangedLines(diff);
    const expectedLines = IMAGES * ENVIRONMENTS;
    if (changedLines.added !== expectedLines || changedLines.removed !== expectedLines) {
      throw new Error(`diff has +${changedLines.added}/-${changedLines.removed} lines; expected exactly ${expectedLines} each`);
    }
    return {
      promotionMs,
      renderMs: renderTime.ms,
      changedLines,
      expectedLines,
      rows: [
        { area: 'promote', measure: `${IMAGES} images into ${ENVIRONMENTS} environments, excluding rendering`, value: `${Math.round(promotionMs)} ms`, target: '< 2 s' },
        { area: 'promote', measure: 'rendering before and after (not counted)', value: `${Math.round(renderTime.ms)} ms`, target: '' },
        { area: 'promote', measure: 'diff size', value: `+${changedLines.added} / -${changedLines.removed} lines (${expectedLines} references)`, target: 'one line per reference' },
      ],
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await benchPromotion();
  for (const row of result.rows) console.log(`${row.measure}: ${row.value}${row.target ? ` (target ${row.target})` : ''}`);
}

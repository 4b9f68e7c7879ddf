/**
 * `npm run bench`: every benchmark, side by side with kubectl where there is a kubectl
 * equivalent, printed as a markdown table (the README shows the latest). Benchmarks measure;
 * tests never assert on time.
 */
import { spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

interface Row {
  area: string;
  measure: string;
  value: string;
  target: string;
}

type Bench = { area: string; run: () => Promise<Row[]> };

// Each area runs in a process of its own, so one area's memory peak never shows in another's.
const CHILD_FLAG = '--area';
const childArea = process.argv[2] === CHILD_FLAG ? process.argv[3] : undefined;
const only = childArea ? [] : process.argv.slice(2);

const benches: Bench[] = [
  {
    area: 'validate',
    run: async () => {
      const { benchValidation } = await import('./validate.js');
      const r = await benchValidation(10_000);
      return [
        { area: 'validate', measure: `YAML parsing alone, ${r.manifests} manifests`, value: `${fmt(r.parsePerSec)} manifests/s`, target: '' },
        { area: 'validate', measure: 'parse + full validation', value: `${fmt(r.validatePerSec)} manifests/s`, target: '>= 5,000/s' },
        { area: 'validate', measure: 'full validation cost / parsing cost', value: `${r.ratio.toFixed(2)}x`, target: '<= 2x' },
        { area: 'validate', measure: 'peak RSS', value: `${Math.round(r.peakRssMb)} MB`, target: '' },
      ];
    },
  },
  {
    area: 'engine',
    run: async () => {
      const { benchEngine } = await import('./engine.js');
      const r = await benchEngine();
      const k = 'apply' in r.kubectl ? r.kubectl : undefined;
      type M = { ms: number; requests: number; writes: number };
      const vs = (ours: M, theirs?: M) =>
        `${fmt(ours.ms)} ms, ${fmt(ours.requests)} requests, ${fmt(ours.writes)} writes` +
        (theirs ? ` vs kubectl ${fmt(theirs.ms)} ms, ${fmt(theirs.requests)} requests: ${(theirs.ms / ours.ms).toFixed(1)}x` : '');
      const at = `${r.objects} objects, ${2 * r.delayMs} ms round trip`;
      return [
        { area: 'engine', measure: `first apply (wait off), ${at}`, value: vs(r.slipway.apply, k?.apply), target: '>= 10x kubectl' },
        { area: 'engine', measure: 'no-op redeploy', value: vs(r.slipway.noop, k?.noop), target: '>= 15x kubectl, 0 writes' },
        { area: 'engine', measure: 'diff of a PR against live', value: vs(r.slipway.diff, k?.diff), target: '>= 25x kubectl' },
        {
          area: 'engine',
          measure: 'health wait: last Deployment Available -> deploy ends',
          value: `${fmt(r.slipway.health.afterLastAvailableMs)} ms (whole deploy ${fmt(r.slipway.health.ms)} ms, ${fmt(r.slipway.health.requests)} requests)`,
          target: '<= 500 ms',
        },
        { area: 'engine', measure: 'peak RSS of the engine process', value: `${fmt(r.peakRssMb)} MB (${fmt(r.baseRssMb ?? 0)} MB of it before any engine work: Node, tsx and libraries)`, target: '< 200 MB' },
        ...(k ? [] : [{ area: 'engine', measure: 'kubectl', value: `skipped: ${(r.kubectl as { skipped: string }).skipped}`, target: '' }]),
      ];
    },
  },
  {
    area: 'product',
    run: async () => (await import('./product.js')).benchProduct().then((r) => r.rows),
  },
  {
    area: 'preview',
    run: async () => {
      const { benchPreview } = await import('./preview.js');
      return (await benchPreview()).rows;
    },
  },
  {
    area: 'promote',
    run: async () => {
      const { benchPromotion } = await import('./promote.js');
      return (await benchPromotion()).rows;
    },
  },
];

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

async function runChild(area: string): Promise<void> {
  const bench = benches.find((b) => b.area === area);
  if (!bench) throw new Error(`no benchmark area '${area}'`);
  process.stdout.write(`${JSON.stringify(await bench.run())}\n`);
}

function runArea(area: string): Row[] {
  const tsx = fileURLToPath(new URL('../node_modules/tsx/dist/cli.mjs', import.meta.url));
  const child = spawnSync(process.execPath, [tsx, fileURLToPath(import.meta.url), CHILD_FLAG, area], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 1024 * 1024,
  });
  const last = child.stdout.trim().split('\n').pop() ?? '';
  if (child.status !== 0 || !last.startsWith('[')) throw new Error(`exited with ${child.status}`);
  return JSON.parse(last) as Row[];
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  let failed = false;
  for (const bench of benches) {
    if (only.length > 0 && !only.includes(bench.area)) continue;
    process.stderr.write(`bench: ${bench.area}...\n`);
    try {
      rows.push(...runArea(bench.area));
    } catch (error) {
      failed = true;
      rows.push({ area: bench.area, measure: 'failed', value: (error as Error).message.split('\n')[0], target: '' });
    }
  }
  console.log(`Measured on ${cpus().length} cores (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.\n`);
  console.log('| area | measure | result | target |');
  console.log('|---|---|---|---|');
  for (const row of rows) console.log(`| ${row.area} | ${row.measure} | ${row.value} | ${row.target} |`);
  if (failed) process.exitCode = 1;
}

if (childArea) await runChild(childArea);
else await main();

/**
 * From a repository's layout to the environments `slipway init` proposes: one per kustomize
 * entry point (an overlay no other kustomization builds on), per chart values file, and per
 * top directory of plain manifests. Pure, so every layout rule is a table test.
 */
import { posix } from 'node:path';
import type { RepositoryLayout } from './scan.js';
import { guessChain } from './stages.js';

export type ProposalEngine = 'kustomize' | 'helm' | 'plain';

export interface ProposedEnvironment {
  name: string;
  path: string;
  engine: ProposalEngine;
  valuesFiles?: string[];
  promoteFrom?: string;
  promotion?: 'pull-request';
  /** promoteFrom was one of several candidates. */
  ambiguousSource: boolean;
}

/** Path segments that say how a directory is built rather than which environment it is. */
const GENERIC_SEGMENTS = new Set(['overlay', 'overlays', 'kustomize', 'manifests', 'k8s', 'kubernetes', 'deploy', 'deployment', 'envs', 'environments', 'clusters', 'helm', 'charts', 'chart']);
const MAX_NAME = 52;

interface Candidate {
  path: string;
  engine: ProposalEngine;
  /** Name parts from most to least specific, e.g. ['prod', 'shop', 'apps']. */
  parts: string[];
  valuesFiles?: string[];
}

export function proposeEnvironments(layout: RepositoryLayout): ProposedEnvironment[] {
  const candidates = [...kustomizeCandidates(layout), ...chartCandidates(layout), ...plainCandidates(layout)];
  const names = uniqueNames(candidates);
  const chain = guessChain(names);
  return candidates.map((candidate, index) => {
    const name = names[index];
    const link = chain.get(name)!;
    return {
      name,
      path: candidate.path,
      engine: candidate.engine,
      ...(candidate.valuesFiles ? { valuesFiles: candidate.valuesFiles } : {}),
      ...(link.promoteFrom ? { promoteFrom: link.promoteFrom } : {}),
      ...(link.production ? { promotion: 'pull-request' as const } : {}),
      ambiguousSource: link.ambiguous,
    };
  });
}

function kustomizeCandidates(layout: RepositoryLayout): Candidate[] {
  const referenced = new Set(layout.kustomizations.flatMap((k) => k.references));
  const plainRoots = layout.manifestDirs;
  return layout.kustomizations
    .filter((k) => !k.component && !referenced.has(k.path) && k.path !== '')
    // Inside a plain directory, a kustomization is built as part of it (as Flux does).
    .filter((k) => !plainRoots.some((dir) => isInside(k.path, dir)))
    .map((k) => ({ path: k.path, engine: 'kustomize' as const, parts: segmentsOf(k.path) }));
}

function chartCandidates(layout: RepositoryLayout): Candidate[] {
  return layout.charts.flatMap((chart): Candidate[] => {
    const chartParts = chart.path ? segmentsOf(chart.path) : [chart.name];
    if (chart.valuesFiles.length === 0) return [{ path: chart.path || '.', engine: 'helm', parts: chartParts }];
    return chart.valuesFiles.map((file) => ({
      path: chart.path || '.',
      engine: 'helm',
      parts: [file.replace(/^values[-._]/, '').replace(/\.ya?ml$/, ''), ...chartParts],
      valuesFiles: [file],
    }));
  });
}

function plainCandidates(layout: RepositoryLayout): Candidate[] {
  const kustomizeDirs = layout.kustomizations.map((k) => k.path);
  return layout.manifestDirs
    .filter((dir) => dir !== '')
    // Patches and resources of a kustomization live in or below it.
    .filter((dir) => !kustomizeDirs.some((k) => isInside(dir, k)))
    // A plain environment reads its subdirectories, so only the top one is an environment.
    .filter((dir) => !layout.manifestDirs.some((other) => other !== dir && other !== '' && isInside(dir, other)))
    .map((dir) => ({ path: dir, engine: 'plain' as const, parts: segmentsOf(dir) }));
}

function isInside(path: string, dir: string): boolean {
  return dir === '' || path === dir || path.startsWith(`${dir}/`);
}

/** Path segments, most specific first, with the generic ones ("overlays", "k8s") left out. */
function segmentsOf(path: string): string[] {
  const segments = path.split('/').reverse();
  const specific = segments.filter((segment) => !GENERIC_SEGMENTS.has(segment.toLowerCase()));
  return specific.length ? specific : [posix.basename(path)];
}

/** The shortest names that tell candidates apart: `prod`, else `shop-prod`, and so on. */
function uniqueNames(candidates: Candidate[]): string[] {
  const depth = candidates.map(() => 1);
  const nameAt = (index: number) =>
    sanitize(
      candidates[index].parts
        .slice(0, depth[index])
        .reverse()
        .join('-'),
    );
  for (let round = 0; round < 8; round++) {
    const names = candidates.map((_, index) => nameAt(index));
    let clash = false;
    names.forEach((name, index) => {
      if (names.filter((other) => other === name).length > 1 && depth[index] < candidates[index].parts.length) {
        depth[index]++;
        clash = true;
      }
    });
    if (!clash) break;
  }
  const names = candidates.map((_, index) => nameAt(index));
  const seen = new Map<string, number>();
  return names.map((name) => {
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : sanitize(`${name.slice(0, MAX_NAME - 3)}-${count}`);
  });
}

/** Environment names follow Kubernetes label rules (they become Lease names and labels). */
function sanitize(name: string): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/--+/g, '-')
    .slice(0, MAX_NAME)
    .replace(/^-+|-+$/g, '');
  return cleaned || 'env';
}

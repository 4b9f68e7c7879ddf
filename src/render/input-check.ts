/**
 * The check every render passes before any renderer runs (see tree-check.ts for why): the
 * environment directory and everything the engine may read stay inside the repository, and,
 * when remote content is not allowed (a pull request from a fork), nothing would be fetched.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import type { Finding } from '../model/findings.js';
import { isPlainObject } from '../model/objects.js';
import { buildFingerprint } from './build-fingerprint.js';
import { isInside } from './files.js';
import { checkKustomizeInputs } from './kustomize-inputs.js';
import { TreeCheck } from './tree-check.js';
import type { TreeMemo } from './tree-memo.js';

export interface InputCheckRequest {
  engine: 'plain' | 'kustomize' | 'helm';
  rootReal: string;
  envDir: string;
  envPath: string;
  environment: string;
  /** Helm values files, relative to the environment directory. */
  valuesFiles: readonly string[];
  maxFileBytes: number;
  /** False for pull requests from forks: remote bases and chart repositories are not fetched. */
  allowRemote: boolean;
  /** Shared by the renders of the same tree (tree-memo.ts). */
  memo: TreeMemo;
}

export interface InputCheck {
  /** Errors mean nothing may be rendered. */
  findings: Finding[];
  /** Set when the environment must not be rendered although nothing is wrong with it. */
  skipped?: string;
  /** The digest of what its kustomize builds read (build-fingerprint.ts); absent when unknown. */
  kustomizeInputs?: string;
}

export async function checkRenderInputs(request: InputCheckRequest): Promise<InputCheck> {
  const { rootReal, envDir } = request;
  const content = new TreeCheck({ rootReal, maxFileBytes: request.maxFileBytes, memo: request.memo });
  if ((await content.resolveInside(envDir, 'environment directory')) === undefined) return { findings: content.findings };

  const remote: string[] = [];
  if (request.engine === 'plain') {
    const links = new TreeCheck({ rootReal, maxFileBytes: request.maxFileBytes, linksOnly: true, memo: request.memo });
    await links.directory(envDir);
    content.findings.push(...links.findings);
    // Subdirectories holding a kustomization are built with kustomize (as Flux does).
    for (const dir of links.kustomizationDirs) remote.push(...(await checkKustomizeInputs(dir, content, rootReal)).remote);
  } else if (request.engine === 'kustomize') {
    remote.push(...(await checkKustomizeInputs(envDir, content, rootReal)).remote);
  } else {
    await content.directory(envDir);
    for (const values of request.valuesFiles) {
      const path = resolve(envDir, values);
      if (!isInside(rootReal, path)) content.findings.push(valuesOutside(request.envPath, values, path));
      else await content.entry(path).catch(() => undefined); // a missing values file is helm's to report
    }
    remote.push(...(await remoteChartDependencies(envDir, content.repoPath(join(envDir, 'Chart.yaml')))));
  }
  if (content.findings.some((f) => f.severity === 'error')) return { findings: content.findings };
  if (remote.length === 0 || request.allowRemote) {
    const kustomizeInputs = request.engine === 'helm' ? undefined : await buildFingerprint(content, request.memo, remote);
    return { findings: content.findings, ...(kustomizeInputs ? { kustomizeInputs } : {}) };
  }
  const skipped = `environment "${request.environment}" uses remote content (${remote.slice(0, 3).join('; ')}${remote.length > 3 ? `; and ${remote.length - 3} more` : ''}); a pull request from a fork renders no remote content, so it was not rendered or previewed`;
  return { findings: [...content.findings, { severity: 'warning', rule: 'remote-content', message: skipped, file: request.envPath }], skipped };
}

function valuesOutside(envPath: string, values: string, path: string): Finding {
  return {
    severity: 'error',
    rule: 'symlink-escape',
    message: `helm values file "${values}" of ${envPath} leads to ${path}, outside the repository; the environment was not rendered. Keep values files inside the repository`,
    file: envPath,
  };
}

/** Chart dependencies helm would download: a repository that is not `file://`, and not vendored under `charts/`. */
async function remoteChartDependencies(chartDir: string, chartFile: string): Promise<string[]> {
  const vendored = await readdir(join(chartDir, 'charts')).catch(() => [] as string[]);
  const isVendored = (name: string) => vendored.some((entry) => entry === name || (entry.startsWith(`${name}-`) && entry.endsWith('.tgz')));
  let chart: unknown;
  try {
    chart = parse(await readFile(join(chartDir, 'Chart.yaml'), 'utf8'), { maxAliasCount: 100 });
  } catch {
    return [];
  }
  const dependencies = isPlainObject(chart) && Array.isArray(chart.dependencies) ? chart.dependencies : [];
  return dependencies
    .filter((d): d is Record<string, unknown> => isPlainObject(d) && typeof d.repository === 'string' && d.repository !== '' && !d.repository.startsWith('file://'))
    .filter((d) => !isVendored(String(d.name ?? '')))
    .map((d) => `${chartFile}: chart ${String(d.name ?? '')} from ${String(d.repository)}`);
}

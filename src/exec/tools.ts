/**
 * Finds the external programs Slipway runs: a path set in `slipway.yaml` (`tools.<name>`) wins,
 * then the package's `.tools/bin`, else the first executable of that name on PATH. A missing program is a UserError that says
 * who needed it and how to get it, instead of a bare ENOENT from spawn.
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { UserError } from '../model/errors.js';
import { packageRoot } from './package.js';

/** Paths of the external programs, as `slipway.yaml`'s `tools:` sets them (defined here so exec/ depends on nothing but model/). */
export interface ToolPaths {
  kubectl?: string;
  kustomize?: string;
  helm?: string;
  git?: string;
}

export type ToolName = keyof ToolPaths;

const INSTALL_HINTS: Record<ToolName, string> = {
  kubectl: 'install kubectl (https://kubernetes.io/docs/tasks/tools/)',
  kustomize: 'install kustomize (https://kubectl.docs.kubernetes.io/installation/kustomize/) or kubectl, which includes it',
  helm: 'install Helm 3 or 4 (https://helm.sh/docs/intro/install/)',
  git: 'install git (https://git-scm.com/downloads)',
};

export interface LocateOptions {
  /** Paths from `slipway.yaml`'s `tools:`; relative ones are resolved against `root`. */
  configured?: ToolPaths;
  /** Repository root, for relative configured paths. */
  root?: string;
  /** What needs the tool, for the error message, e.g. `environment "dev" (envs/dev, kustomize)`. */
  neededBy?: string;
  /** PATH to search (the runner's `path`); none: only configured paths and the package's tools. */
  path?: string;
  /** Directory searched before PATH; default the package's `.tools/bin`; false: none. */
  packageTools?: string | false;
}

/** Absolute path of an executable tool, or a UserError naming it, who needed it and how to install it. */
export function locateTool(name: ToolName, options: LocateOptions = {}): string {
  const found = findTool(name, options);
  if (found) return found;
  const configured = options.configured?.[name];
  const needed = options.neededBy ? ` (needed by ${options.neededBy})` : '';
  if (configured) {
    throw new UserError(
      `${name} was not found at "${configured}", the path set in slipway.yaml under tools.${name}${needed}.`,
      `Fix tools.${name} to point at an executable ${name}, or remove it to search PATH.`,
    );
  }
  throw new UserError(
    `${name} was not found on PATH${needed}.`,
    `${capitalise(INSTALL_HINTS[name])}, or set tools.${name} in slipway.yaml to its path.`,
  );
}

/**
 * Like `locateTool` but returns undefined when the tool is absent. Order: `tools.<name>` from
 * slipway.yaml, then the package's own `.tools/bin` (where `npm ci` unpacks kubectl and helm),
 * then PATH.
 */
export function findTool(name: ToolName, options: LocateOptions = {}): string | undefined {
  const configured = options.configured?.[name];
  if (configured) {
    const full = isAbsolute(configured) ? configured : resolve(options.root ?? process.cwd(), configured);
    return isExecutableFile(full) ? full : undefined;
  }
  const packaged = options.packageTools === undefined ? packageToolsDir() : options.packageTools;
  return (packaged ? searchPath(name, packaged) : undefined) ?? searchPath(name, options.path ?? '');
}

let packageTools: string | null | undefined;

/**
 * `.tools/bin` of the Slipway package this code belongs to (found from this file, not the working
 * directory, so `npx slipway` from anywhere uses it); undefined when the package has none.
 */
export function packageToolsDir(): string | undefined {
  if (packageTools === undefined) {
    const root = packageRoot();
    const bin = root === undefined ? undefined : join(root, '.tools', 'bin');
    packageTools = bin !== undefined && existsSync(bin) ? bin : null;
  }
  return packageTools ?? undefined;
}

/** How to run kustomize: a `kustomize` binary's `build`, else `kubectl kustomize`. */
export interface KustomizeCommand {
  command: string;
  /** Arguments before the directory. */
  args: string[];
}

export function locateKustomize(options: LocateOptions = {}): KustomizeCommand {
  const kustomize = findTool('kustomize', options);
  if (kustomize) return { command: kustomize, args: ['build'] };
  if (options.configured?.kustomize) locateTool('kustomize', options); // throws: a configured path must exist
  const kubectl = findTool('kubectl', options);
  if (kubectl) return { command: kubectl, args: ['kustomize'] };
  const needed = options.neededBy ? ` (needed by ${options.neededBy})` : '';
  throw new UserError(
    `Neither kustomize nor kubectl was found on PATH${needed}.`,
    `${capitalise(INSTALL_HINTS.kustomize)}, or set tools.kustomize or tools.kubectl in slipway.yaml to its path.`,
  );
}

function searchPath(name: string, pathVariable: string): string | undefined {
  const extensions = process.platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const dir of pathVariable.split(delimiter)) {
    if (!dir) continue;
    for (const extension of extensions) {
      const candidate = join(dir, name + extension);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

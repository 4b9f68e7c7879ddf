/**
 * Key locations travel on the rendered object wrapper: a copy of it (a spread, a new body from a
 * transformation) still points findings at the key's line, and the Kubernetes body carries no
 * location of its own to be sent to a server.
 */
import { parseManifests } from '../../src/render/parse.js';
import { objectFinding } from '../../src/validate/object-finding.js';

const TEXT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: web
          image: nginx:latest
`;

describe('source positions on rendered objects', () => {
  const [parsed] = parseManifests(TEXT, 'envs/dev/web.yaml').objects;
  const imagePath = ['spec', 'template', 'spec', 'containers', 0, 'image'];

  it('survive a copy of the wrapper and of the body', () => {
    const copied = { ...parsed!, object: structuredClone(parsed!.object) };
    expect(objectFinding(copied, 'warning', 'image-tag', 'pin the tag', imagePath)).toMatchObject({ file: 'envs/dev/web.yaml', line: 11, column: 11 });
    expect(objectFinding({ ...copied }, 'warning', 'image-tag', 'pin the tag', ['spec', 'replicas'])).toMatchObject({ line: 6, column: 3 });
  });

  it('stay off the Kubernetes body', () => {
    expect(JSON.parse(JSON.stringify(parsed!.object))).toEqual(parsed!.object);
    expect(Object.keys(parsed!.object)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
  });
});

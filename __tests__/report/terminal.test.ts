import { formatChangeSet } from '../../src/report/terminal.js';
import { changeSet, entry } from './fixtures.js';

const diff = '--- live\n+++ desired\n@@ -1 +1 @@\n-  replicas: 2\n+  replicas: 3\n';
const cs = changeSet('dev', [entry('Deployment', 'web', 'update', diff), entry('Service', 'web', 'unchanged')]);

describe('terminal change sets', () => {
  it('prints plain text when not a TTY', () => {
    const text = formatChangeSet(cs, { color: false });
    expect(text).toBe(
      'dev (against the cluster): 0 to create, 1 to update, 0 to delete, 1 unchanged\n' +
        '~ update Deployment/shop/web\n' +
        '    --- live\n    +++ desired\n    @@ -1 +1 @@\n    -  replicas: 2\n    +  replicas: 3\n',
    );
    expect(text).not.toContain('\u001b[');
  });

  it('colours additions green, removals red and hunk headers cyan', () => {
    const text = formatChangeSet(cs, { color: true });
    expect(text).toContain('\u001b[32m+  replicas: 3\u001b[0m');
    expect(text).toContain('\u001b[31m-  replicas: 2\u001b[0m');
    expect(text).toContain('\u001b[36m@@ -1 +1 @@\u001b[0m');
  });
});

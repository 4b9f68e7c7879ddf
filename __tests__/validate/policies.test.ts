import { randomBytes } from 'node:crypto';
import type { PolicyLevel } from '../../src/config/types.js';
import { formatFindingsText, findingsMarkdownTable, findingsToAnnotations } from '../../src/report/findings.js';
import { byRule, deploymentYaml, environment, validateYaml } from './helpers.js';

const LEVELS: PolicyLevel[] = ['off', 'notice', 'warning', 'error'];

describe('policy image-tag', () => {
  it.each(LEVELS)('reports an untagged or latest image at level %s', (level) => {
    const text = deploymentYaml('        - name: side\n          image: registry.example.com:5000/side:latest\n').replace('nginx:1.27.1', 'nginx');
    const findings = byRule(validateYaml(text, environment({ policies: { 'image-tag': level } })), 'image-tag');
    if (level === 'off') return expect(findings).toEqual([]);
    expect(findings.map((f) => [f.severity, f.line])).toEqual([
      [level, 16],
      [level, 18],
    ]);
    expect(findings[0].message).toContain('"nginx" has no tag');
    expect(findings[1].message).toContain('uses the tag "latest"');
  });

  it('checks init and ephemeral containers and CronJob job templates; accepts tags, registry ports and digests', () => {
    const text = `apiVersion: batch/v1
kind: CronJob
metadata: {name: c, namespace: apps}
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          initContainers: [{name: init, image: "busybox"}]
          containers:
            - {name: a, image: "registry.local:5000/app"}
            - {name: b, image: "registry.local:5000/app:2.0"}
            - {name: c, image: "app@sha256:${'a'.repeat(64)}"}
          ephemeralContainers: [{name: debug, image: "busybox:latest"}]
`;
    const messages = byRule(validateYaml(text), 'image-tag').map((f) => f.message);
    expect(messages).toHaveLength(3);
    expect(messages.join('\n')).toMatch(/"init".*\n.*"a".*\n.*"debug"/);
  });
});

describe('policy duplicate-object', () => {
  const cm = (namespace = '') => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a${namespace ? `, namespace: ${namespace}` : ''}}\n`;

  it.each(LEVELS)('reports the second definition naming the first at level %s', (level) => {
    // The environment default namespace makes both the same object.
    const findings = byRule(validateYaml(`${cm()}---\n${cm('apps')}`, environment({ policies: { 'duplicate-object': level } })), 'duplicate-object');
    if (level === 'off') return expect(findings).toEqual([]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: level, line: 7 });
    expect(findings[0].message).toContain('ConfigMap/apps/a is defined twice: first at envs/dev/app.yaml:1:1');
  });

  it('tells apart namespaces, kinds and groups; ignores namespaces of cluster-scoped kinds', () => {
    expect(byRule(validateYaml(`${cm('x')}---\n${cm('y')}`), 'duplicate-object')).toEqual([]);
    expect(byRule(validateYaml(`${cm('x')}---\napiVersion: v1\nkind: Secret\nmetadata: {name: a, namespace: x}\n`), 'duplicate-object')).toEqual([]);
    const ns = (extra: string) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: team${extra}}\n`;
    expect(byRule(validateYaml(`${ns('')}---\n${ns(', namespace: other')}`), 'duplicate-object')).toHaveLength(1);
  });
});

describe('policy missing-namespace', () => {
  const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r}\n';

  it.each(LEVELS)('reports namespaced objects only, at level %s', (level) => {
    const findings = byRule(validateYaml(text, environment({ namespace: undefined, policies: { 'missing-namespace': level } })), 'missing-namespace');
    if (level === 'off') return expect(findings).toEqual([]);
    expect(findings).toMatchObject([{ severity: level, object: 'ConfigMap/a', line: 3 }]);
    expect(findings[0].message).toContain('set metadata.namespace');
  });

  it('is satisfied by the environment default', () => {
    expect(byRule(validateYaml(text, environment({ namespace: 'apps' })), 'missing-namespace')).toEqual([]);
  });
});

describe('policy plaintext-secret', () => {
  const secret = (body: string) => `apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: apps}\n${body}`;

  it.each(LEVELS)('reports data and stringData at level %s', (level) => {
    const findings = byRule(validateYaml(secret('data: {a: YWJj}\nstringData: {b: c}\n'), environment({ policies: { 'plaintext-secret': level } })), 'plaintext-secret');
    if (level === 'off') return expect(findings).toEqual([]);
    expect(findings.map((f) => [f.severity, f.line])).toEqual([
      [level, 4],
      [level, 5],
    ]);
    expect(findings[0].message).toMatch(/Sealed Secrets, External Secrets or SOPS/);
  });

  it('accepts a Secret without values', () => {
    expect(validateYaml(secret('type: Opaque\ndata: {}\n'))).toEqual([]);
  });

  it('never puts a secret value in a finding, a report or an annotation', () => {
    for (let round = 0; round < 20; round++) {
      const plain = randomBytes(12).toString('hex');
      const encoded = Buffer.from(plain).toString('base64');
      const odd = randomBytes(9).toString('base64');
      // Values in data, stringData, with wrong types and unknown fields around them.
      const text = secret(`data: {password: ${encoded}, n: 12345${round}}\nstringData: {token: "${plain}", other: "${odd}"}\ntype: Opaque\nimmutible: true\n`);
      const findings = validateYaml(text, environment({ policies: { 'plaintext-secret': 'error' } }));
      expect(findings.length).toBeGreaterThanOrEqual(3);
      const everything = [
        JSON.stringify(findings),
        formatFindingsText(findings, { color: false }),
        findingsMarkdownTable(findings, 50),
        JSON.stringify(findingsToAnnotations(findings)),
      ].join('\n');
      for (const value of [plain, encoded, odd, `12345${round}`]) expect(everything).not.toContain(value);
    }
  });
});

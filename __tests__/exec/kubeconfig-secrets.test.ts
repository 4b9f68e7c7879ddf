import { kubeconfigSecrets } from '../../src/exec/kubeconfig-secrets.js';

describe('kubeconfigSecrets', () => {
  it('takes credential values and leaves structure alone', () => {
    const content = `apiVersion: v1
kind: Config
clusters:
  - name: prod
    cluster: { server: https://10.0.0.1, certificate-authority-data: Q0EtREFUQQ== }
users:
  - name: ci
    user:
      token: tok-abcdefghijklmnop
      client-key-data: S0VZLURBVEE=
  - name: plugin
    user:
      exec:
        command: aws
        env:
          - name: AWS_SECRET_ACCESS_KEY
            value: very-secret-key-123
contexts: [{ name: prod, context: { cluster: prod, user: ci } }]
current-context: prod
`;
    const secrets = kubeconfigSecrets(content);
    expect(secrets).toEqual(expect.arrayContaining(['tok-abcdefghijklmnop', 'S0VZLURBVEE=', 'very-secret-key-123']));
    expect(secrets).not.toContain('v1');
    expect(secrets.join('\n')).not.toMatch(/apiVersion|https:\/\/10\.0\.0\.1|Q0EtREFUQQ==/);
  });

  it('masks every substantial line of a file it cannot read', () => {
    expect(kubeconfigSecrets('token: [unclosed\n  a-long-credential-line-here')).toContain('a-long-credential-line-here');
  });
});

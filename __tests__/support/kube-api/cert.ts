/**
 * A self-signed serving certificate for 127.0.0.1. Generated once per process: RSA key
 * generation is the slow part, and every server in a test run can share one certificate.
 */
import { generateKeyPairSync } from 'node:crypto';
import selfsigned from 'selfsigned';

export interface ServingCertificate {
  cert: string;
  key: string;
}

let cached: ServingCertificate | undefined;

export function servingCertificate(): ServingCertificate {
  if (cached) return cached;
  // node:crypto makes the key natively (fast); selfsigned then only signs.
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const options = {
    days: 30,
    algorithm: 'sha256',
    keyPair: { publicKey, privateKey },
    extensions: [
      // Go's TLS stack (kubectl) insists on a SAN for IP addresses and accepts this
      // certificate as its own trust anchor when it may sign certificates.
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
    ],
  };
  const pems = selfsigned.generate([{ name: 'commonName', value: 'slipway-fake-kube-apiserver' }], options as Parameters<typeof selfsigned.generate>[1]);
  cached = { cert: pems.cert, key: pems.private };
  return cached;
}

/**
 * A self-signed serving certificate for 127.0.0.1, on an ECDSA P-256 key. Generated once per
 * process, and every server in a test run shares it.
 *
 * ECDSA rather than RSA: every new client connection costs the server one signature in the
 * TLS handshake, and a P-256 signature takes a small fraction of the CPU of an RSA-2048 one
 * (engines open dozens of connections at once when they fan out). Node has no API to issue
 * certificates, so ./der.ts spells the few ASN.1 structures X.509 needs.
 */
import { createPrivateKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { bitString, boolean, explicit, integer, octetString, oid, sequence, set, tlv, utcTime, utf8String } from './der.js';

export interface ServingCertificate {
  cert: string;
  key: string;
}

const COMMON_NAME = 'slipway-fake-kube-apiserver';
const ECDSA_WITH_SHA256 = sequence(oid('1.2.840.10045.4.3.2'));
const DAY_MS = 24 * 60 * 60 * 1000;

let cached: ServingCertificate | undefined;

export function servingCertificate(): ServingCertificate {
  if (cached) return cached;
  const { publicKey, privateKey } = generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const name = sequence(set(sequence(oid('2.5.4.3'), utf8String(COMMON_NAME))));
  // Backdated an hour so a client clock slightly behind still accepts it.
  const now = Date.now();
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))), // v3
    integer(randomBytes(16)),
    ECDSA_WITH_SHA256,
    name,
    sequence(utcTime(new Date(now - 60 * 60 * 1000)), utcTime(new Date(now + 30 * DAY_MS))),
    name,
    publicKey,
    explicit(3, sequence(...extensions())),
  );
  const signature = sign('sha256', tbs, createPrivateKey(privateKey));
  const der = sequence(tbs, ECDSA_WITH_SHA256, bitString(signature));
  cached = { cert: pem('CERTIFICATE', der), key: privateKey };
  return cached;
}

/**
 * Go's TLS stack (kubectl) insists on a SAN for IP addresses and accepts this certificate as
 * its own trust anchor when it may sign certificates.
 */
function extensions(): Buffer[] {
  const extension = (id: string, critical: boolean, value: Buffer) =>
    sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value));
  return [
    extension('2.5.29.19', true, sequence(boolean(true))), // basicConstraints: CA
    extension('2.5.29.15', true, bitString(Buffer.from([0x84]), 2)), // keyUsage: digitalSignature, keyCertSign
    extension('2.5.29.37', false, sequence(oid('1.3.6.1.5.5.7.3.1'))), // extKeyUsage: serverAuth
    // subjectAltName: iPAddress 127.0.0.1 ([7]) and dNSName localhost ([2]).
    extension('2.5.29.17', false, sequence(tlv(0x87, Buffer.from([127, 0, 0, 1])), tlv(0x82, Buffer.from('localhost', 'ascii')))),
  ];
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

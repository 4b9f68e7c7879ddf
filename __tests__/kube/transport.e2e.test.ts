// The real wire: HTTPS with the cluster CA from the kubeconfig, bearer token, keep-alive,
// Retry-After, and a connection reset, against a bare node:https server on 127.0.0.1.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { KubeClient } from '../../src/kube/client.js';
import { servingCertificate } from '../support/kube-api/cert.js';

const TOKEN = 'wire-token-9d8c7b6a5f4e3d2c';
let server: Server;
let kubeconfig: string;
const seen: { path: string; auth?: string; socket: number }[] = [];
let failNext = 0;
let resetNext = 0;

beforeAll(async () => {
  const { cert, key } = servingCertificate();
  const sockets = new WeakMap<object, number>();
  let socketCount = 0;
  server = createServer({ cert, key }, (req, res) => {
    if (!sockets.has(req.socket)) sockets.set(req.socket, ++socketCount);
    seen.push({ path: req.url ?? '', auth: req.headers.authorization, socket: sockets.get(req.socket)! });
    if (resetNext > 0) {
      resetNext -= 1;
      req.socket.destroy();
      return;
    }
    if (failNext > 0) {
      failNext -= 1;
      res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': '0' });
      res.end(JSON.stringify({ kind: 'Status', code: 429, reason: 'TooManyRequests', message: 'slow down' }));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ kind: 'APIVersions', versions: ['v1'] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  kubeconfig = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: c`,
    `  cluster: { server: "https://127.0.0.1:${port}", certificate-authority-data: "${Buffer.from(cert).toString('base64')}" }`,
    'users:',
    `- name: u`,
    `  user: { token: "${TOKEN}" }`,
    'contexts:',
    '- name: ctx',
    '  context: { cluster: c, user: u }',
    'current-context: ctx',
  ].join('\n');
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('HTTPS transport', () => {
  it('verifies the CA, sends the token, reuses connections and retries 429 and resets', async () => {
    const client = await KubeClient.connect({ kubeconfig });
    await Promise.all(Array.from({ length: 10 }, () => client.request({ method: 'GET', path: '/api' })));
    await client.request({ method: 'GET', path: '/api' });
    expect(seen.every((s) => s.auth === `Bearer ${TOKEN}`)).toBe(true);
    expect(new Set(seen.map((s) => s.socket)).size).toBeLessThanOrEqual(10);
    failNext = 1;
    resetNext = 1;
    await client.request({ method: 'GET', path: '/api' });
    expect(client.stats.retries).toBe(2);
    client.close();
  });
});

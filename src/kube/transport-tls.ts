/**
 * Opens one TLS connection to the API server, directly or through an HTTP(S) proxy's CONNECT
 * tunnel, offering the application protocols given (ALPN), with the kubeconfig's TLS options:
 * CA, client certificate and key, insecure-skip-tls-verify, tls-server-name.
 */

import * as http from 'node:http';
import * as https from 'node:https';
import { isIP, type Socket } from 'node:net';
import * as tls from 'node:tls';
import type { ConnectionSettings } from './connection.js';

export interface TlsTarget {
  server: URL;
  tls: ConnectionSettings['tls'];
  /** An http:// or https:// proxy to tunnel through (kubeconfig `proxy-url`). */
  proxy?: URL;
}

/** The host part of a URL without IPv6 brackets, and its port (443 by default). */
export function hostAndPort(url: URL, defaultPort = 443): { host: string; port: number } {
  return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port) || defaultPort };
}

/** Resolves once the TLS handshake is done; `alpnProtocol` on the socket says what the server chose. */
export async function openTls(target: TlsTarget, alpn: string[], timeoutMs: number): Promise<tls.TLSSocket> {
  const { host, port } = hostAndPort(target.server);
  const tunnel = target.proxy ? await openTunnel(target.proxy, host, port, timeoutMs) : undefined;
  const explicitName = target.tls.servername;
  return new Promise<tls.TLSSocket>((resolve, reject) => {
    const socket = tls.connect({
      host,
      port,
      socket: tunnel,
      ALPNProtocols: alpn,
      // SNI carries names only (RFC 6066); an IP address is checked against the certificate's IP SANs.
      servername: explicitName || (isIP(host) ? undefined : host),
      ca: target.tls.ca,
      cert: target.tls.cert,
      key: target.tls.key,
      pfx: target.tls.pfx,
      passphrase: target.tls.passphrase,
      ...(target.tls.rejectUnauthorized !== undefined ? { rejectUnauthorized: target.tls.rejectUnauthorized } : {}),
    });
    const timer = setTimeout(() => socket.destroy(Object.assign(new Error(`no TLS handshake within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      socket.removeListener('error', fail);
      resolve(socket);
    });
    const fail = (error: Error) => {
      clearTimeout(timer);
      tunnel?.destroy();
      reject(error);
    };
    socket.once('error', fail);
  });
}

/** An HTTP CONNECT tunnel to `host:port` through `proxy`; credentials in the proxy URL go in Proxy-Authorization. */
function openTunnel(proxy: URL, host: string, port: number, timeoutMs: number): Promise<Socket> {
  const secure = proxy.protocol === 'https:';
  const target = `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
  const headers: Record<string, string> = { Host: target };
  if (proxy.username || proxy.password) {
    const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
    headers['Proxy-Authorization'] = `Basic ${Buffer.from(credentials).toString('base64')}`;
  }
  const proxyAddress = hostAndPort(proxy, secure ? 443 : 80);
  return new Promise<Socket>((resolve, reject) => {
    const req = (secure ? https : http).request({ host: proxyAddress.host, port: proxyAddress.port, method: 'CONNECT', path: target, headers, agent: false });
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error(`the proxy ${proxy.host} did not answer CONNECT within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    req.once('connect', (res, socket, head) => {
      req.setTimeout(0);
      if (res.statusCode !== 200) {
        socket.destroy();
        return reject(Object.assign(new Error(`the proxy ${proxy.host} refused CONNECT ${target}: HTTP ${res.statusCode}`), { code: 'EPROXY' }));
      }
      if (head.length) socket.unshift(head);
      resolve(socket);
    });
    req.once('error', reject);
    req.end();
  });
}

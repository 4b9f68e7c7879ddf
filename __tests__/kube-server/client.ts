/** A bare HTTPS client for the server tests: exact bytes in, status and parsed body out. */
import { request } from 'node:https';
import type { FakeKubeApiServer } from '../support/kube-api-server.js';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  // Parsed JSON of whatever shape the server sent.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export function call(
  server: FakeKubeApiServer,
  method: string,
  path: string,
  options: { body?: unknown; contentType?: string; token?: string | null } = {},
): Promise<Reply> {
  const payload = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.token !== null) headers.Authorization = `Bearer ${options.token ?? server.token}`;
  if (payload !== undefined) {
    headers['Content-Type'] = options.contentType ?? 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(payload));
  }
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { method, headers, ca: server.caPem, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON (e.g. a proxy's 502 page)
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

export const APPLY = 'application/apply-patch+yaml';

/** PATCH with an apply configuration. */
export function apply(server: FakeKubeApiServer, path: string, config: unknown, query: string): Promise<Reply> {
  return call(server, 'PATCH', `${path}?${query}`, { body: config, contentType: APPLY });
}

/** Node's socket, TLS and HTTP/2 errors as the one transport error the retry policy reads. */

import { KubeTransportError } from './errors.js';
import type { TransportRequest } from './transport.js';

export function toTransportError(error: Error & { code?: string }, connected: boolean, request: Pick<TransportRequest, 'method' | 'path'>): KubeTransportError {
  if (error instanceof KubeTransportError) return error;
  const code = error.code ?? 'EUNKNOWN';
  return new KubeTransportError(code, `${request.method} ${request.path.split('?')[0]}: ${code}: ${error.message}`, connected);
}

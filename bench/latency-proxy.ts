/**
 * A TCP proxy that holds every chunk for a fixed delay in each direction, so a loopback API
 * server looks like one across a network link (10 ms each way is a 20 ms round trip). It
 * works below TLS and HTTP, so TLS handshakes, HTTP/2 and HTTP/1.1 all pay the round trips
 * they pay on a real link, and kubectl and Slipway go through the same one.
 */

import { createServer, connect, type Server, type Socket } from 'node:net';

export interface LatencyProxy {
  /** `127.0.0.1:<port>` */
  host: string;
  port: number;
  close(): Promise<void>;
}

/** Forwards `from` to `to`, each chunk `delayMs` later, in order; backpressure is left to the kernel buffers (bench-sized traffic). */
function delayedPipe(from: Socket, to: Socket, delayMs: number): void {
  from.on('data', (chunk: Buffer) => {
    setTimeout(() => {
      if (!to.destroyed) to.write(chunk);
    }, delayMs);
  });
  from.on('end', () => setTimeout(() => to.end(), delayMs));
  from.on('error', () => setTimeout(() => to.destroy(), delayMs));
  from.on('close', () => setTimeout(() => to.destroy(), delayMs + 1));
}

export async function startLatencyProxy(targetPort: number, delayMs: number, targetHost = '127.0.0.1'): Promise<LatencyProxy> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect({ host: targetHost, port: targetPort });
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }
    delayedPipe(client, upstream, delayMs);
    delayedPipe(upstream, client, delayMs);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('latency proxy has no TCP address');
  return {
    host: '127.0.0.1',
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

// An HTTP proxy on 127.0.0.1 that only tunnels (CONNECT), recording what it was asked for.
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { connect as netConnect, type AddressInfo, type Socket } from 'node:net';

export interface ConnectProxy {
  /** With credentials (`tunnel-user:s3cret`), as a proxy variable or proxy-url names it. */
  url: string;
  /** `host:port` of each tunnel asked for. */
  tunnels: string[];
  /** The Proxy-Authorization header of each. */
  auth: (string | undefined)[];
  close: () => Promise<void>;
}

/** `upstreamHost`: where every tunnel really goes (default: the host asked for), for names that do not resolve here. */
export async function startConnectProxy(options: { upstreamHost?: string } = {}): Promise<ConnectProxy> {
  const tunnels: string[] = [];
  const auth: (string | undefined)[] = [];
  const sockets = new Set<Socket>();
  const proxy: HttpServer = createHttpServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req, client: Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    auth.push(req.headers['proxy-authorization']);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = netConnect(Number(port), options.upstreamHost ?? host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as AddressInfo;
  return {
    url: `http://tunnel-user:s3cret@127.0.0.1:${port}`,
    tunnels,
    auth,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        proxy.close(() => resolve());
      }),
  };
}

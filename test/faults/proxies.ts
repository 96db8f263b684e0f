import { createServer, type Server } from "node:http";
import {
  connect,
  createServer as createNetServer,
  type Server as NetServer,
  type Socket,
} from "node:net";

/**
 * Tiny proxies on 127.0.0.1 for the proxy tests: an HTTP CONNECT proxy and a SOCKS5 proxy
 * (no authentication, CONNECT only). Each records the targets it was asked for.
 */
export interface TestProxy {
  url: string;
  /** "host:port" of every tunnel opened. */
  targets: string[];
  close: () => Promise<void>;
}

function tunnel(
  client: Socket,
  host: string,
  port: number,
  ready: () => void,
  head?: Buffer,
): void {
  const upstream = connect(port, host, () => {
    ready();
    if (head && head.byteLength > 0) upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
  upstream.on("error", () => client.destroy());
  client.on("error", () => upstream.destroy());
}

function listening(
  server: Server | NetServer,
  scheme: string,
  targets: string[],
): Promise<TestProxy> {
  const sockets = new Set<Socket>();
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      resolve({
        url: `${scheme}://127.0.0.1:${port}`,
        targets,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

export function startHttpProxy(): Promise<TestProxy> {
  const targets: string[] = [];
  const server = createServer((_, res) => res.writeHead(405).end());
  server.on("connect", (req, client: Socket, head: Buffer) => {
    const target = req.url ?? "";
    targets.push(target);
    const [host = "", port = "0"] = target.split(":");
    tunnel(
      client,
      host,
      Number(port),
      () => client.write("HTTP/1.1 200 Connection Established\r\n\r\n"),
      head,
    );
  });
  return listening(server, "http", targets);
}

export function startSocksProxy(): Promise<TestProxy> {
  const targets: string[] = [];
  const server = createNetServer((client) => {
    client.once("data", () => {
      client.write(Buffer.from([5, 0])); // version 5, no authentication
      client.once("data", (request: Buffer) => {
        const type = request[3];
        let host: string;
        let at: number;
        if (type === 1) {
          host = [...request.subarray(4, 8)].join(".");
          at = 8;
        } else if (type === 3) {
          const length = request[4] ?? 0;
          host = request.subarray(5, 5 + length).toString();
          at = 5 + length;
        } else {
          client.destroy();
          return;
        }
        const port = request.readUInt16BE(at);
        targets.push(`${host}:${port}`);
        tunnel(client, host, port, () => client.write(Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0])));
      });
    });
  });
  return listening(server, "socks5", targets);
}

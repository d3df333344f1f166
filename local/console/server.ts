/**
 * The live console of `npm start`: a small web page on loopback that polls a JSON snapshot of
 * the run (snapshot.ts) once a second. Its three assets are files of this project, served from
 * here; the page loads nothing else (its Content-Security-Policy says so) and needs no network.
 *
 * Only 127.0.0.1 is listened on, and a request whose Host header names another host is refused,
 * so a web page elsewhere cannot read the console through DNS rebinding.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

const ASSETS: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/console.js': { file: 'console.js', type: 'text/javascript; charset=utf-8' },
  '/console.css': { file: 'console.css', type: 'text/css; charset=utf-8' },
};

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'",
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

export interface LiveConsole {
  url: string;
  stop(): Promise<void>;
}

export async function startConsole(snapshot: () => unknown, port = 0): Promise<LiveConsole> {
  const dir = join(__dirname, 'assets');
  const assets = new Map(Object.entries(ASSETS).map(([path, a]) => [path, { body: readFileSync(join(dir, a.file)), type: a.type }]));
  let address = '';
  const server: Server = createServer((req, res) => {
    const host = req.headers.host ?? '';
    if (host !== address && host !== address.replace('127.0.0.1', 'localhost')) {
      res.writeHead(403, SECURITY_HEADERS).end('forbidden');
      return;
    }
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (req.method !== 'GET') {
      res.writeHead(405, SECURITY_HEADERS).end();
      return;
    }
    if (path === '/api/snapshot') {
      let body: string;
      try {
        body = JSON.stringify(snapshot());
      } catch (err) {
        res.writeHead(500, { ...SECURITY_HEADERS, 'content-type': 'text/plain' }).end((err as Error).message);
        return;
      }
      res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'application/json' }).end(body);
      return;
    }
    const asset = assets.get(path);
    if (!asset) {
      res.writeHead(404, SECURITY_HEADERS).end('not found');
      return;
    }
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': asset.type }).end(asset.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `http://${address}/`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

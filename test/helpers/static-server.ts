/**
 * A static file server on 127.0.0.1 (a free port) for the page tests: serves one directory as a
 * browser would see it on any web server, and keeps the status of every request it answered.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { noteProgress } from './progress.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.csv': 'text/csv; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.parquet': 'application/vnd.apache.parquet',
};

/** A running server: its origin, the requests it answered (`<status> <path>`), and how to stop it. */
export interface StaticServer {
  origin: string;
  requests: string[];
  close(): Promise<void>;
}

/** Serves `root` (files only; no listings, nothing outside it) on 127.0.0.1, port 0. */
export async function serveDirectory(root: string): Promise<StaticServer> {
  const base = resolve(root);
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const file = resolve(join(base, path));
      let status = 404;
      if (file.startsWith(base + sep) && (await stat(file).catch(() => null))?.isFile()) status = 200;
      requests.push(`${status} ${path}`);
      noteProgress();
      if (status !== 200) {
        res.writeHead(status, { 'content-type': 'text/plain' }).end('not found\n');
        return;
      }
      res.writeHead(200, { 'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream' });
      if (req.method === 'HEAD') res.end();
      else createReadStream(file).pipe(res);
    })().catch((e: unknown) => {
      requests.push(`500 ${req.url}: ${String(e)}`);
      res.writeHead(500).end();
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer } from 'ws';
import type { Host } from './host.js';
import { wsConnection } from './ws-connection.js';
import { VERSION } from './version.js';

/** Same-origin everything; workers only from our own scripts (the indicator worker), never blob: or data:. */
export const CSP =
  "default-src 'self'; script-src 'self'; worker-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self' ws: wss:; " +
  "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

export interface ServeOptions {
  port: number;
  host: string;
  /** dist/renderer: the built UI. */
  staticDir: string;
}

export interface RunningServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

/** Resolves a URL path inside `root`, or null when it would escape it. */
export function staticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0]!);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const rel = normalize(decoded === '/' ? '/index.html' : decoded).replace(/^([/\\])+/, '');
  const full = join(root, rel);
  return full === root || full.startsWith(root.endsWith(sep) ? root : root + sep) ? full : null;
}

/**
 * `candlewick serve`: the UI, `GET /health`, `GET /api/services` and the WebSocket API at /api/ws on one port.
 * Browsers may only connect from the page this server served (Origin check), so a web page elsewhere cannot
 * drive the host through the user's browser; non-browser clients send no Origin.
 */
export async function startServer(host: Host, opts: ServeOptions): Promise<RunningServer> {
  const started = Date.now();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  const server = createServer((req, res) => void route(req, res));

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const path = url.split('?')[0]!;
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain', 'method not allowed\n');
    if (path === '/health') {
      return send(200, 'application/json', JSON.stringify({ ok: true, version: VERSION, uptimeMs: Date.now() - started }));
    }
    if (path === '/api/services') return send(200, 'application/json', JSON.stringify(host.registry.list()));
    if (path.startsWith('/api/')) return send(404, 'application/json', JSON.stringify({ error: `no such endpoint ${path}` }));
    const file = staticPath(opts.staticDir, path);
    if (!file) return send(400, 'text/plain', 'bad path\n');
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': MIME[extname(file)] ?? 'application/octet-stream',
        'content-security-policy': CSP,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-cache',
      });
      res.end(body);
    } catch {
      send(404, 'text/plain', `not found: ${path}\n`);
    }
  }

  server.on('upgrade', (req, socket, head) => {
    const path = (req.url ?? '').split('?')[0];
    const origin = req.headers.origin;
    const hostHeader = req.headers.host;
    if (path !== '/api/ws') {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    if (origin !== undefined && origin !== `http://${hostHeader}` && origin !== `https://${hostHeader}`) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const label = `ws ${req.socket.remoteAddress}:${req.socket.remotePort}`;
      host.attach(wsConnection(ws, label));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  return {
    port,
    url: `http://${opts.host}:${port}/`,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

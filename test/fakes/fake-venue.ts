import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, WebSocket, type RawData } from 'ws';

export interface HttpReply {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface HttpRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** The query string exactly as sent, without the `?` (what signed requests are verified over). */
  rawQuery: string;
  headers: IncomingMessage['headers'];
  /** The raw body (form-encoded or JSON), '' for none. */
  body: string;
}

/** A scripted HTTP failure: the next `count` requests matching `path` get this reply instead. */
export interface HttpFault {
  path: string | RegExp;
  count: number;
  reply: HttpReply;
}

export interface FakeVenueOptions {
  /** Venue routes: return undefined for a 404. Thrown errors become 500s (and fail the test that looks). */
  http(req: HttpRequest): HttpReply | Promise<HttpReply | undefined> | undefined;
  /** A client connected to `path` (`/ws`, `/stream?streams=...`). */
  ws(socket: WebSocket, path: string, query: URLSearchParams): void;
}

/**
 * The loopback HTTP + WebSocket server every fake exchange is built on, with the faults tests script:
 * dropped connections, silence, raw (malformed, truncated) frames, and failing HTTP replies (rate limits).
 */
export class FakeVenue {
  readonly sockets = new Set<WebSocket>();
  readonly httpLog: HttpRequest[] = [];
  private readonly faults: HttpFault[] = [];
  private readonly httpHolds: { path: string | RegExp; released: Promise<void>; release: () => void }[] = [];
  private silentUntil = 0;
  /** Connections refused (closed on accept) while > 0: a venue that is down. */
  refuseConnections = 0;
  private connectionHold: { stage: 'handshake' | 'open'; waiting: { pass(): void; refuse(): void }[] } | null = null;
  connections = 0;

  private constructor(
    private readonly server: Server,
    private readonly wss: WebSocketServer,
    readonly port: number,
  ) {}

  static async start(o: FakeVenueOptions): Promise<FakeVenue> {
    const wss = new WebSocketServer({ noServer: true });
    let venue: FakeVenue;
    const server = createServer((req, res) => void venue.onHttp(o, req, res));
    server.on('upgrade', (req, socket, head) => {
      const handshake = () =>
        wss.handleUpgrade(req, socket, head, (ws) => {
          venue.connections++;
          if (venue.refuseConnections > 0) {
            venue.refuseConnections--;
            ws.close(1013, 'try again later');
            return;
          }
          venue.sockets.add(ws);
          ws.on('close', () => venue.sockets.delete(ws));
          const url = new URL(req.url ?? '/', 'http://x');
          const serve = () => o.ws(ws, url.pathname, url.searchParams);
          if (venue.connectionHold?.stage !== 'open') return serve();
          // Open at the client, but the venue neither sends nor reads yet: what the client sends waits for it.
          const early: RawData[] = [];
          const keep = (d: RawData) => void early.push(d);
          ws.on('message', keep);
          venue.connectionHold.waiting.push({
            pass: () => {
              ws.off('message', keep);
              serve();
              for (const d of early) ws.emit('message', d, false);
            },
            refuse: () => ws.close(1013, 'try again later'),
          });
        });
      if (venue.connectionHold?.stage !== 'handshake') return handshake();
      venue.connectionHold.waiting.push({ pass: handshake, refuse: () => socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n') });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    venue = new FakeVenue(server, wss, (server.address() as AddressInfo).port);
    return venue;
  }

  get httpUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** True while a silence fault holds: venue code skips sends (the connection stays open, nothing arrives). */
  get silent(): boolean {
    return Date.now() < this.silentUntil;
  }

  silence(ms: number): void {
    this.silentUntil = Date.now() + ms;
  }

  /** Sends to one socket unless silenced; the venue's publishing goes through here. */
  send(ws: WebSocket, frame: string): void {
    if (!this.silent && ws.readyState === WebSocket.OPEN) ws.send(frame);
  }

  /** Kills every connection without a close handshake (a network drop). */
  dropConnections(): void {
    for (const ws of this.sockets) ws.terminate();
    this.sockets.clear();
  }

  /** Sends a raw frame (malformed, truncated, duplicate) to every connected client. */
  broadcastRaw(frame: string): void {
    for (const ws of this.sockets) if (ws.readyState === WebSocket.OPEN) ws.send(frame);
  }

  failHttp(fault: HttpFault): void {
    this.faults.push(fault);
  }

  /**
   * New WebSocket connections wait: at the `handshake` (the client is still connecting) or, once `open`, with the
   * venue neither sending nor reading (what the client sends is read when it is let through). Until `release` lets
   * the waiting ones (and later ones) through, or `refuse` turns the waiting ones away (503 at the handshake, a
   * 1013 close once open). `waiting` counts them.
   */
  holdConnections(stage: 'handshake' | 'open'): { waiting(): number; release(): void; refuse(): void } {
    const hold: NonNullable<FakeVenue['connectionHold']> = { stage, waiting: [] };
    this.connectionHold = hold;
    const end = (how: 'pass' | 'refuse') => {
      if (this.connectionHold === hold) this.connectionHold = null;
      for (const w of hold.waiting.splice(0)) w[how]();
    };
    return { waiting: () => hold.waiting.length, release: () => end('pass'), refuse: () => end('refuse') };
  }

  /**
   * Requests matching `path` get no answer until the returned release is called (a slow venue: what a client sees
   * while the host waits on it). Released by close() too.
   */
  holdHttp(path: string | RegExp): () => void {
    let release!: () => void;
    const hold = { path, released: new Promise<void>((r) => (release = r)), release: () => release() };
    this.httpHolds.push(hold);
    return () => {
      const i = this.httpHolds.indexOf(hold);
      if (i >= 0) this.httpHolds.splice(i, 1);
      hold.release();
    };
  }

  async close(): Promise<void> {
    for (const h of this.httpHolds.splice(0)) h.release();
    // A socket held at the handshake would keep the server from closing.
    for (const w of this.connectionHold?.waiting.splice(0) ?? []) w.refuse();
    this.connectionHold = null;
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private async onHttp(o: FakeVenueOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://x');
    const r: HttpRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, rawQuery: url.search.slice(1), headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
    this.httpLog.push(r);
    const hold = this.httpHolds.find((h) => (typeof h.path === 'string' ? h.path === r.path : h.path.test(r.path)));
    if (hold) await hold.released;
    let reply: HttpReply | undefined;
    const fault = this.faults.find((f) => f.count > 0 && (typeof f.path === 'string' ? f.path === r.path : f.path.test(r.path)));
    if (fault) {
      fault.count--;
      reply = fault.reply;
    } else {
      try {
        reply = await o.http(r);
      } catch (e) {
        reply = { status: 500, body: { error: (e as Error).message } };
      }
    }
    reply ??= { status: 404, body: { error: `no route ${r.method} ${r.path}` } };
    const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
    res.end(body);
  }
}

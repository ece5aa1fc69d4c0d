import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../util/spawn-worker.js';
import { ServiceStatus, type Service } from '../services/registry.js';
import type { ServiceInfo, Timeframe } from '../protocol/types.js';
import type { DatadInit, DatadRequest, FeedStats, FromWorker, OpenResult, ToWorker } from './datad-messages.js';
import type { MktPair, SymbolMatch } from '../protocol/types.js';
import type { HistoryFormat, HistoryGap } from '../protocol/messages.js';
import type { LinkState } from '../brokers/backend.js';

export interface DatadListener {
  /** A buffer was (re)created: after a worker restart or a compaction. */
  onBuffer(fqme: string, timeframe: Timeframe, sab: SharedArrayBuffer): void;
  onQuotes(fqme: string, packed: Float64Array): void;
  onHistory(fqme: string, timeframe: Timeframe, first: number, done: boolean): void;
  /** The recorded gaps of a series changed (recorded, extended or forgotten). */
  onGaps(fqme: string, timeframe: Timeframe): void;
  onStats(broker: string, feeds: FeedStats[]): void;
  onLink(fqme: string, state: LinkState, detail: string, source: string): void;
  onEngine(fqme: string, status: string): void;
}

export class DatadError extends Error {
  constructor(
    readonly code: 'not_found' | 'internal' | 'unavailable',
    message: string,
  ) {
    super(message);
  }
}

const MAX_BACKOFF_MS = 10_000;
/** A stopping worker gets this long to write its closed bars and close its history store before it is terminated. */
const STOP_GRACE_MS = 5_000;

/**
 * The host's handle on one datad worker: request/reply over postMessage, and a supervisor that restarts
 * a crashed worker with backoff, re-opens its feeds and reports it, never silently.
 */
export class DatadService implements Service {
  readonly kind = 'datad' as const;
  readonly name: string;
  readonly status: ServiceStatus;
  private worker: Worker | null = null;
  private nextId = 1;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private opened = new Set<string>();
  private stopping = false;
  private ready: Promise<void> = Promise.resolve();

  constructor(
    private readonly init: DatadInit,
    private readonly listener: DatadListener,
    private readonly onChange: () => void,
    private readonly log: (line: string) => void,
  ) {
    this.name = `datad.${init.broker}`;
    this.status = new ServiceStatus(this.name, 'datad', onChange);
    this.spawn();
  }

  info(): ServiceInfo {
    return this.status.info();
  }

  open(fqme: string): Promise<OpenResult> {
    return this.request<OpenResult>({ op: 'open', fqme }).then((r) => {
      this.opened.add(r.mkt.fqme);
      return r;
    });
  }
  search(pattern: string, limit: number): Promise<SymbolMatch[]> {
    return this.request({ op: 'search', pattern, limit });
  }
  mktInfo(fqme: string): Promise<MktPair> {
    return this.request({ op: 'mktinfo', fqme });
  }

  historyExport(fqme: string, timeframe: Timeframe, format: HistoryFormat, path: string): Promise<{ rows: number }> {
    return this.request({ op: 'history.export', fqme, timeframe, format, path });
  }
  historyGaps(fqme: string | null): Promise<HistoryGap[]> {
    return this.request({ op: 'history.gaps', fqme });
  }

  step(period: Timeframe, time: number): void {
    this.worker?.postMessage({ t: 'step', period, time } satisfies ToWorker);
  }

  /** Test hook: makes the worker throw, to exercise the supervisor. */
  crash(): void {
    this.worker?.postMessage({ t: 'crash' } satisfies ToWorker);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const w = this.worker;
    this.worker = null;
    if (w) {
      // The worker writes its closed bars and closes the history store cleanly first (bounded), then goes.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, STOP_GRACE_MS);
        w.on('message', (m: FromWorker) => m.t === 'stopped' && (clearTimeout(timer), resolve()));
        w.once('exit', () => (clearTimeout(timer), resolve()));
        w.postMessage({ t: 'stop' } satisfies ToWorker);
      });
      await w.terminate();
    }
    this.failPending('datad stopped');
    this.status.set('stopped');
  }

  private async request<T>(req: DatadRequest): Promise<T> {
    await this.ready;
    const w = this.worker;
    if (!w) throw new DatadError('unavailable', `${this.name} is not running`);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      w.postMessage({ t: 'req', id, req } satisfies ToWorker);
    });
  }

  private spawn(): void {
    const w = spawnWorker(import.meta.url, 'datad.worker', { workerData: this.init, name: this.name });
    this.worker = w;
    w.on('message', (m: FromWorker) => this.onMessage(m));
    w.on('online', () => this.status.set('running'));
    // A worker can die of anything thrown, not only Errors (a rejection with undefined): never a crash here.
    w.on('error', (e: unknown) => this.onExit(w, `crashed: ${e instanceof Error ? e.message : String(e)}`));
    w.on('exit', (code) => this.onExit(w, `exited with code ${code}`));
  }

  private onExit(w: Worker, why: string): void {
    if (this.worker !== w || this.stopping) return;
    this.worker = null;
    this.failPending(`${this.name} ${why}`);
    this.status.restarts++;
    const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(this.status.restarts - 1, 6));
    this.log(`${this.name} ${why}; restart #${this.status.restarts} in ${delay} ms`);
    this.status.set('restarting', `${why} (restart #${this.status.restarts})`);
    this.ready = new Promise((resolve) => {
      setTimeout(() => {
        if (this.stopping) return resolve();
        this.spawn();
        resolve();
        void this.reopen();
      }, delay);
    });
  }

  /** After a restart: open every feed again; listeners get the new buffers as resets. */
  private async reopen(): Promise<void> {
    for (const fqme of this.opened) {
      try {
        const r = await this.open(fqme);
        for (const b of r.buffers) this.listener.onBuffer(fqme, b.timeframe, b.sab);
      } catch (e) {
        this.log(`${this.name}: re-opening ${fqme} after restart failed: ${(e as Error).message}`);
      }
    }
  }

  private failPending(why: string): void {
    for (const p of this.pending.values()) p.reject(new DatadError('unavailable', why));
    this.pending.clear();
  }

  private onMessage(m: FromWorker): void {
    switch (m.t) {
      case 'reply': {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if ('error' in m) p.reject(new DatadError(m.error.code, m.error.message));
        else p.resolve(m.result);
        return;
      }
      case 'quotes':
        return this.listener.onQuotes(m.fqme, m.packed);
      case 'buffer':
        return this.listener.onBuffer(m.fqme, m.timeframe, m.sab);
      case 'history':
        return this.listener.onHistory(m.fqme, m.timeframe, m.first, m.done);
      case 'gaps':
        return this.listener.onGaps(m.fqme, m.timeframe);
      case 'link':
        return this.listener.onLink(m.fqme, m.state, m.detail, m.source);
      case 'engine':
        return this.listener.onEngine(m.fqme, m.status);
      case 'stopped':
        return;
      case 'stats':
        this.status.detail = {
          feeds: m.feeds.length,
          'ticks/s': m.ingestRate,
          late: m.feeds.reduce((n, f) => n + f.late, 0),
          ...(m.backend
            ? {
                // Venue counters: nothing is dropped or rejected silently.
                received: m.backend.received,
                coalesced: m.backend.coalesced,
                dropped: m.backend.dropped,
                rejected: m.backend.rejected,
                duplicates: m.backend.duplicates,
                reconnects: m.backend.reconnects,
                repairs: m.feeds.reduce((n, f) => n + f.repairs, 0),
              }
            : {}),
          ...(m.store ? { history: m.store.state, 'bars stored': m.store.written } : {}),
        };
        this.onChange();
        return this.listener.onStats(this.init.broker, m.feeds);
    }
  }
}

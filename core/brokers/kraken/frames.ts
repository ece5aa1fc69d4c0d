import type { Tick } from '../../protocol/types.js';
import { parseExact } from './exact-json.js';
import { isoMs } from './iso-time.js';
import { newScan, scanTrades, TRADE_PREFIX } from './trade-scan.js';

/**
 * The public WS v2 frames (K1-K3) as ticks: `trade` (snapshot and updates) -> trade ticks, `ticker` with
 * event_trigger bbo -> bid/ask (price moved) or bsize/asize (size only) ticks. Acks, status, heartbeat and pong are
 * handled; anything else is counted in `rejected` and reported, never thrown.
 *
 * Duplicates: trade_id is a per-book sequence, so a trade with an id at or below the newest one seen for its
 * symbol is counted and dropped. That is what makes a resubscribe safe: the snapshot after a reconnect re-sends
 * the last 50 trades; the ones already delivered are duplicates, the ones printed during the gap are new.
 * Trades older than a subscription's start (`fromMs`: the feed has them from history) are skipped, not delivered.
 */
export interface SubscribeAck {
  method: 'subscribe' | 'unsubscribe';
  channel: string;
  symbol: string | null;
  success: boolean;
  error: string | null;
}

export interface FrameEvents {
  ticks(fqme: string, ticks: Tick[]): void;
  ack(a: SubscribeAck): void;
  /** The engine's status (`online`, `maintenance`, `cancel_only`, `post_only`) and the exact connection id. */
  status(system: string, connectionId: string): void;
  /** A venue error that is not a request's answer. */
  venueError(message: string): void;
  reject(reason: string, raw: string): void;
}

interface Tracked {
  fqme: string;
  fromMs: number;
  lastId: number;
  bid: number;
  bidQty: number;
  ask: number;
  askQty: number;
}

export interface FrameCounters {
  rejected: number;
  duplicates: number;
}

/** A finite number above zero (JSON.parse turns 1e999 into Infinity). */
function positive(v: unknown): v is number {
  return typeof v === 'number' && v > 0 && v < Infinity;
}

export class PublicFrames {
  private readonly symbols = new Map<string, Tracked>();
  readonly counters: FrameCounters = { rejected: 0, duplicates: 0 };
  private readonly scan = newScan();
  private batch: Tick[] = [];
  private batchFqme = '';

  constructor(private readonly ev: FrameEvents) {}

  /** Starts delivering `symbol` (v2 name) as `fqme`, trades from `fromMs` on. Keeps its dedup state if tracked. */
  track(symbol: string, fqme: string, fromMs: number): void {
    const t = this.symbols.get(symbol);
    if (t) t.fromMs = Math.min(t.fromMs, fromMs);
    else this.symbols.set(symbol, { fqme, fromMs, lastId: -1, bid: NaN, bidQty: NaN, ask: NaN, askQty: NaN });
  }

  untrack(symbol: string): void {
    this.symbols.delete(symbol);
  }

  /** A reconnect lost the L1 state: the next ticker snapshot is delivered in full. */
  resetQuotes(): void {
    for (const t of this.symbols.values()) t.bid = t.ask = NaN;
  }

  handle(raw: string): void {
    if (raw.startsWith(TRADE_PREFIX) && scanTrades(raw, this.scan)) return this.scannedTrades(raw);
    let m: Record<string, unknown>;
    try {
      m = JSON.parse(raw) as Record<string, unknown>;
    } catch (e) {
      return this.reject(`not JSON (${(e as Error).message})`, raw);
    }
    if (!m || typeof m !== 'object' || Array.isArray(m)) return this.reject('not a JSON object', raw);
    const channel = m.channel;
    if (channel === 'trade') return this.trades(m, raw);
    if (channel === 'ticker') return this.ticker(m, raw);
    if (channel === 'heartbeat') return;
    if (channel === 'status') return this.status(raw);
    const method = m.method;
    if (method === 'pong') return;
    if (method === 'subscribe' || method === 'unsubscribe') return this.ack(m, method, raw);
    if (typeof m.error === 'string') return this.ev.venueError(m.error);
    this.reject(`unknown frame (channel ${JSON.stringify(channel)}, method ${JSON.stringify(method)})`, raw);
  }

  private reject(reason: string, raw: string): void {
    this.counters.rejected++;
    this.ev.reject(reason, raw);
  }

  private data(m: Record<string, unknown>, raw: string): Record<string, unknown>[] | null {
    // An empty data array carries nothing (Kraken sends entries or nothing at all): counted, so nothing is silent.
    if ((m.type !== 'snapshot' && m.type !== 'update') || !Array.isArray(m.data) || m.data.length === 0) {
      this.reject(`${String(m.channel)} frame without type or entries`, raw);
      return null;
    }
    return m.data as Record<string, unknown>[];
  }

  /** The documented shape goes through the hand scanner; anything else through JSON.parse (`trades`). */
  private scannedTrades(raw: string): void {
    const sc = this.scan;
    for (let i = 0; i < sc.n; i++) this.trade(sc.symbol[i]!, sc.id[i]!, sc.price[i]!, sc.qty[i]!, sc.time[i]!, raw);
    this.flush();
  }

  private trades(m: Record<string, unknown>, raw: string): void {
    const data = this.data(m, raw);
    if (!data) return;
    for (const d of data) {
      const { trade_id: id, price, qty } = d ?? {};
      const time = isoMs(d?.timestamp);
      if (typeof id !== 'number' || !Number.isInteger(id) || typeof price !== 'number' || typeof qty !== 'number' || time !== time) {
        this.reject('malformed trade entry', raw);
        continue;
      }
      this.trade(d.symbol, id, price, qty, time, raw);
    }
    this.flush();
  }

  /** One trade: deduped by id per symbol, skipped before the subscription's start, batched per fqme. */
  private trade(symbol: unknown, id: number, price: number, qty: number, time: number, raw: string): void {
    const t = typeof symbol === 'string' ? this.symbols.get(symbol) : undefined;
    if (!t) return this.reject(`trade for an unsubscribed symbol ${JSON.stringify(symbol)}`, raw);
    if (!positive(price) || !positive(qty)) return this.reject('trade with a price or qty that is not a positive number', raw);
    if (id <= t.lastId) {
      this.counters.duplicates++;
      return;
    }
    t.lastId = id;
    if (time < t.fromMs) return;
    if (this.batch.length && this.batchFqme !== t.fqme) this.flush();
    this.batchFqme = t.fqme;
    this.batch.push({ type: 'trade', price, size: qty, time });
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    const ticks = this.batch;
    this.batch = [];
    this.ev.ticks(this.batchFqme, ticks);
  }

  private ticker(m: Record<string, unknown>, raw: string): void {
    const data = this.data(m, raw);
    if (!data) return;
    for (const d of data) {
      const t = d && typeof d.symbol === 'string' ? this.symbols.get(d.symbol) : undefined;
      if (!t) {
        this.reject(`ticker for an unsubscribed symbol ${JSON.stringify(d?.symbol)}`, raw);
        continue;
      }
      const { bid, bid_qty: bidQty, ask, ask_qty: askQty } = d;
      if (!positive(bid) || !positive(ask) || !positive(bidQty) || !positive(askQty)) {
        this.reject('ticker entry without positive bid, bid_qty, ask and ask_qty', raw);
        continue;
      }
      const ts = isoMs(d.timestamp);
      const time = ts === ts ? ts : Date.now();
      const ticks: Tick[] = [];
      if (bid !== t.bid) ticks.push({ type: 'bid', price: bid, size: bidQty, time });
      else if (bidQty !== t.bidQty) ticks.push({ type: 'bsize', price: bid, size: bidQty, time });
      if (ask !== t.ask) ticks.push({ type: 'ask', price: ask, size: askQty, time });
      else if (askQty !== t.askQty) ticks.push({ type: 'asize', price: ask, size: askQty, time });
      t.bid = bid;
      t.bidQty = bidQty;
      t.ask = ask;
      t.askQty = askQty;
      // With event_trigger bbo an update that changes nothing is a resend: counted like a duplicate trade.
      if (ticks.length) this.ev.ticks(t.fqme, ticks);
      else this.counters.duplicates++;
    }
  }

  private status(raw: string): void {
    // Parsed exactly: connection_id is above 2^53 and is worth logging right.
    let d: Record<string, unknown> | undefined;
    try {
      d = ((parseExact(raw) as { data?: Record<string, unknown>[] }).data ?? [])[0];
    } catch {
      d = undefined;
    }
    if (!d || typeof d.system !== 'string') return this.reject('status frame without data[0].system', raw);
    this.ev.status(d.system, typeof d.connection_id === 'string' ? d.connection_id : '?');
  }

  private ack(m: Record<string, unknown>, method: 'subscribe' | 'unsubscribe', raw: string): void {
    const result = (m.result && typeof m.result === 'object' ? m.result : {}) as Record<string, unknown>;
    if (typeof m.success !== 'boolean') return this.reject(`${method} answer without success`, raw);
    const symbol = typeof result.symbol === 'string' ? result.symbol : typeof m.symbol === 'string' ? m.symbol : null;
    this.ev.ack({
      method,
      channel: typeof result.channel === 'string' ? result.channel : '?',
      symbol,
      success: m.success,
      error: typeof m.error === 'string' ? m.error : null,
    });
  }
}

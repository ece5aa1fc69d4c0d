import type { BackendStats } from '../backend.js';
import type { Tick } from '../../protocol/types.js';
import type { LogLimiter } from '../net/log-limiter.js';
import { F_ACK, F_ERROR, F_QUOTE, F_REJECT, F_SHUTDOWN, F_TRADE, WireFrame, WireParser } from './wire.js';

/** One subscribed symbol on a connection: dedup state and the ticks waiting for the next flush. */
export interface SymbolFeed {
  readonly symbol: string;
  readonly fqme: string;
  /** Highest trade id delivered: a trade at or below it is a duplicate (reconnect overlap, venue resend). */
  lastTradeId: number;
  /** Highest book update id delivered: an older quote (from the other connection of a roll-over) is stale. */
  lastUpdateId: number;
  bid: number;
  ask: number;
  /** Time of the newest trade delivered: what a 'resumed' event reports after a break. */
  lastTradeMs: number;
  pending: Tick[];
}

export type ControlKind = typeof F_ACK | typeof F_ERROR | typeof F_SHUTDOWN;

export interface HandlerOptions {
  /** For logs: `binance.spot`. */
  name: string;
  stats: BackendStats;
  deliver(fqme: string, ticks: Tick[]): void;
  logs: LogLimiter;
  /**
   * Flush after the current run of frames (a microtask after the queue drain), so a burst becomes one batch per
   * symbol. Off for the benchmark, which calls flush() itself.
   */
  autoFlush?: boolean;
  onControl?(kind: ControlKind, frame: WireFrame): void;
}

/**
 * Frames of one Binance stream connection -> normalized ticks per fqme: parse (the scanner for trades), dedup by
 * trade id, L1 quotes as bid/ask ticks (bsize/asize when only the size moved), batched per symbol. Bad frames are
 * counted in stats.rejected and logged (rate-limited); nothing here throws.
 */
export class BinanceFrameHandler {
  private readonly parser = new WireParser();
  private readonly frame = new WireFrame();
  private readonly feeds = new Map<string, SymbolFeed>();
  private last: SymbolFeed | null = null;
  private dirty: SymbolFeed[] = [];
  private scheduled = false;
  private readonly flushNow = () => this.flush();

  constructor(private readonly o: HandlerOptions) {}

  add(symbol: string, fqme: string): SymbolFeed {
    let f = this.feeds.get(symbol);
    if (!f) {
      f = { symbol, fqme, lastTradeId: -1, lastUpdateId: -1, bid: NaN, ask: NaN, lastTradeMs: 0, pending: [] };
      this.feeds.set(symbol, f);
    }
    return f;
  }

  remove(symbol: string): void {
    if (this.last?.symbol === symbol) this.last = null;
    this.feeds.delete(symbol);
  }

  get(symbol: string): SymbolFeed | undefined {
    return this.feeds.get(symbol);
  }

  get size(): number {
    return this.feeds.size;
  }

  onFrame(raw: string, recvMs: number): void {
    const f = this.frame;
    const kind = this.parser.parse(raw, f);
    if (kind === F_TRADE) {
      const s = this.feedOf(f.symbol);
      if (s === null) return;
      if (f.id <= s.lastTradeId) {
        this.o.stats.duplicates++;
        return;
      }
      s.lastTradeId = f.id;
      s.lastTradeMs = f.time;
      this.push(s, { type: 'trade', price: f.price, size: f.size, time: f.time });
    } else if (kind === F_QUOTE) {
      const s = this.feedOf(f.symbol);
      if (s === null) return;
      if (f.id <= s.lastUpdateId) {
        // A book state we already have or one older (the other connection of a roll-over, a resend).
        this.o.stats.duplicates++;
        return;
      }
      // An empty side (price or size 0) has no quote to show: it is skipped, the other side still goes out.
      const bid = f.bid > 0 && f.bidSize > 0;
      const ask = f.ask > 0 && f.askSize > 0;
      if (!bid && !ask) return this.reject('bookTicker with neither side', raw);
      s.lastUpdateId = f.id;
      const time = f.time > 0 ? f.time : recvMs;
      if (bid) this.push(s, { type: f.bid === s.bid ? 'bsize' : 'bid', price: f.bid, size: f.bidSize, time });
      if (ask) this.push(s, { type: f.ask === s.ask ? 'asize' : 'ask', price: f.ask, size: f.askSize, time });
      if (bid) s.bid = f.bid;
      if (ask) s.ask = f.ask;
    } else if (kind === F_REJECT) {
      this.reject(f.msg, raw);
    } else {
      this.o.onControl?.(kind, f);
    }
  }

  /** Hands every symbol's pending ticks to `deliver`, one batch per symbol. */
  flush(): void {
    this.scheduled = false;
    const dirty = this.dirty;
    if (dirty.length === 0) return;
    this.dirty = [];
    for (let i = 0; i < dirty.length; i++) {
      const s = dirty[i]!;
      const ticks = s.pending;
      s.pending = [];
      if (this.feeds.get(s.symbol) === s) this.o.deliver(s.fqme, ticks);
    }
  }

  private reject(why: string, raw: string): void {
    this.o.stats.rejected++;
    this.o.logs.line('reject', `${this.o.name}: rejected frame (${why}): ${raw.slice(0, 160)}`);
  }

  private feedOf(symbol: string): SymbolFeed | null {
    const last = this.last;
    if (last !== null && last.symbol === symbol) return last;
    const s = this.feeds.get(symbol);
    if (s === undefined) {
      // In flight after an UNSUBSCRIBE, or a stream we never asked for: nothing to deliver it to; counted.
      this.o.stats.rejected++;
      this.o.logs.line('unsubscribed', `${this.o.name}: frame for ${symbol}, which is not subscribed here (counted as rejected)`);
      return null;
    }
    this.last = s;
    return s;
  }

  private push(s: SymbolFeed, t: Tick): void {
    if (s.pending.push(t) === 1) this.dirty.push(s);
    if (this.o.autoFlush !== false && !this.scheduled) {
      this.scheduled = true;
      queueMicrotask(this.flushNow);
    }
  }
}

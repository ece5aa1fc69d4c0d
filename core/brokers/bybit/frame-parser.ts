import { isDecimal } from '../../protocol/decimal.js';
import type { Tick } from '../../protocol/types.js';
import { isSymbol, type Category } from './names.js';
import { TradeIds } from './trade-ids.js';
import { ScannedTrade, scanTradeFrame } from './trade-scan.js';

/**
 * What one raw frame from a Bybit public stream came to. Every frame has exactly one outcome and each outcome
 * is counted, so nothing is dropped silently:
 * - ticks: trades (deduplicated by id) or the merged L1 quote of one symbol; `note` says why some trades of the
 *   frame were rejected, if any were
 * - control: pong, subscribe / unsubscribe ack (a failed one has success false)
 * - empty: a valid quote frame with no side to show (a ticker or level-1 book without bid and ask)
 * - duplicate: every trade of the frame was delivered before
 * - rejected: malformed, truncated, unknown topic or op, a delta before its snapshot
 */
export type FrameOutcome =
  | { kind: 'ticks'; symbol: string; ticks: Tick[]; note?: string }
  | { kind: 'control'; op: string; success: boolean; message: string; reqId: string }
  | { kind: 'empty'; symbol: string }
  | { kind: 'duplicate'; symbol: string }
  | { kind: 'rejected'; reason: string };

export interface ParserCounters {
  frames: number;
  control: number;
  empty: number;
  /** Rejected frames plus rejected trades inside otherwise good frames. */
  rejected: number;
  /** Duplicate trades. */
  duplicates: number;
}

type Obj = Record<string, unknown>;
type Level = { price: number; size: number } | null;
interface L1 {
  bid: Level;
  ask: Level;
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
/** A positive finite number from a decimal string, NaN for anything else (numbers, exponents, "NaN", ""). */
const positive = (v: unknown): number => {
  const n = isDecimal(v) ? Number(v) : NaN;
  return n > 0 && Number.isFinite(n) ? n : NaN;
};
const isZero = (v: unknown): boolean => isDecimal(v) && Number(v) === 0;
const CONTROL_OPS = new Set(['ping', 'pong', 'subscribe', 'unsubscribe']);
const CHANNELS = new Set(['publicTrade.', 'tickers.', 'orderbook.1.']);

class Reject extends Error {}

/** The frame parser of one category's public stream (its trade-id windows and L1 state are per symbol). */
export class BybitFrameParser {
  readonly counters: ParserCounters = { frames: 0, control: 0, empty: 0, rejected: 0, duplicates: 0 };
  private readonly ids = new Map<string, TradeIds>();
  private readonly books = new Map<string, L1>();

  constructor(
    readonly category: Category,
    private readonly dedupeWindow = 4_096,
    /** Read publicTrade frames with the one-pass scanner (off: always JSON.parse, for comparing the two). */
    private readonly scan = true,
  ) {}

  handle(raw: string): FrameOutcome {
    this.counters.frames++;
    try {
      const scanned = this.scan ? scanTradeFrame(raw) : null;
      if (scanned) return this.onTopic(scanned as unknown as Obj, scanned.topic);
      let msg: unknown;
      try {
        msg = JSON.parse(raw);
      } catch {
        throw new Reject(raw.length === 0 ? 'empty frame' : 'not JSON (truncated?)');
      }
      if (!isObj(msg)) throw new Reject('not a JSON object');
      if (typeof msg.topic === 'string') return this.onTopic(msg, msg.topic);
      if (typeof msg.op === 'string') return this.onOp(msg, msg.op);
      throw new Reject('neither a topic nor an op');
    } catch (e) {
      if (!(e instanceof Reject)) throw e;
      this.counters.rejected++;
      return { kind: 'rejected', reason: e.message };
    }
  }

  /** Drops a symbol's state (its stream was unsubscribed; a new subscription starts from a new snapshot). */
  forget(symbol: string): void {
    this.ids.delete(symbol);
    this.books.delete(symbol);
  }

  private onOp(msg: Obj, op: string): FrameOutcome {
    if (!CONTROL_OPS.has(op)) throw new Reject(`unknown op ${op.slice(0, 40)}`);
    // Some Bybit pongs ({"op":"pong","args":[...]}) carry no success flag; acks always do.
    const success = op === 'pong' && msg.success === undefined ? true : msg.success;
    if (typeof success !== 'boolean') throw new Reject(`${op} reply without a success flag`);
    this.counters.control++;
    const message = typeof msg.ret_msg === 'string' ? msg.ret_msg : '';
    return { kind: 'control', op, success, message, reqId: typeof msg.req_id === 'string' ? msg.req_id : '' };
  }

  private onTopic(msg: Obj, topic: string): FrameOutcome {
    const dot = topic.lastIndexOf('.');
    const symbol = topic.slice(dot + 1);
    const channel = topic.slice(0, dot + 1);
    if (!CHANNELS.has(channel) || !isSymbol(symbol)) {
      throw new Reject(`unknown topic ${topic.slice(0, 60)}`);
    }
    if (channel === 'publicTrade.') return this.onTrades(msg, symbol);
    if (!isTime(msg.ts)) throw new Reject(`${topic}: ts ${String(msg.ts).slice(0, 30)}`);
    if (!isObj(msg.data)) throw new Reject(`${topic}: data is not an object`);
    const prev = this.books.get(symbol);
    if (msg.type !== 'snapshot' && msg.type !== 'delta') throw new Reject(`${topic}: type ${String(msg.type).slice(0, 20)}`);
    if (msg.type === 'delta' && !prev) throw new Reject(`${topic}: delta before any snapshot`);
    const base = msg.type === 'snapshot' ? { bid: null, ask: null } : prev!;
    const l1 = channel === 'tickers.' ? tickerL1(msg.data, symbol, base, msg.type === 'delta') : bookL1(msg.data, symbol, base, msg.type === 'delta');
    this.books.set(symbol, l1);
    const time = msg.ts;
    const ticks: Tick[] = [];
    if (l1.bid) ticks.push({ type: 'bid', price: l1.bid.price, size: l1.bid.size, time });
    if (l1.ask) ticks.push({ type: 'ask', price: l1.ask.price, size: l1.ask.size, time });
    if (ticks.length === 0) {
      this.counters.empty++;
      return { kind: 'empty', symbol };
    }
    return { kind: 'ticks', symbol, ticks };
  }

  private onTrades(msg: Obj, symbol: string): FrameOutcome {
    if (msg.type !== 'snapshot') throw new Reject(`publicTrade.${symbol}: type ${String(msg.type).slice(0, 20)}`);
    if (!Array.isArray(msg.data) || msg.data.length === 0) throw new Reject(`publicTrade.${symbol}: no trades`);
    let ids = this.ids.get(symbol);
    if (!ids) this.ids.set(symbol, (ids = new TradeIds(this.dedupeWindow)));
    const ticks: Tick[] = [];
    let bad = 0;
    let why = '';
    let dups = 0;
    let sorted = true;
    for (const e of msg.data as unknown[]) {
      const t = trade(e, symbol);
      if (typeof t === 'string') {
        bad++;
        why ||= t;
      } else if (!ids.admit((e as { i: string }).i, t.time)) dups++;
      else {
        if (ticks.length > 0 && t.time < ticks[ticks.length - 1]!.time) sorted = false;
        ticks.push(t);
      }
    }
    this.counters.duplicates += dups;
    const note = bad > 0 ? `publicTrade.${symbol}: ${bad} of ${msg.data.length} trades rejected (${why})` : undefined;
    if (ticks.length > 0) {
      this.counters.rejected += bad;
      // The feed folds trades in order; a frame is short, so restoring time order here is cheap.
      if (!sorted) ticks.sort((a, b) => a.time - b.time);
      return { kind: 'ticks', symbol, ticks, note };
    }
    if (bad > 0) {
      this.counters.rejected += bad - 1; // the frame's own reject is counted by handle()
      throw new Reject(note!);
    }
    return { kind: 'duplicate', symbol };
  }
}

/** A valid trade as a tick (its id is `e.i`), or why it is not one. */
function trade(e: unknown, symbol: string): Tick | string {
  if (!isObj(e) && !(e instanceof ScannedTrade)) return 'a trade is not an object';
  if (e.s !== symbol) return `symbol ${String(e.s).slice(0, 20)}`;
  const id = e.i;
  if (typeof id !== 'string' || id.length === 0 || id.length > 64) return `trade id ${String(id).slice(0, 20)}`;
  // A scanned trade has its plain decimals read already (the same doubles Number() gives).
  const scanned = e instanceof ScannedTrade;
  const price = scanned && e.pn > 0 ? e.pn : positive(e.p);
  const size = scanned && e.vn > 0 ? e.vn : positive(e.v);
  if (Number.isNaN(price) || Number.isNaN(size)) return `price ${String(e.p).slice(0, 20)} / size ${String(e.v).slice(0, 20)}`;
  if (!isTime(e.T)) return `time ${String(e.T).slice(0, 20)}`;
  return { type: 'trade', price, size, time: e.T };
}

/** One side of a ticker: both fields absent (or empty in a snapshot) means no level; a delta keeps what it omits. */
function tickerSide(data: Obj, side: 'bid' | 'ask', prev: Level, delta: boolean): Level {
  const p = data[`${side}1Price`];
  const s = data[`${side}1Size`];
  if (delta && p === undefined && s === undefined) return prev;
  if (!delta && (p === undefined || p === '') && (s === undefined || s === '')) return null;
  const price = p === undefined ? (prev?.price ?? NaN) : positive(p);
  const size = s === undefined ? (prev?.size ?? NaN) : positive(s);
  if (Number.isNaN(price) || Number.isNaN(size)) throw new Reject(`tickers: ${side} ${String(p).slice(0, 20)} x ${String(s).slice(0, 20)}`);
  return { price, size };
}

function tickerL1(data: Obj, symbol: string, base: L1, delta: boolean): L1 {
  if (data.symbol !== symbol) throw new Reject(`tickers.${symbol}: data for ${String(data.symbol).slice(0, 20)}`);
  return { bid: tickerSide(data, 'bid', base.bid, delta), ask: tickerSide(data, 'ask', base.ask, delta) };
}

/** The level-1 book: a snapshot gives the best level per side (or none); a delta's size 0 deletes that level. */
function bookSide(levels: unknown, side: string, prev: Level, delta: boolean): Level {
  if (!Array.isArray(levels)) throw new Reject(`orderbook.1: ${side} is not a list`);
  let out: Level = delta ? prev : null;
  for (const lv of levels) {
    if (!Array.isArray(lv) || lv.length < 2) throw new Reject(`orderbook.1: ${side} level is not [price, size]`);
    const price = positive(lv[0]);
    if (Number.isNaN(price)) throw new Reject(`orderbook.1: ${side} price ${String(lv[0]).slice(0, 20)}`);
    if (delta && isZero(lv[1])) {
      if (out && out.price === price) out = null;
      continue;
    }
    const size = positive(lv[1]);
    if (Number.isNaN(size)) throw new Reject(`orderbook.1: ${side} size ${String(lv[1]).slice(0, 20)}`);
    // Level 1 holds one level per side; should more come, the first (best) one counts.
    if (!delta && out) continue;
    out = { price, size };
  }
  return out;
}

function bookL1(data: Obj, symbol: string, base: L1, delta: boolean): L1 {
  if (data.s !== symbol) throw new Reject(`orderbook.1.${symbol}: data for ${String(data.s).slice(0, 20)}`);
  return { bid: bookSide(data.b, 'bid', base.bid, delta), ask: bookSide(data.a, 'ask', base.ask, delta) };
}

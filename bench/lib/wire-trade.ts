import type { Tick } from '../../core/protocol/types.js';
import { F_TRADE, WireFrame, WireParser } from '../../core/brokers/binance/wire.js';
import { spotTradeFrame } from '../../test/fakes/binance-frames.js';

/**
 * Binance spot trade frames (combined stream, as the adapter receives them) for the wire-path ingest benchmark,
 * and two ways to normalize one into a Tick: plain JSON.parse, and the Binance adapter's own parser
 * (core/brokers/binance/wire.ts: a one-pass scanner for the trade template, JSON.parse + checks for the rest).
 */
export function tradeFrame(symbol: string, id: number, price: number, size: number, timeMs: number, buyerMaker: boolean): string {
  return spotTradeFrame(symbol, { id, price: price.toFixed(2), size: size.toFixed(4), time: timeMs, buyerMaker });
}

/** Exchange symbol -> fqme: what an adapter's normalize step looks up for every message. */
export type SymbolMap = Map<string, string>;

interface WireTrade {
  e: string;
  s: string;
  p: string;
  q: string;
  T: number;
}

export function normalizeJson(text: string, symbols: SymbolMap): Tick | null {
  const frame = JSON.parse(text) as { data?: WireTrade } & WireTrade;
  const m = frame.data ?? frame;
  if (m.e !== 'trade' || symbols.get(m.s) === undefined) return null;
  return { type: 'trade', price: Number(m.p), size: Number(m.q), time: m.T };
}

/** The adapter's parser behind the benchmark's normalize signature. */
export class ScanNormalizer {
  private readonly parser = new WireParser();
  private readonly frame = new WireFrame();

  constructor(private readonly symbols: SymbolMap) {}

  normalize(text: string): Tick | null {
    const f = this.frame;
    if (this.parser.parse(text, f) !== F_TRADE || !this.symbols.has(f.symbol)) return null;
    return { type: 'trade', price: f.price, size: f.size, time: f.time };
  }
}

import { PricePath } from '../../core/brokers/sim/price-path.js';
import { TradeGenerator } from '../../core/brokers/sim/trades.js';
import type { SimMarket } from '../../core/brokers/sim/markets.js';

/** One trade as a fake venue publishes it: a venue-wide increasing id, exact-tick price, time in ms. */
export interface TapeTrade {
  id: number;
  price: number;
  size: number;
  time: number;
  /** The taker bought (Binance `m: false`, Kraken `side: buy`). */
  buy: boolean;
}

export interface TapeQuote {
  bid: number;
  bidSize: number;
  ask: number;
  askSize: number;
  time: number;
}

export interface TapeBar {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  trades: number;
}

export interface TapeSymbol {
  /** The venue's symbol (`BTCUSDT`, `BTC/USD`). */
  symbol: string;
  base: number;
  priceTick: string;
  sizeTick: string;
  meanSize?: number;
}

/**
 * The trades a fake exchange prints for one symbol, generated on the wall clock from the sim's price path and
 * kept, so the fake's REST candles, its streams and a test's recomputation all come from the same tape.
 */
export class TradeTape {
  readonly trades: TapeTrade[] = [];
  quote: TapeQuote | null = null;
  private readonly gen: TradeGenerator;
  private cursor: number;
  private nextId: number;
  readonly decimals: number;

  constructor(
    readonly sym: TapeSymbol,
    opts: { seed?: number; rate?: number; startMs?: number; firstId?: number } = {},
  ) {
    const market: SimMarket = {
      fqme: `${sym.symbol.toLowerCase().replace(/[^a-z0-9]/g, '')}.fake.tape`,
      description: sym.symbol,
      base: sym.base,
      priceTick: sym.priceTick,
      sizeTick: sym.sizeTick,
      minSize: sym.sizeTick,
      minNotional: '0',
      dst: { name: 'x', atype: 'crypto', txTick: sym.sizeTick },
      src: { name: 'y', atype: 'crypto', txTick: sym.priceTick },
      dailyVol: 0.03,
      meanSize: sym.meanSize ?? 0.05,
    };
    this.gen = new TradeGenerator(new PricePath(market, opts.seed ?? 7), opts.rate ?? 20);
    this.cursor = opts.startMs ?? Date.now();
    this.nextId = opts.firstId ?? 1_000_000;
    this.decimals = (sym.priceTick.split('.')[1] ?? '').length;
  }

  /** Generates everything up to `nowMs`; returns the new trades (quotes update `quote`). */
  advance(nowMs: number): TapeTrade[] {
    if (nowMs <= this.cursor) return [];
    const out: TapeTrade[] = [];
    let lastTrade: TapeTrade | null = null;
    for (const t of this.gen.ticksBetween(this.cursor, nowMs)) {
      if (t.type === 'trade') {
        lastTrade = { id: this.nextId++, price: t.price, size: t.size, time: t.time, buy: false };
        out.push(lastTrade);
      } else if (t.type === 'bid') {
        if (lastTrade) lastTrade.buy = t.price < lastTrade.price;
        this.quote = { ...(this.quote ?? { ask: t.price, askSize: t.size }), bid: t.price, bidSize: t.size, time: t.time };
      } else if (t.type === 'ask') {
        this.quote = { ...(this.quote ?? { bid: t.price, bidSize: t.size }), ask: t.price, askSize: t.size, time: t.time };
      }
    }
    this.cursor = nowMs;
    this.trades.push(...out);
    return out;
  }

  /** Pre-fills history: trades from `fromMs` to now without publishing them. */
  backfillFrom(fromMs: number): void {
    this.cursor = Math.min(this.cursor, fromMs);
    this.trades.length = 0;
    this.advance(Date.now());
  }

  fmt(price: number): string {
    return price.toFixed(this.decimals);
  }

  /**
   * Candles of `intervalSec` for buckets with start in [fromSec, toSec), ascending, from the tape: a bucket without
   * trades is flat at the previous close with volume 0 (as Binance prints it; buckets before the first trade are
   * omitted). This is also the recomputation tests compare a feed's buffers with.
   */
  bars(intervalSec: number, fromSec: number, toSec: number): TapeBar[] {
    return barsFromTrades(this.trades, intervalSec, fromSec, toSec);
  }
}

export function barsFromTrades(trades: readonly { price: number; size: number; time: number }[], intervalSec: number, fromSec: number, toSec: number): TapeBar[] {
  const out: TapeBar[] = [];
  const b0 = Math.floor(fromSec / intervalSec) * intervalSec;
  let i = lowerBound(trades, b0 * 1000);
  let prevClose = i > 0 ? trades[i - 1]!.price : null;
  for (let t = b0; t < toSec; t += intervalSec) {
    const end = (t + intervalSec) * 1000;
    if (i < trades.length && trades[i]!.time < end) {
      const first = trades[i]!;
      const bar: TapeBar = { time: t, open: first.price, high: first.price, low: first.price, close: first.price, volume: 0, trades: 0 };
      for (; i < trades.length && trades[i]!.time < end; i++) {
        const tr = trades[i]!;
        if (tr.price > bar.high) bar.high = tr.price;
        if (tr.price < bar.low) bar.low = tr.price;
        bar.close = tr.price;
        bar.volume += tr.size;
        bar.trades++;
      }
      prevClose = bar.close;
      out.push(bar);
    } else if (prevClose !== null) {
      out.push({ time: t, open: prevClose, high: prevClose, low: prevClose, close: prevClose, volume: 0, trades: 0 });
    }
  }
  return out;
}

function lowerBound(trades: readonly { time: number }[], ms: number): number {
  let lo = 0;
  let hi = trades.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (trades[mid]!.time < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DataBackend, LinkEvent } from '../brokers/backend.js';
import type { MktPair, Tick, Timeframe } from '../protocol/types.js';
import { TradeTape, type TapeBar } from '../../test/fakes/trade-tape.js';
import { Feed } from './feed.js';
import type { OhlcBuffer } from './ohlc-buffer.js';

const MKT: MktPair = {
  fqme: 'btcusdt.spot.tape',
  broker: 'tape',
  venue: 'spot',
  expiry: null,
  bsMktid: 'BTCUSDT',
  dst: { name: 'btc', atype: 'crypto', txTick: '0.00001' },
  src: { name: 'usdt', atype: 'stable', txTick: '0.01' },
  priceTick: '0.01',
  sizeTick: '0.00001',
  minSize: '0.00001',
  minNotional: '5',
};

/** A venue backend over a tape: candles from the tape, a stream the test drives (it can "disconnect"). */
function tapeBackend(tape: TradeTape) {
  let onTicks: ((f: string, t: Tick[]) => void) | null = null;
  let onLink: ((e: LinkEvent) => void) | null = null;
  const backend: DataBackend = {
    name: 'tape',
    getMktInfo: async () => MKT,
    searchSymbols: async () => [],
    history: async (_f: string, tf: Timeframe, endTime: number, count: number) => {
      const bars = tape.bars(tf, endTime - count * tf, endTime);
      return {
        length: bars.length,
        time: Float64Array.from(bars, (b) => b.time),
        open: Float64Array.from(bars, (b) => b.open),
        high: Float64Array.from(bars, (b) => b.high),
        low: Float64Array.from(bars, (b) => b.low),
        close: Float64Array.from(bars, (b) => b.close),
        volume: Float64Array.from(bars, (b) => b.volume),
      };
    },
    streamQuotes: (_f, _from, ticks, link) => {
      onTicks = ticks;
      onLink = link ?? null;
      return () => (onTicks = null);
    },
    close: () => {},
  };
  return {
    backend,
    deliver: (ticks: Tick[]) => onTicks?.(MKT.fqme, ticks),
    link: (e: LinkEvent) => onLink?.(e),
  };
}

const rowsOf = (buf: OhlcBuffer, beforeSec: number): TapeBar[] => {
  const out: TapeBar[] = [];
  const c = buf.cols;
  for (let i = buf.first; i < buf.last; i++) {
    if (c.time[i]! >= beforeSec) break;
    out.push({ time: c.time[i]!, open: c.open[i]!, high: c.high[i]!, low: c.low[i]!, close: c.close[i]!, volume: c.volume[i]!, trades: 0 });
  }
  return out;
};
const strip = (bars: TapeBar[]) => bars.map(({ trades: _t, ...b }) => b);

describe('Feed repair from venue history', () => {
  // 30 s into a minute, so the test's disconnect crosses a minute boundary.
  const T0 = Date.UTC(2026, 10, 21, 12, 0, 30);
  beforeEach(() => vi.useFakeTimers({ now: T0 }));
  afterEach(() => vi.useRealTimers());

  it('bars equal those recomputed from the trades after a venue open and a disconnect across a minute', async () => {
    const tape = new TradeTape({ symbol: 'BTCUSDT', base: 50_000, priceTick: '0.01', sizeTick: '0.00001' }, { startMs: T0 - 3 * 3_600_000, rate: 5 });
    tape.advance(T0);
    const { backend, deliver, link } = tapeBackend(tape);
    const buffers = new Map<Timeframe, OhlcBuffer>();
    const feed = new Feed(MKT, backend, { rows60: 120, rows1: 600 }, { onBuffer: (_f, tf, b) => buffers.set(tf, b), onHistory: () => {}, onTicks: () => {} });
    await feed.open(T0);
    link({ type: 'state', state: 'live' });

    let connected = true;
    let lastDelivered = T0;
    let sawGap = false;
    for (let t = T0 + 100; t <= T0 + 150_000; t += 100) {
      await vi.advanceTimersByTimeAsync(100);
      const trades = tape.advance(t);
      if (t === T0 + 10_000) {
        connected = false;
        link({ type: 'state', state: 'down', detail: 'closed 1006' });
      }
      if (t === T0 + 45_000) {
        // Before the repair the gap's 1 s bars are flat, volume 0, though the tape traded through it.
        const gap = rowsOf(feed.buffers.get(1)!, (T0 + 45_000) / 1000).filter((b) => b.time >= (T0 + 11_000) / 1000);
        sawGap = gap.length > 0 && gap.every((b) => b.volume === 0);
        connected = true;
        link({ type: 'state', state: 'live' });
        link({ type: 'resumed', lastMs: lastDelivered });
      }
      if (connected && trades.length > 0) {
        deliver(trades.map((tr) => ({ type: 'trade' as const, price: tr.price, size: tr.size, time: tr.time })));
        lastDelivered = trades[trades.length - 1]!.time;
      }
      feed.step(1, Math.floor(t / 1000) - 1);
    }
    expect(sawGap).toBe(true);
    expect(feed.repairs).toBeGreaterThan(0);
    const end = Math.floor((T0 + 150_000) / 1000);
    for (const tf of [1, 60] as const) {
      const closed = Math.floor(end / tf) * tf - tf;
      const buf = feed.buffers.get(tf)!;
      const got = rowsOf(buf, closed);
      const want = tape.bars(tf, got[0]!.time, closed);
      expect(strip(got)).toEqual(strip(want));
    }
    expect(buffers.get(60)).toBe(feed.buffers.get(60));
    feed.close();
  });
});

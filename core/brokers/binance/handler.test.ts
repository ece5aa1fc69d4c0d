import { describe, expect, it } from 'vitest';
import { futuresAggTradeFrame, futuresBookTickerFrame, spotBookTickerFrame, spotTradeFrame } from '../../../test/fakes/binance-frames.js';
import { emptyStats } from '../backend.js';
import { LogLimiter } from '../net/log-limiter.js';
import type { Tick } from '../../protocol/types.js';
import { BinanceFrameHandler } from './handler.js';
import { classifyFrame } from './connection.js';

function handler() {
  const stats = emptyStats();
  const out: { fqme: string; ticks: Tick[] }[] = [];
  const lines: string[] = [];
  const h = new BinanceFrameHandler({ name: 'test', stats, deliver: (fqme, ticks) => out.push({ fqme, ticks }), logs: new LogLimiter((l) => lines.push(l), 60_000, 2), autoFlush: false });
  h.add('BTCUSDT', 'btcusdt.spot.binance');
  h.add('ETHUSDT', 'ethusdt.spot.binance');
  return { h, stats, out, lines };
}

const trade = (id: number, price = '100.5', time = 1_700_000_000_000 + id) => spotTradeFrame('BTCUSDT', { id, price, size: '0.25', time, buyerMaker: false });
const quote = (u: number, bid: string, bidSize: string, ask: string, askSize: string) => spotBookTickerFrame('BTCUSDT', { updateId: u, bid, bidSize, ask, askSize, time: 0 });

describe('BinanceFrameHandler', () => {
  it('batches ticks per symbol until flush and drops same-or-older trade ids as duplicates', () => {
    const { h, stats, out } = handler();
    for (const id of [10, 11, 11, 9, 12]) h.onFrame(trade(id), 5);
    h.onFrame(spotTradeFrame('ETHUSDT', { id: 3, price: '3000', size: '1', time: 7, buyerMaker: true }), 5);
    expect(out).toEqual([]);
    h.flush();
    expect(out.map((b) => [b.fqme, b.ticks.map((t) => t.time)])).toEqual([
      ['btcusdt.spot.binance', [1_700_000_000_010, 1_700_000_000_011, 1_700_000_000_012]],
      ['ethusdt.spot.binance', [7]],
    ]);
    expect(out[0]!.ticks[0]).toEqual({ type: 'trade', price: 100.5, size: 0.25, time: 1_700_000_000_010 });
    expect(stats.duplicates).toBe(2);
  });

  it('turns bookTicker into bid/ask ticks, bsize/asize when only the size moved, and drops older book states', () => {
    const { h, out, stats } = handler();
    h.onFrame(quote(100, '99.5', '1', '100.5', '2'), 42);
    h.onFrame(quote(101, '99.5', '3', '100.6', '2'), 43);
    h.onFrame(quote(100, '1', '1', '2', '2'), 44);
    h.onFrame(quote(102, '0', '0', '0', '0'), 45);
    h.flush();
    expect(stats).toMatchObject({ duplicates: 1, rejected: 1 });
    expect(out[0]!.ticks).toEqual([
      { type: 'bid', price: 99.5, size: 1, time: 42 },
      { type: 'ask', price: 100.5, size: 2, time: 42 },
      { type: 'bsize', price: 99.5, size: 3, time: 43 },
      { type: 'ask', price: 100.6, size: 2, time: 43 },
    ]);
  });

  it('uses the USD-M frames: aggregate ids for dedup, the transaction time for quotes', () => {
    const { h, out, stats } = handler();
    h.onFrame(futuresAggTradeFrame('BTCUSDT', { id: 5, price: '50000.1', size: '0.003', time: 1_000, buyerMaker: true }), 0);
    h.onFrame(futuresAggTradeFrame('BTCUSDT', { id: 5, price: '50000.1', size: '0.003', time: 1_000, buyerMaker: true }), 0);
    h.onFrame(futuresBookTickerFrame('BTCUSDT', { updateId: 9, bid: '50000', bidSize: '1', ask: '50000.1', askSize: '2', time: 1_001 }), 0);
    h.flush();
    expect(out[0]!.ticks.map((t) => [t.type, t.price, t.time])).toEqual([
      ['trade', 50000.1, 1_000],
      ['bid', 50000, 1_001],
      ['ask', 50000.1, 1_001],
    ]);
    expect(stats.duplicates).toBe(1);
  });

  it('counts rejects (and frames of symbols not subscribed), logs them rate-limited with the count of the rest', () => {
    const { h, stats, out, lines } = handler();
    for (let i = 0; i < 5; i++) h.onFrame('{"broken', 0);
    h.onFrame(spotTradeFrame('SOLUSDT', { id: 1, price: '1', size: '1', time: 1, buyerMaker: false }), 0);
    h.flush();
    expect(stats.rejected).toBe(6);
    expect(out).toEqual([]);
    expect(lines.filter((l) => l.includes('rejected frame'))).toHaveLength(2);
    expect(lines.some((l) => /SOLUSDT, which is not subscribed/.test(l))).toBe(true);
  });

  it('classifies bookTicker frames as quotes keyed by stream, everything else as data', () => {
    expect(classifyFrame(quote(1, '1', '1', '2', '2'))).toEqual({ kind: 'quote', key: 'btcusdt@bookTicker' });
    expect(classifyFrame(trade(1))).toEqual({ kind: 'data' });
    expect(classifyFrame('{"result":null,"id":1}')).toEqual({ kind: 'data' });
  });
});

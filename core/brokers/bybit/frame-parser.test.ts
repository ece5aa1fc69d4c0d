import { describe, expect, it } from 'vitest';
import { classifyFrame } from './connection.js';
import {
  DOC_BOOK1,
  DOC_PONG_LINEAR,
  DOC_PONG_SPOT,
  DOC_SUB_ACK_LINEAR,
  DOC_SUB_ACK_SPOT,
  DOC_SUB_FAIL_HANDLER,
  DOC_TICKER_LINEAR,
  DOC_TICKER_SPOT,
  DOC_TRADE_LINEAR,
  SPOT_TRADE,
} from './doc-frames.test-util.js';
import { BybitFrameParser } from './frame-parser.js';

const tickerDelta = (fields: Record<string, string>, ts = 1760325052730) =>
  JSON.stringify({ topic: 'tickers.BTCUSDT', type: 'delta', data: { symbol: 'BTCUSDT', ...fields }, cs: 9532239430, ts });

describe('bybit frame parser: documented frames', () => {
  it('publicTrade (linear sample): one trade tick with exact decimals as numbers, the trade time T', () => {
    const p = new BybitFrameParser('linear');
    expect(p.handle(DOC_TRADE_LINEAR)).toEqual({
      kind: 'ticks',
      symbol: 'BTCUSDT',
      ticks: [{ type: 'trade', price: 16578.5, size: 0.001, time: 1672304486865 }],
      note: undefined,
    });
  });

  it('publicTrade carries an array: every trade of the frame becomes a tick, in time order', () => {
    const p = new BybitFrameParser('spot');
    const out = p.handle(SPOT_TRADE);
    expect(out.kind === 'ticks' && out.ticks.map((t) => [t.price, t.size, t.time])).toEqual([
      [16578.5, 0.001, 1672304486865],
      [16578.6, 0.25, 1672304486866],
    ]);
  });

  it('tickers (linear snapshot): complete L1 as bid and ask ticks at the frame ts', () => {
    const p = new BybitFrameParser('linear');
    expect(p.handle(DOC_TICKER_LINEAR)).toEqual({
      kind: 'ticks',
      symbol: 'BTCUSDT',
      ticks: [
        { type: 'bid', price: 66666.6, size: 23789.165, time: 1760325052630 },
        { type: 'ask', price: 66666.7, size: 23775.469, time: 1760325052630 },
      ],
    });
  });

  it('tickers (spot snapshot) has no bid/ask: an empty quote, counted, no ticks', () => {
    const p = new BybitFrameParser('spot');
    expect(p.handle(DOC_TICKER_SPOT)).toEqual({ kind: 'empty', symbol: 'BTCUSDT' });
    expect(p.counters.empty).toBe(1);
  });

  it('orderbook.1 snapshot: the best level of each side', () => {
    const p = new BybitFrameParser('spot');
    const out = p.handle(DOC_BOOK1);
    expect(out.kind === 'ticks' && out.ticks).toEqual([
      { type: 'bid', price: 16493.5, size: 0.006, time: 1672304484978 },
      { type: 'ask', price: 16611, size: 0.029, time: 1672304484978 },
    ]);
  });

  it('acks and pongs of both markets are control frames; a failed subscribe keeps its reason', () => {
    const p = new BybitFrameParser('linear');
    expect(p.handle(DOC_SUB_ACK_SPOT)).toEqual({ kind: 'control', op: 'subscribe', success: true, message: 'subscribe', reqId: '10001' });
    expect(p.handle(DOC_SUB_ACK_LINEAR)).toMatchObject({ kind: 'control', op: 'subscribe', success: true });
    expect(p.handle(DOC_PONG_SPOT)).toMatchObject({ kind: 'control', op: 'ping', success: true, message: 'pong' });
    expect(p.handle(DOC_PONG_LINEAR)).toMatchObject({ kind: 'control', op: 'ping', message: 'pong' });
    expect(p.handle('{"req_id":"","op":"pong","args":["1675418560633"],"conn_id":"x"}')).toMatchObject({ kind: 'control', op: 'pong', success: true });
    expect(p.handle(DOC_SUB_FAIL_HANDLER)).toMatchObject({ kind: 'control', success: false, message: 'error:handler not found,topic:tickers.NOPEUSDT' });
    expect(p.counters).toMatchObject({ frames: 6, control: 6, rejected: 0 });
  });
});

describe('bybit frame parser: duplicates', () => {
  it('a resent trade frame is a duplicate; a frame mixing old and new trades delivers only the new', () => {
    const p = new BybitFrameParser('spot');
    p.handle(SPOT_TRADE);
    expect(p.handle(SPOT_TRADE)).toEqual({ kind: 'duplicate', symbol: 'BTCUSDT' });
    expect(p.counters.duplicates).toBe(2);
    const mixed = JSON.parse(SPOT_TRADE) as { data: Record<string, unknown>[] };
    mixed.data.push({ ...mixed.data[1]!, i: '2290000000061666329', T: 1672304486900, p: '16579.00' });
    const out = p.handle(JSON.stringify(mixed));
    expect(out.kind === 'ticks' && out.ticks.map((t) => t.price)).toEqual([16579]);
    expect(p.counters.duplicates).toBe(4);
  });

  it('ids are per symbol: the same id on another symbol is a new trade', () => {
    const p = new BybitFrameParser('spot');
    p.handle(SPOT_TRADE);
    expect(p.handle(SPOT_TRADE.replaceAll('BTCUSDT', 'ETHUSDT')).kind).toBe('ticks');
  });

  it('a trade older than the dedupe window cannot be told apart and counts as a duplicate', () => {
    const p = new BybitFrameParser('linear', 2);
    const frame = (id: string, T: number) => DOC_TRADE_LINEAR.replace('20f43950-d8dd-5b31-9112-a178eb6023af', id).replace('1672304486865', String(T));
    for (const [id, T] of [['a', 1000], ['b', 2000], ['c', 3000]] as const) expect(p.handle(frame(id, T)).kind).toBe('ticks');
    // 'a' left the window: its time (1000) is the floor now.
    expect(p.handle(frame('a', 1000)).kind).toBe('duplicate');
    expect(p.handle(frame('z', 900)).kind).toBe('duplicate');
    expect(p.handle(frame('d', 1500)).kind).toBe('ticks');
    expect(p.counters.duplicates).toBe(2);
  });

  it('forget() clears a symbol: after a resubscribe the same trade is new again', () => {
    const p = new BybitFrameParser('linear');
    p.handle(DOC_TRADE_LINEAR);
    p.forget('BTCUSDT');
    expect(p.handle(DOC_TRADE_LINEAR).kind).toBe('ticks');
  });
});

describe('bybit frame parser: linear ticker deltas merge into the snapshot', () => {
  it('a delta changing only the bid size keeps the ask; a delta without L1 fields repeats the complete quote', () => {
    const p = new BybitFrameParser('linear');
    p.handle(DOC_TICKER_LINEAR);
    const a = p.handle(tickerDelta({ bid1Size: '5.5', lastPrice: '66666.70' }));
    expect(a.kind === 'ticks' && a.ticks).toEqual([
      { type: 'bid', price: 66666.6, size: 5.5, time: 1760325052730 },
      { type: 'ask', price: 66666.7, size: 23775.469, time: 1760325052730 },
    ]);
    const b = p.handle(tickerDelta({ ask1Price: '66667.00', ask1Size: '1' }, 1760325052830));
    expect(b.kind === 'ticks' && b.ticks.map((t) => [t.type, t.price, t.size])).toEqual([
      ['bid', 66666.6, 5.5],
      ['ask', 66667, 1],
    ]);
    const c = p.handle(tickerDelta({ markPrice: '66660.00' }, 1760325052930));
    expect(c.kind === 'ticks' && c.ticks.map((t) => t.price)).toEqual([66666.6, 66667]);
  });

  it('a delta before any snapshot, or with a bad value, is rejected and leaves the quote as it was', () => {
    const p = new BybitFrameParser('linear');
    expect(p.handle(tickerDelta({ bid1Price: '1' }))).toEqual({ kind: 'rejected', reason: 'tickers.BTCUSDT: delta before any snapshot' });
    p.handle(DOC_TICKER_LINEAR);
    expect(p.handle(tickerDelta({ bid1Price: '-3' })).kind).toBe('rejected');
    expect(p.handle(tickerDelta({ ask1Size: 'NaN' })).kind).toBe('rejected');
    const after = p.handle(tickerDelta({}));
    expect(after.kind === 'ticks' && after.ticks.map((t) => [t.price, t.size])).toEqual([
      [66666.6, 23789.165],
      [66666.7, 23775.469],
    ]);
    expect(p.counters.rejected).toBe(3);
  });

  it('a new snapshot resets the quote', () => {
    const p = new BybitFrameParser('linear');
    p.handle(DOC_TICKER_LINEAR);
    p.handle(tickerDelta({ bid1Price: '60000', bid1Size: '1' }));
    const s = p.handle(DOC_TICKER_LINEAR);
    expect(s.kind === 'ticks' && s.ticks[0]!.price).toBe(66666.6);
  });

  it('orderbook.1 delta: size 0 deletes the held level, another price replaces it', () => {
    const p = new BybitFrameParser('spot');
    p.handle(DOC_BOOK1);
    const delta = (b: string[][], a: string[][]) => JSON.stringify({ topic: 'orderbook.1.BTCUSDT', ts: 1672304485000, type: 'delta', data: { s: 'BTCUSDT', b, a, u: 18521289, seq: 7961638725 } });
    const out = p.handle(delta([['16493.50', '0']], [['16610.00', '1.5']]));
    expect(out.kind === 'ticks' && out.ticks).toEqual([{ type: 'ask', price: 16610, size: 1.5, time: 1672304485000 }]);
  });
});

describe('bybit frame parser: bad input is counted, never thrown', () => {
  const cases: [string, string][] = [
    ['empty', ''],
    ['truncated', DOC_TRADE_LINEAR.slice(0, 80)],
    ['not an object', '[1,2]'],
    ['unknown topic', '{"topic":"kline.5.BTCUSDT","type":"snapshot","ts":1,"data":[]}'],
    ['unknown op', '{"op":"auth","success":true}'],
    ['no topic nor op', '{"hello":1}'],
    ['price as a number', DOC_TRADE_LINEAR.replace('"16578.50"', '16578.5')],
    ['zero size', DOC_TRADE_LINEAR.replace('"0.001"', '"0.000"')],
    ['exponent', DOC_TRADE_LINEAR.replace('"16578.50"', '"1e400"')],
    ['time as a string', DOC_TRADE_LINEAR.replace('1672304486865', '"1672304486865"')],
    ['trade of another symbol', DOC_TRADE_LINEAR.replace('"s":"BTCUSDT"', '"s":"ETHUSDT"')],
    ['empty trade list', '{"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1,"data":[]}'],
    ['book level not a pair', DOC_BOOK1.replace('["16493.50","0.006"]', '"16493.50"')],
  ];
  for (const [name, raw] of cases) {
    it(`${name}: rejected`, () => {
      const p = new BybitFrameParser('linear');
      expect(p.handle(raw).kind).toBe('rejected');
      expect(p.counters.rejected).toBe(1);
    });
  }

  it('a frame with one bad trade among good ones delivers the good ones and counts the bad one', () => {
    const p = new BybitFrameParser('spot');
    const f = JSON.parse(SPOT_TRADE) as { data: Record<string, unknown>[] };
    f.data[0]!.p = 'abc';
    const out = p.handle(JSON.stringify(f));
    expect(out.kind === 'ticks' && out.ticks.length).toBe(1);
    expect(out.kind === 'ticks' && out.note).toMatch(/1 of 2 trades rejected/);
    expect(p.counters.rejected).toBe(1);
  });
});

describe('bybit frame classes for the socket queue', () => {
  it('level-1 book snapshots coalesce per topic; trades and ticker deltas never do', () => {
    expect(classifyFrame(DOC_BOOK1)).toEqual({ kind: 'quote', key: 'orderbook.1.BTCUSDT' });
    expect(classifyFrame(DOC_TRADE_LINEAR)).toEqual({ kind: 'data' });
    expect(classifyFrame(DOC_TICKER_LINEAR)).toEqual({ kind: 'data' });
    expect(classifyFrame(tickerDelta({}))).toEqual({ kind: 'data' });
  });
});

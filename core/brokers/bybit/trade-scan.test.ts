import { describe, expect, it } from 'vitest';
import { combos, mutations, prng, shuffle } from '../../../test/fuzz/mutate.js';
import { DOC_TRADE_LINEAR, SPOT_TRADE } from './doc-frames.test-util.js';
import { BybitFrameParser } from './frame-parser.js';
import { TradeIds } from './trade-ids.js';
import { scanTradeFrame } from './trade-scan.js';

describe('publicTrade scanner', () => {
  it('reads the documented frames to exactly the values JSON.parse gives, with the decimals as numbers', () => {
    for (const raw of [DOC_TRADE_LINEAR, SPOT_TRADE]) {
      const f = scanTradeFrame(raw)!;
      const j = JSON.parse(raw) as { topic: string; type: string; ts: number; data: Record<string, unknown>[] };
      expect([f.topic, f.type, f.ts]).toEqual([j.topic, j.type, j.ts]);
      expect(f.data!.map((t) => [t.T, t.s, t.i, t.p, t.v, t.pn, t.vn])).toEqual(j.data.map((t) => [t.T, t.s, t.i, t.p, t.v, Number(t.p), Number(t.v)]));
    }
  });

  it('leaves to JSON.parse what it cannot vouch for', () => {
    const cases = [
      DOC_TRADE_LINEAR.replace('"type":', ' "type":'), // whitespace
      DOC_TRADE_LINEAR.replace('"S":"Buy"', '"S":"B\\u0075y"'), // an escape
      DOC_TRADE_LINEAR.replace('"BT":false', '"BT":{}'), // a nested value
      DOC_TRADE_LINEAR.replace('"BT":false', '"XX":false'), // an unknown key
      DOC_TRADE_LINEAR.replace('"seq":1783284617', '"seq":1.5e9'), // not a plain integer
      DOC_TRADE_LINEAR.replace('"ts":', '"topic":"tickers.BTCUSDT","ts":'), // a later topic names another channel
      DOC_TRADE_LINEAR + ' ', // trailing text
      DOC_TRADE_LINEAR.slice(0, -1), // truncated
      DOC_TRADE_LINEAR.replace('"T":1672304486865', '"T":01672304486865'), // a leading zero is not JSON
    ];
    for (const raw of cases) expect(scanTradeFrame(raw), raw).toBeNull();
  });

  it('the parser reaches the same outcome with and without the scanner, over thousands of mutated frames', () => {
    const rand = prng(77);
    const samples = [DOC_TRADE_LINEAR, SPOT_TRADE];
    const inputs = shuffle([...samples.flatMap((s) => mutations(s, rand, 300)), ...combos(samples, rand, 2_000), ...samples], rand);
    const fast = new BybitFrameParser('linear');
    const slow = new BybitFrameParser('linear', undefined, false);
    let scanned = 0;
    for (const raw of inputs) {
      if (scanTradeFrame(raw)) scanned++;
      expect(fast.handle(raw), raw).toEqual(slow.handle(raw));
    }
    expect(fast.counters).toEqual(slow.counters);
    expect(scanned).toBeGreaterThan(300);
  });
});

describe('trade id window', () => {
  it('a trade newer than all is new; one at a kept time is compared by id', () => {
    const ids = new TradeIds(8);
    expect(ids.admit('a', 100)).toBe(true);
    expect(ids.admit('b', 100)).toBe(true);
    expect(ids.admit('a', 100)).toBe(false);
    // The same id at another time is another trade (a resend keeps its time).
    expect(ids.admit('a', 101)).toBe(true);
  });

  it('a late trade is kept in time order, so its resend is still found', () => {
    const ids = new TradeIds(8);
    for (const [id, t] of [['a', 100], ['c', 300], ['d', 400]] as const) ids.admit(id, t);
    expect(ids.admit('b', 200)).toBe(true);
    expect(ids.admit('b', 200)).toBe(false);
    expect(ids.admit('d', 400)).toBe(false);
    expect(ids.admit('e', 400)).toBe(true);
  });

  it('past the window, a trade at or before the newest time that left it is a duplicate', () => {
    const ids = new TradeIds(3);
    for (let t = 1; t <= 6; t++) expect(ids.admit(`t${t}`, t * 10)).toBe(true);
    // t1..t3 left the window: the floor is 30.
    expect(ids.admit('t2', 20)).toBe(false);
    expect(ids.admit('new', 30)).toBe(false);
    expect(ids.admit('new', 35)).toBe(true);
    expect(ids.admit('t6', 60)).toBe(false);
  });
});

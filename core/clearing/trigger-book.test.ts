import { describe, expect, it } from 'vitest';
import type { Action } from '../protocol/orders.js';
import type { TickType } from '../protocol/types.js';
import { TriggerBook, WATCHED_TICKS, marketableLimit, type Trigger } from './trigger-book.js';

const book = (last = 100): TriggerBook => {
  const b = new TriggerBook('xbtusd.spot.sim');
  b.onTick('last', last);
  return b;
};
const oids = (ts: Trigger[]): string[] => ts.map((t) => t.oid);

describe('direction from the last price at arming time', () => {
  it('a trigger at or above the last fires on a rise to it; below, on a fall to it', () => {
    const b = book(100);
    expect(b.arm({ oid: 'up', action: 'buy', price: '105' }).direction).toBe('up');
    expect(b.arm({ oid: 'at', action: 'buy', price: '100' }).direction).toBe('up');
    expect(b.arm({ oid: 'down', action: 'buy', price: '95' }).direction).toBe('down');
    expect(oids(b.onTick('ask', 99))).toEqual([]);
    expect(oids(b.onTick('ask', 100))).toEqual(['at']);
    expect(oids(b.onTick('ask', 104.5))).toEqual([]);
    expect(oids(b.onTick('ask', 106))).toEqual(['up']);
    expect(oids(b.onTick('ask', 95.5))).toEqual([]);
    expect(oids(b.onTick('ask', 90))).toEqual(['down']);
    expect(b.size).toBe(0);
  });

  it('uses an explicit last when given, and refuses to guess without one', () => {
    const b = new TriggerBook('x.y.sim');
    expect(() => b.arm({ oid: 'a', action: 'alert', price: '10' })).toThrow(/no last price/);
    expect(b.arm({ oid: 'a', action: 'alert', price: '10' }, 12).direction).toBe('down');
    b.onTick('trade', 5);
    expect(b.last).toBe(5);
    b.onTick('bid', 50); // quotes are not the last price
    expect(b.last).toBe(5);
  });

  it('refuses a duplicate oid and a non-numeric price', () => {
    const b = book();
    b.arm({ oid: 'a', action: 'buy', price: '1' });
    expect(() => b.arm({ oid: 'a', action: 'buy', price: '2' })).toThrow(/already armed/);
    expect(() => b.arm({ oid: 'b', action: 'buy', price: 'x' })).toThrow(/price "x"/);
  });
});

describe('tick-type filtering', () => {
  const TYPES: TickType[] = ['ask', 'bid', 'last', 'trade', 'asize', 'bsize'];
  it.each(TYPES.map((t) => [t]))('a %s tick fires only the actions that watch it', (type) => {
    const b = book(100);
    for (const a of ['buy', 'sell', 'alert'] as Action[]) b.arm({ oid: a, action: a, price: '101' });
    const fired = oids(b.onTick(type, 101)).sort();
    const want = (['alert', 'buy', 'sell'] as Action[]).filter((a) => WATCHED_TICKS[a].includes(type));
    expect(fired).toEqual(want);
  });

  it('matches piker: buy ask/last/trade, sell bid/last/trade, alert trade/last', () => {
    expect(WATCHED_TICKS).toEqual({ buy: ['ask', 'last', 'trade'], sell: ['bid', 'last', 'trade'], alert: ['trade', 'last'] });
  });

  it('ignores NaN and infinite prices', () => {
    const b = book(100);
    b.arm({ oid: 'a', action: 'alert', price: '90' });
    expect(b.onTick('trade', Number.NaN)).toEqual([]);
    expect(b.onTick('trade', -Infinity)).toEqual([]);
    expect(b.size).toBe(1);
  });
});

describe('ordering and equal prices', () => {
  it('fires many triggers at one price together, first armed first', () => {
    const b = book(100);
    for (let i = 0; i < 50; i++) b.arm({ oid: `e${i}`, action: 'sell', price: '110' });
    b.arm({ oid: 'beyond', action: 'sell', price: '110.5' });
    expect(b.onTick('bid', 109.5)).toEqual([]);
    expect(oids(b.onTick('bid', 110))).toEqual(Array.from({ length: 50 }, (_, i) => `e${i}`));
    expect(oids(b.onTick('bid', 111))).toEqual(['beyond']);
  });

  it('returns what a jump crosses in crossing order: rising lowest first, falling highest first', () => {
    const b = book(100);
    for (const p of ['104', '101', '103', '102']) b.arm({ oid: `u${p}`, action: 'buy', price: p });
    for (const p of ['96', '99', '97']) b.arm({ oid: `d${p}`, action: 'buy', price: p });
    expect(oids(b.onTick('ask', 103))).toEqual(['u101', 'u102', 'u103']);
    expect(oids(b.onTick('ask', 95))).toEqual(['d99', 'd97', 'd96']);
  });

  it('merges several actions fired by one trade into one crossing order', () => {
    const b = book(100);
    b.arm({ oid: 'alert-102', action: 'alert', price: '102' });
    b.arm({ oid: 'buy-101', action: 'buy', price: '101' });
    b.arm({ oid: 'sell-102', action: 'sell', price: '102' });
    b.arm({ oid: 'buy-102', action: 'buy', price: '102' });
    expect(oids(b.onTick('trade', 102))).toEqual(['buy-101', 'alert-102', 'sell-102', 'buy-102']);
  });
});

describe('remove and re-arm', () => {
  it('removes by oid, among equals too, and leaves the rest in order', () => {
    const b = book(100);
    for (let i = 0; i < 5; i++) b.arm({ oid: `e${i}`, action: 'buy', price: '105' });
    expect(b.remove('e2')?.oid).toBe('e2');
    expect(b.remove('e2')).toBeUndefined();
    expect(b.has('e2')).toBe(false);
    expect(oids(b.onTick('ask', 105))).toEqual(['e0', 'e1', 'e3', 'e4']);
  });

  it('re-arms at a new price with a fresh direction, behind the triggers already at that price', () => {
    const b = book(100);
    b.arm({ oid: 'a', action: 'buy', price: '105' });
    b.arm({ oid: 'b', action: 'buy', price: '103' });
    const moved = b.rearm('b', '103', 104); // the market has moved above it since
    expect(moved.direction).toBe('down');
    b.arm({ oid: 'c', action: 'buy', price: '105' });
    const back = b.rearm('a', '105');
    expect(back.direction).toBe('up');
    expect(oids(b.onTick('ask', 105))).toEqual(['c', 'a']);
    expect(oids(b.onTick('ask', 103))).toEqual(['b']);
  });

  it('keeps the old trigger when a re-arm is refused', () => {
    const b = book(100);
    b.arm({ oid: 'a', action: 'buy', price: '105' });
    expect(() => b.rearm('a', 'bad')).toThrow();
    expect(b.get('a')?.price).toBe('105');
    expect(() => b.rearm('zz', '1')).toThrow(/not armed/);
    expect(oids(b.onTick('ask', 105))).toEqual(['a']);
  });
});

describe('against a plain scan', () => {
  it('fires exactly what checking every trigger would, over a random walk', () => {
    let seed = 7;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const b = book(1000);
    const ref = new Map<string, Trigger>();
    const types: TickType[] = ['trade', 'bid', 'ask', 'last'];
    const actions: Action[] = ['buy', 'sell', 'alert'];
    let px = 1000;
    let n = 0;
    for (let i = 0; i < 4000; i++) {
      if (rnd() < 0.2) {
        const t = b.arm({ oid: `t${n++}`, action: actions[Math.floor(rnd() * 3)]!, price: String(Math.round(px + (rnd() - 0.5) * 40)) });
        ref.set(t.oid, t);
      }
      if (rnd() < 0.02 && ref.size) {
        const victim = [...ref.keys()][Math.floor(rnd() * ref.size)]!;
        b.remove(victim);
        ref.delete(victim);
      }
      px += Math.round((rnd() - 0.5) * 6);
      const type = types[Math.floor(rnd() * 4)]!;
      const want = [...ref.values()].filter(
        (t) => WATCHED_TICKS[t.action].includes(type) && (t.direction === 'up' ? px >= t.px : px <= t.px),
      );
      for (const t of want) ref.delete(t.oid);
      expect(oids(b.onTick(type, px)).sort()).toEqual(oids(want).sort());
      expect(b.size).toBe(ref.size);
    }
  });
});

describe('marketableLimit', () => {
  it('goes ticksThrough ticks past the tick, on the grid', () => {
    expect(marketableLimit('buy', 50000.5, '0.5', 5)).toBe('50003');
    expect(marketableLimit('sell', 50000.5, '0.5', 5)).toBe('49998');
    expect(marketableLimit('buy', 1.0800000000000003, '0.00001', 2)).toBe('1.08002');
    expect(marketableLimit('buy', 1e-7, '0.00000001', 1)).toBe('0.00000011');
  });

  it('never goes below one tick', () => {
    expect(marketableLimit('sell', 0.00000002, '0.00000001', 5)).toBe('0.00000001');
  });
});

import { describe, expect, it } from 'vitest';
import { SimBackend } from './backend.js';
import { SIM_MARKETS } from './markets.js';
import { SIM_LISTING_TIME } from './history.js';
import { NotFoundError } from '../backend.js';
import { onTick } from '../../protocol/decimal.js';

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);

describe('sim exchange', () => {
  it('replays identical ticks and history for the same seed, different ones for another seed', async () => {
    const a = new SimBackend({ seed: 7, rate: 20 });
    const b = new SimBackend({ seed: 7, rate: 20 });
    const c = new SimBackend({ seed: 8, rate: 20 });
    const ta = a.ticksBetween('xbtusd.spot.sim', T0, T0 + 10_000);
    expect(ta.length).toBeGreaterThan(3 * 100);
    expect(b.ticksBetween('xbtusd.spot.sim', T0, T0 + 10_000)).toEqual(ta);
    expect(c.ticksBetween('xbtusd.spot.sim', T0, T0 + 10_000)).not.toEqual(ta);
    const ha = await a.history('ethusd.spot.sim', 60, T0 / 1000, 500);
    const hb = await b.history('ethusd.spot.sim', 60, T0 / 1000, 500);
    expect([...ha.close]).toEqual([...hb.close]);
    expect([...ha.volume]).toEqual([...hb.volume]);
  });

  it('replays the same ticks whether an interval is read whole or in pieces', () => {
    const sim = new SimBackend({ seed: 3, rate: 50 });
    const whole = sim.ticksBetween('solusd.spot.sim', T0, T0 + 3_000);
    const parts = [0, 777, 1500, 2999].map((o, i, arr) => sim.ticksBetween('solusd.spot.sim', T0 + o, T0 + (arr[i + 1] ?? 3_000)));
    expect(parts.flat()).toEqual(whole);
  });

  it('lists markets across price scales from ~0.0001 to ~50,000 with exact decimal metadata', async () => {
    const sim = new SimBackend({ seed: 1, rate: 10 });
    expect(SIM_MARKETS.length).toBeGreaterThanOrEqual(5);
    const lasts: number[] = [];
    for (const m of SIM_MARKETS) {
      const info = await sim.getMktInfo(m.fqme);
      expect(info.priceTick).toMatch(/^\d+(\.\d+)?$/);
      expect(typeof info.minSize).toBe('string');
      const ticks = sim.ticksBetween(m.fqme, T0, T0 + 5_000).filter((t) => t.type === 'trade');
      expect(ticks.length).toBeGreaterThan(0);
      for (const t of ticks) {
        // Float prices from the feed are still exact multiples of the tick when printed.
        expect(onTick(String(t.price), info.priceTick)).toBe(true);
        expect(onTick(String(t.size), info.sizeTick)).toBe(true);
      }
      lasts.push(ticks[0]!.price);
    }
    expect(Math.min(...lasts)).toBeLessThan(0.01);
    expect(Math.max(...lasts)).toBeGreaterThan(10_000);
  });

  it('has 1 m history back at least two years, and it joins the live stream without a seam', async () => {
    const sim = new SimBackend({ seed: 5, rate: 10 });
    const now = T0 / 1000;
    const twoYears = 2 * 365 * 1440;
    const h = await sim.history('xbtusd.spot.sim', 60, now, twoYears);
    expect(h.length).toBe(twoYears);
    expect(h.time[0]).toBeLessThanOrEqual(now - twoYears * 60);
    expect(h.time[0]).toBeGreaterThanOrEqual(SIM_LISTING_TIME);
    for (let i = 1; i < h.length; i += 997) expect(h.time[i]! - h.time[i - 1]!).toBe(60);
    const lastClose = h.close[h.length - 1]!;
    const firstLive = sim.ticksBetween('xbtusd.spot.sim', T0, T0 + 2_000).find((t) => t.type === 'trade')!;
    // The newest bar closes on the curve the first live trades print on: well within one bar's range.
    expect(Math.abs(firstLive.price - lastClose) / lastClose).toBeLessThan(0.001);
    const older = await sim.history('xbtusd.spot.sim', 60, SIM_LISTING_TIME + 600, 100);
    expect(older.length).toBe(10);
  });

  it('answers unknown symbols with a readable not-found error', async () => {
    const sim = new SimBackend({ seed: 1, rate: 1 });
    await expect(sim.getMktInfo('nope.spot.sim')).rejects.toThrow(NotFoundError);
    await expect(sim.getMktInfo('nope.spot.sim')).rejects.toThrow(/sim exchange lists xbtusd\.spot\.sim/);
    await expect(sim.getMktInfo('garbage')).rejects.toThrow(/malformed fqme/);
  });

  it('finds symbols by fuzzy pattern, best match first', async () => {
    const sim = new SimBackend({ seed: 1, rate: 1 });
    expect((await sim.searchSymbols('eth', 5))[0]!.fqme).toBe('ethusd.spot.sim');
    expect((await sim.searchSymbols('eurusd', 5))[0]!.fqme).toBe('eurusd.fx.sim');
    expect((await sim.searchSymbols('xu', 10)).map((m) => m.fqme)).toContain('xbtusd.spot.sim');
    expect(await sim.searchSymbols('zzzz', 5)).toEqual([]);
  });
});

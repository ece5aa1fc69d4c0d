import { describe, expect, it } from 'vitest';
import type { SymbolMatch } from '../../core/protocol/types.js';
import { fuzzyMatches, loadRecents, moveSelection, pushRecent, rankWithRecents, RECENTS_KEY, saveRecents } from './recents.js';

const m = (fqme: string, score: number): SymbolMatch => ({ fqme, broker: 'sim', name: fqme.split('.')[0]!, description: fqme.toUpperCase(), score });

function memStorage(init: Record<string, string> = {}) {
  const data = { ...init };
  return { data, getItem: (k: string) => data[k] ?? null, setItem: (k: string, v: string) => void (data[k] = v) };
}

describe('recents', () => {
  it('keeps newest first, unique, bounded', () => {
    let r: string[] = [];
    for (const f of ['a.x.sim', 'b.x.sim', 'a.x.sim', 'c.x.sim']) r = pushRecent(r, f, 3);
    expect(r).toEqual(['c.x.sim', 'a.x.sim', 'b.x.sim']);
    expect(pushRecent(r, 'd.x.sim', 3)).toEqual(['d.x.sim', 'c.x.sim', 'a.x.sim']);
  });

  it('round-trips through storage and survives garbage', () => {
    const st = memStorage();
    saveRecents(st, ['xbtusd.spot.sim', 'ethusd.spot.sim']);
    expect(loadRecents(st)).toEqual(['xbtusd.spot.sim', 'ethusd.spot.sim']);
    expect(loadRecents(memStorage({ [RECENTS_KEY]: '{not json' }))).toEqual([]);
    expect(loadRecents(memStorage({ [RECENTS_KEY]: '[1, "ok.x.sim", null]' }))).toEqual(['ok.x.sim']);
    expect(loadRecents(null)).toEqual([]);
  });
});

describe('fuzzyMatches', () => {
  it('matches subsequences case-insensitively', () => {
    expect(fuzzyMatches('xbt', 'xbtusd.spot.sim')).toBe(true);
    expect(fuzzyMatches('XUS', 'xbtusd.spot.sim')).toBe(true);
    expect(fuzzyMatches('eur', 'xbtusd.spot.sim')).toBe(false);
    expect(fuzzyMatches('  ', 'anything')).toBe(true);
  });
});

describe('rankWithRecents', () => {
  const hostMatches = [m('ethusd.spot.sim', 90), m('xbtusd.spot.sim', 80), m('solusd.spot.sim', 50)];

  it('lifts recents to the top in recency order, then the host ranking', () => {
    const rows = rankWithRecents('usd', hostMatches, ['solusd.spot.sim', 'xbtusd.spot.sim']);
    expect(rows.map((r) => [r.fqme, r.recent])).toEqual([
      ['solusd.spot.sim', true],
      ['xbtusd.spot.sim', true],
      ['ethusd.spot.sim', false],
    ]);
    expect(rows[0]!.description).toBe('SOLUSD.SPOT.SIM');
  });

  it('shows a matching recent the host did not return, and hides a non-matching one', () => {
    const rows = rankWithRecents('eur', [m('eurusd.fx.sim', 99)], ['eurgbp.fx.sim', 'xbtusd.spot.sim']);
    expect(rows.map((r) => r.fqme)).toEqual(['eurgbp.fx.sim', 'eurusd.fx.sim']);
  });

  it('limits the list', () => {
    expect(rankWithRecents('', hostMatches, [], 2)).toHaveLength(2);
  });
});

describe('moveSelection', () => {
  it('wraps both ways and starts from the ends', () => {
    expect(moveSelection(-1, 1, 3)).toBe(0);
    expect(moveSelection(-1, -1, 3)).toBe(2);
    expect(moveSelection(2, 1, 3)).toBe(0);
    expect(moveSelection(0, -1, 3)).toBe(2);
    expect(moveSelection(0, 1, 0)).toBe(-1);
  });
});

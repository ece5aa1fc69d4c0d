import { describe, expect, it } from 'vitest';
import { fuzzyScore, searchSymbols } from './symbol-search.js';

describe('fuzzy symbol search', () => {
  it('requires the pattern in order and prefers prefixes and token starts', () => {
    expect(fuzzyScore('xbt', 'xbtusd.spot.sim')).not.toBeNull();
    expect(fuzzyScore('tbx', 'xbtusd.spot.sim')).toBeNull();
    expect(fuzzyScore('spot', 'xbtusd.spot.sim')!).toBeGreaterThan(fuzzyScore('spot', 'xsxpxoxt')!);
    expect(fuzzyScore('eth', 'ethusd.spot.sim')!).toBeGreaterThan(fuzzyScore('eth', 'xethusd.spot.sim')!);
  });
  it('ranks and limits results', () => {
    const items = ['xethusd.spot.sim', 'ethusd.spot.sim', 'xbtusd.spot.sim'].map((fqme) => ({ fqme, broker: 'sim', name: fqme, description: '' }));
    const r = searchSymbols(items, 'eth', 2);
    expect(r.map((m) => m.fqme)).toEqual(['ethusd.spot.sim', 'xethusd.spot.sim']);
    expect(searchSymbols(items, 'eth', 1)).toHaveLength(1);
  });
});

import { describe, expect, it } from 'vitest';
import { bsFqme, FqmeError, normalizeFqme, parseFqme } from './fqme.js';

describe('fqme', () => {
  it('parses pair, venue, expiry and broker', () => {
    expect(parseFqme('btcusdt.spot.binance')).toEqual({ pair: 'btcusdt', venue: 'spot', expiry: null, broker: 'binance' });
    expect(parseFqme('es.cme.20261218.sim')).toEqual({ pair: 'es', venue: 'cme', expiry: '20261218', broker: 'sim' });
  });
  it('lowercases and drops empty tokens', () => {
    expect(normalizeFqme('XBTUSD..SPOT.Sim')).toBe('xbtusd.spot.sim');
    expect(bsFqme(parseFqme('es.cme.20261218.sim'))).toBe('es.cme.20261218');
  });
  it('rejects malformed input with a readable reason', () => {
    for (const bad of ['', 'btc', 'btc.sim', 'a.b.c.d.e', 'btc/usd.spot.sim', 'x'.repeat(200)]) {
      expect(() => parseFqme(bad)).toThrow(FqmeError);
    }
    expect(() => parseFqme('btc.sim')).toThrow(/expected <pair>\.<venue>/);
  });
});

import { describe, expect, it } from 'vitest';
import { assetName, pairsFromAssetPairs, symbolOfMkt, v2Symbol } from './symbols.js';

// The documented AssetPairs example (K6), fee tiers abbreviated as in the reference.
const DOC = {
  XETHXXBT: {
    altname: 'ETHXBT', wsname: 'ETH/XBT', aclass_base: 'currency', base: 'XETH', aclass_quote: 'currency', quote: 'XXBT', lot: 'unit',
    cost_decimals: 6, pair_decimals: 5, lot_decimals: 8, lot_multiplier: 1, leverage_buy: [2, 3, 4, 5], leverage_sell: [2, 3, 4, 5],
    fees: [[0, 0.26], [50000, 0.24]], fees_maker: [[0, 0.16], [50000, 0.14]], fee_volume_currency: 'ZUSD', margin_call: 80, margin_stop: 40,
    ordermin: '0.01', costmin: '0.00002', tick_size: '0.00001', status: 'online', long_position_limit: 1100, short_position_limit: 400,
  },
  XXBTZUSD: {
    altname: 'XBTUSD', wsname: 'XBT/USD', aclass_base: 'currency', base: 'XXBT', aclass_quote: 'currency', quote: 'ZUSD', cost_decimals: 5,
    pair_decimals: 1, lot_decimals: 8, lot_multiplier: 1, ordermin: '0.0001', costmin: '0.5', tick_size: '0.1', status: 'online',
    long_position_limit: 250, short_position_limit: 200,
  },
  'XXBTZUSD.d': { altname: 'XBTUSD.d', base: 'XXBT', quote: 'ZUSD' },
  BROKEN: { altname: 'BRKUSD', wsname: 'BRK/USD', pair_decimals: 'two', lot_decimals: 8 },
};

describe('kraken symbols', () => {
  it('maps the documented AssetPairs entries to markets keyed by altname, v2 symbol and pair key', () => {
    const { pairs, skipped } = pairsFromAssetPairs(DOC);
    expect(pairs.map((p) => [p.key, p.altname, p.wsname, p.symbol, p.fqme, p.pricePrecision, p.qtyPrecision])).toEqual([
      ['XETHXXBT', 'ETHXBT', 'ETH/XBT', 'ETH/BTC', 'ethxbt.spot.kraken', 5, 8],
      ['XXBTZUSD', 'XBTUSD', 'XBT/USD', 'BTC/USD', 'xbtusd.spot.kraken', 1, 8],
    ]);
    const ethxbt = pairs[0]!.mkt;
    expect(ethxbt).toMatchObject({ priceTick: '0.00001', sizeTick: '0.00000001', minSize: '0.01', minNotional: '0.00002', bsMktid: 'ETH/BTC' });
    expect(ethxbt.dst).toEqual({ name: 'eth', atype: 'crypto', txTick: '0.00000001' });
    expect(ethxbt.src).toEqual({ name: 'xbt', atype: 'crypto', txTick: '0.000001' });
    expect(skipped).toEqual(['BROKEN: pair_decimals is not a digit count: "two"']);
  });

  it('names assets and v2 symbols as Kraken spells them', () => {
    expect(['XXBT', 'ZUSD', 'XETH', 'XXDG', 'SOL', 'USDT', 'XBT.F', 'ZEUS'].map(assetName)).toEqual(['xbt', 'usd', 'eth', 'xdg', 'sol', 'usdt', 'xbt.f', 'zeus']);
    expect(v2Symbol('XBT/USD')).toBe('BTC/USD');
    expect(v2Symbol('XDG/EUR')).toBe('DOGE/EUR');
    expect(v2Symbol('SOL/USD')).toBe('SOL/USD');
    const mkt = pairsFromAssetPairs(DOC).pairs[1]!.mkt;
    expect(symbolOfMkt(mkt)).toBe('BTC/USD');
    expect(symbolOfMkt({ ...mkt, bsMktid: 'XXBTZUSD' })).toBe('BTC/USD');
  });
});

import { describe, expect, it } from 'vitest';
import { buildMarkets } from './instruments.js';

/** The documented instruments-info entries (exchange-protocols.md §Y6). */
const LINEAR_BTC = {
  symbol: 'BTCUSDT',
  symbolId: 5,
  contractType: 'LinearPerpetual',
  status: 'Trading',
  baseCoin: 'BTC',
  quoteCoin: 'USDT',
  launchTime: '1585526400000',
  deliveryTime: '0',
  deliveryFeeRate: '',
  priceScale: '2',
  leverageFilter: { minLeverage: '1', maxLeverage: '100.00', leverageStep: '0.01' },
  priceFilter: { minPrice: '0.10', maxPrice: '1999999.80', tickSize: '0.10' },
  lotSizeFilter: { maxOrderQty: '1190.000', minOrderQty: '0.001', qtyStep: '0.001', postOnlyMaxOrderQty: '1190.000', maxMktOrderQty: '500.000', minNotionalValue: '5' },
  settleCoin: 'USDT',
};
const SPOT_BTC = {
  symbolId: 9,
  symbol: 'BTCUSDT',
  baseCoin: 'BTC',
  quoteCoin: 'USDT',
  innovation: '0',
  status: 'Trading',
  lotSizeFilter: {
    basePrecision: '0.000001',
    quotePrecision: '0.0000001',
    minOrderQty: '0.000011',
    maxOrderQty: '83',
    minOrderAmt: '5',
    maxOrderAmt: '8000000',
    maxLimitOrderQty: '83',
    maxMarketOrderQty: '41.5',
  },
  priceFilter: { tickSize: '0.1' },
};

describe('bybit instruments -> MktPair', () => {
  it('spot BTCUSDT: btcusdt.spot.bybit with tickSize, basePrecision, minOrderQty and minOrderAmt exact', () => {
    const [m] = buildMarkets([SPOT_BTC], [], () => {});
    expect(m).toEqual({
      category: 'spot',
      symbol: 'BTCUSDT',
      description: 'BTC/USDT spot (Bybit)',
      mkt: {
        fqme: 'btcusdt.spot.bybit',
        broker: 'bybit',
        venue: 'spot',
        expiry: null,
        bsMktid: 'BTCUSDT',
        dst: { name: 'btc', atype: 'crypto', txTick: '0.000001' },
        src: { name: 'usdt', atype: 'stable', txTick: '0.0000001' },
        priceTick: '0.1',
        sizeTick: '0.000001',
        minSize: '0.000011',
        minNotional: '5',
      },
    });
  });

  it('linear BTCUSDT: btcusdt.linear.perp.bybit with tickSize, qtyStep, minOrderQty and minNotionalValue exact', () => {
    const [m] = buildMarkets([], [LINEAR_BTC], () => {});
    expect(m!.category).toBe('linear');
    expect(m!.mkt).toMatchObject({ fqme: 'btcusdt.linear.perp.bybit', venue: 'linear', expiry: 'perp', bsMktid: 'BTCUSDT', priceTick: '0.10', sizeTick: '0.001', minSize: '0.001', minNotional: '5' });
    expect(m!.description).toBe('BTC/USDT linear perpetual (Bybit)');
  });

  it('spot and linear share a symbol but not a name', () => {
    const ms = buildMarkets([SPOT_BTC], [LINEAR_BTC], () => {});
    expect(ms.map((m) => [m.category, m.symbol, m.mkt.fqme])).toEqual([
      ['spot', 'BTCUSDT', 'btcusdt.spot.bybit'],
      ['linear', 'BTCUSDT', 'btcusdt.linear.perp.bybit'],
    ]);
  });

  it('a dated future is named by its delivery date; a USDC perpetual by base and quote', () => {
    const future = { ...LINEAR_BTC, symbol: 'BTCUSDT-21FEB25', contractType: 'LinearFutures', deliveryTime: String(Date.UTC(2025, 1, 21, 8)) };
    const usdc = { ...LINEAR_BTC, symbol: 'BTCPERP', quoteCoin: 'USDC', settleCoin: 'USDC' };
    const ms = buildMarkets([], [future, usdc], () => {});
    expect(ms.map((m) => [m.symbol, m.mkt.fqme, m.mkt.expiry])).toEqual([
      ['BTCUSDT-21FEB25', 'btcusdt.linear.20250221.bybit', '20250221'],
      ['BTCPERP', 'btcusdc.linear.perp.bybit', 'perp'],
    ]);
    expect(ms[0]!.description).toBe('BTC/USDT linear future 2025-02-21 (Bybit)');
  });

  it('two contracts mapping to one name: the second falls back to its symbol', () => {
    const twin = { ...LINEAR_BTC, symbol: 'BTCUSDTX' };
    const ms = buildMarkets([], [LINEAR_BTC, twin], () => {});
    expect(ms.map((m) => m.mkt.fqme)).toEqual(['btcusdt.linear.perp.bybit', 'btcusdtx.linear.perp.bybit']);
  });

  it('missing minimums fall back (min size to the size step, min notional to 0); closed markets are left out', () => {
    const bare = { ...SPOT_BTC, symbol: 'ETHUSDT', baseCoin: 'ETH', lotSizeFilter: { basePrecision: '0.0001' } };
    const closed = { ...SPOT_BTC, symbol: 'OLDUSDT', status: 'Closed' };
    const ms = buildMarkets([bare, closed], [], () => {});
    expect(ms.map((m) => [m.mkt.fqme, m.mkt.minSize, m.mkt.minNotional])).toEqual([['ethusdt.spot.bybit', '0.0001', '0']]);
  });

  it('malformed entries are reported and skipped, the rest still map', () => {
    const why: string[] = [];
    const ms = buildMarkets(
      [SPOT_BTC, null, { ...SPOT_BTC, symbol: 'X USDT' }, { ...SPOT_BTC, symbol: 'ETHUSDT', priceFilter: { tickSize: '0' } }],
      [{ ...LINEAR_BTC, contractType: 'LinearFutures', deliveryTime: 'soon' }],
      (w) => why.push(w),
    );
    expect(ms.map((m) => m.mkt.fqme)).toEqual(['btcusdt.spot.bybit']);
    expect(why).toEqual([
      'spot: entry is not an object',
      'spot: symbol "X USDT"',
      'spot ETHUSDT: tickSize "0" is not a positive decimal',
      'linear BTCUSDT: LinearFutures without a deliveryTime',
    ]);
  });
});

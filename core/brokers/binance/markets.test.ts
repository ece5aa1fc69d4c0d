import { describe, expect, it } from 'vitest';
import { binanceEndpoints, wsBase } from './endpoints.js';
import { parseKlines } from './history.js';
import { marketFromInfo, marketsFromInfo } from './markets.js';

// exchangeInfo entries as documented (B2 spot ETHBTC with the documented filter samples; F2 USD-M BLZUSDT).
const SPOT_ETHBTC = {
  symbol: 'ETHBTC',
  status: 'TRADING',
  baseAsset: 'ETH',
  baseAssetPrecision: 8,
  quoteAsset: 'BTC',
  quotePrecision: 8,
  quoteAssetPrecision: 8,
  orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET'],
  filters: [
    { filterType: 'PRICE_FILTER', minPrice: '0.00000100', maxPrice: '100000.00000000', tickSize: '0.00000100' },
    { filterType: 'LOT_SIZE', minQty: '0.00100000', maxQty: '100000.00000000', stepSize: '0.00100000' },
    { filterType: 'NOTIONAL', minNotional: '10.00000000', applyMinToMarket: false, maxNotional: '10000.00000000', applyMaxToMarket: false, avgPriceMins: 5 },
  ],
  permissionSets: [['SPOT', 'MARGIN']],
};
const FUT_BLZUSDT = {
  symbol: 'BLZUSDT',
  pair: 'BLZUSDT',
  contractType: 'PERPETUAL',
  deliveryDate: 4133404800000,
  status: 'TRADING',
  baseAsset: 'BLZ',
  quoteAsset: 'USDT',
  marginAsset: 'USDT',
  pricePrecision: 5,
  quantityPrecision: 0,
  baseAssetPrecision: 8,
  quotePrecision: 8,
  filters: [
    { filterType: 'PRICE_FILTER', maxPrice: '300', minPrice: '0.0001', tickSize: '0.0001' },
    { filterType: 'LOT_SIZE', maxQty: '10000000', minQty: '1', stepSize: '1' },
    { filterType: 'MARKET_LOT_SIZE', maxQty: '590119', minQty: '1', stepSize: '1' },
    { filterType: 'MAX_NUM_ORDERS', limit: 200 },
    { filterType: 'MIN_NOTIONAL', notional: '5.0' },
    { filterType: 'PERCENT_PRICE', multiplierUp: '1.1500', multiplierDown: '0.8500', multiplierDecimal: '4' },
  ],
};

describe('Binance exchangeInfo -> MktPair', () => {
  it('maps the documented spot entry with exact, unpadded ticks and the NOTIONAL minimum', () => {
    const m = marketFromInfo('spot', SPOT_ETHBTC)!;
    expect(m).toMatchObject({ kind: 'spot', symbol: 'ETHBTC', status: 'TRADING' });
    expect(m.mkt).toEqual({
      fqme: 'ethbtc.spot.binance',
      broker: 'binance',
      venue: 'spot',
      expiry: null,
      bsMktid: 'ETHBTC',
      dst: { name: 'eth', atype: 'crypto', txTick: '0.00000001' },
      src: { name: 'btc', atype: 'crypto', txTick: '0.00000001' },
      priceTick: '0.000001',
      sizeTick: '0.001',
      minSize: '0.001',
      minNotional: '10',
    });
  });

  it('takes the legacy MIN_NOTIONAL.minNotional on spot when NOTIONAL is absent', () => {
    const legacy = { ...SPOT_ETHBTC, filters: [...SPOT_ETHBTC.filters.slice(0, 2), { filterType: 'MIN_NOTIONAL', minNotional: '0.00100000', applyToMarket: true, avgPriceMins: 5 }] };
    expect(marketFromInfo('spot', legacy)!.mkt.minNotional).toBe('0.001');
  });

  it('maps the documented USD-M perpetual (MIN_NOTIONAL.notional) and dated contracts', () => {
    const m = marketFromInfo('usdtm', FUT_BLZUSDT)!;
    expect(m.mkt).toMatchObject({ fqme: 'blzusdt.usdtm.perp.binance', venue: 'usdtm', expiry: 'perp', priceTick: '0.0001', sizeTick: '1', minSize: '1', minNotional: '5' });
    expect(m.mkt.src).toEqual({ name: 'usdt', atype: 'stable', txTick: '0.00000001' });
    const dated = marketFromInfo('usdtm', { ...FUT_BLZUSDT, symbol: 'BTCUSDT_250926', contractType: 'CURRENT_QUARTER', baseAsset: 'BTC' })!;
    expect(dated.mkt.fqme).toBe('btcusdt.usdtm.250926.binance');
    expect(dated.mkt.bsMktid).toBe('BTCUSDT_250926');
  });

  it('skips entries it cannot trade correctly and says how many', () => {
    const noTick = { ...SPOT_ETHBTC, symbol: 'XYZBTC', filters: SPOT_ETHBTC.filters.slice(1) };
    const zeroStep = { ...SPOT_ETHBTC, symbol: 'ABCBTC', filters: [SPOT_ETHBTC.filters[0], { filterType: 'LOT_SIZE', minQty: '0', maxQty: '1', stepSize: '0.00000000' }] };
    const badName = { ...SPOT_ETHBTC, symbol: 'eth/btc' };
    const { markets, skipped } = marketsFromInfo('spot', { symbols: [SPOT_ETHBTC, noTick, zeroStep, badName, null] });
    expect(markets.map((m) => m.symbol)).toEqual(['ETHBTC']);
    expect(skipped).toBe(4);
    expect(() => marketsFromInfo('spot', { code: -1121, msg: 'Invalid symbol.' })).toThrow(/without a symbols list/);
  });
});

describe('Binance endpoints and klines rows', () => {
  it('appends the documented paths to configured bases, whatever path a user pasted', () => {
    expect(wsBase('wss://fstream.binance.com/market')).toBe('wss://fstream.binance.com');
    expect(wsBase('wss://stream.binance.com:9443/ws')).toBe('wss://stream.binance.com:9443');
    expect(wsBase('wss://fstream.binance.com/public/stream')).toBe('wss://fstream.binance.com');
    expect(wsBase('ws://127.0.0.1:4000/')).toBe('ws://127.0.0.1:4000');
    const ep = binanceEndpoints({ futures_ws_url: 'wss://fstream.binance.com', ws_url: 'wss://data-stream.binance.vision' });
    expect([ep.spotStreamUrl, ep.futuresMarketUrl, ep.futuresPublicUrl]).toEqual([
      'wss://data-stream.binance.vision/stream',
      'wss://fstream.binance.com/market/stream',
      'wss://fstream.binance.com/public/stream',
    ]);
    expect(ep.backoff).toEqual({ minMs: 1_000, maxMs: 60_000 });
  });

  it('reads the documented kline row and refuses malformed or unordered rows', () => {
    const doc = [1499040000000, '0.01634790', '0.80000000', '0.01575800', '0.01577100', '148976.11427815', 1499644799999, '2434.19055334', 308, '1756.87402397', '28.46694368', '0'];
    const c = parseKlines([doc], 1499040000, 1499040000, 'doc');
    expect(c.time).toEqual([1499040000]);
    expect(c.cols.map((col) => col[0])).toEqual([0.0163479, 0.8, 0.015758, 0.015771, 148976.11427815]);
    expect(() => parseKlines({ code: -1121 }, 0, 1, 'x')).toThrow(/not a list/);
    expect(() => parseKlines([[1499040000000, '1', '2']], 0, 2e9, 'x')).toThrow(/malformed row/);
    expect(() => parseKlines([doc, doc], 0, 2e9, 'x')).toThrow(/unordered/);
    expect(() => parseKlines([[1499040000000, 'x', '1', '1', '1', '1']], 0, 2e9, 'x')).toThrow(/malformed/);
  });
});

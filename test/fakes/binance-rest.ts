import type { HttpReply } from './fake-venue.js';
import type { TradeTape } from './trade-tape.js';

/** The fake Binance's public REST answers (B2, F2), built from its tapes. */

/** Binance pads filter decimals to 8 places: "0.01" -> "0.01000000". */
export function pad8(d: string): string {
  const [i, f = ''] = d.split('.');
  return `${i}.${f.padEnd(8, '0')}`;
}

export const MIN_NOTIONAL = '5';

export function exchangeInfo(kind: 'spot' | 'usdtm', tapes: Map<string, TradeTape>): unknown {
  const symbols = [...tapes.values()].map((t) => {
    const base = t.sym.symbol.replace(/USDT$/, '');
    const price = { filterType: 'PRICE_FILTER', minPrice: pad8(t.sym.priceTick), maxPrice: '1000000.00000000', tickSize: pad8(t.sym.priceTick) };
    const lot = { filterType: 'LOT_SIZE', minQty: pad8(t.sym.sizeTick), maxQty: '9000.00000000', stepSize: pad8(t.sym.sizeTick) };
    if (kind === 'spot') {
      return {
        symbol: t.sym.symbol,
        status: 'TRADING',
        baseAsset: base,
        baseAssetPrecision: 8,
        quoteAsset: 'USDT',
        quotePrecision: 8,
        quoteAssetPrecision: 8,
        orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET'],
        cancelReplaceAllowed: true,
        isSpotTradingAllowed: true,
        filters: [price, lot, { filterType: 'NOTIONAL', minNotional: pad8(MIN_NOTIONAL), applyMinToMarket: true, maxNotional: '9000000.00000000', applyMaxToMarket: false, avgPriceMins: 5 }],
        permissionSets: [['SPOT']],
      };
    }
    return {
      symbol: t.sym.symbol,
      pair: t.sym.symbol,
      contractType: 'PERPETUAL',
      deliveryDate: 4133404800000,
      status: 'TRADING',
      baseAsset: base,
      quoteAsset: 'USDT',
      marginAsset: 'USDT',
      pricePrecision: 2,
      quantityPrecision: 3,
      baseAssetPrecision: 8,
      quotePrecision: 8,
      filters: [price, lot, { filterType: 'MIN_NOTIONAL', notional: MIN_NOTIONAL }],
      orderTypes: ['LIMIT', 'MARKET'],
      timeInForce: ['GTC', 'IOC', 'FOK', 'GTX'],
    };
  });
  return { timezone: 'UTC', serverTime: Date.now(), rateLimits: [], exchangeFilters: [], symbols };
}

const INTERVALS: Record<string, number> = { '1s': 1, '1m': 60 };
const err = (status: number, code: number, msg: string): HttpReply => ({ status, body: { code, msg } });

/**
 * GET klines: with startTime the oldest rows from there, with only endTime the newest up to it, with neither the
 * most recent; `limit` default 500, max 1000 (spot) / 1500 (USD-M); USD-M has no 1s interval. The current,
 * unfinished bucket is included, as Binance does.
 */
export function klines(kind: 'spot' | 'usdtm', tapes: Map<string, TradeTape>, q: URLSearchParams): HttpReply {
  const tape = tapes.get(q.get('symbol') ?? '');
  if (!tape) return err(400, -1121, 'Invalid symbol.');
  const iv = INTERVALS[q.get('interval') ?? ''];
  if (iv === undefined || (kind === 'usdtm' && iv === 1)) return err(400, -1120, 'Invalid interval.');
  const limit = q.has('limit') ? Number(q.get('limit')) : 500;
  if (!Number.isInteger(limit) || limit < 1 || limit > (kind === 'spot' ? 1000 : 1500)) return err(400, -1130, "Data sent for parameter 'limit' is not valid.");
  const nowBucket = Math.floor(Date.now() / 1000 / iv) * iv;
  const start = q.has('startTime') ? Math.ceil(Number(q.get('startTime')) / 1000 / iv) * iv : null;
  const endOpen = Math.min(nowBucket, q.has('endTime') ? Math.floor(Number(q.get('endTime')) / 1000 / iv) * iv : nowBucket);
  const from = start ?? endOpen - (limit - 1) * iv;
  const to = start !== null ? Math.min(endOpen, start + (limit - 1) * iv) : endOpen;
  const bars = to >= from ? tape.bars(iv, from, to + iv) : [];
  const rows = bars.map((b) => [
    b.time * 1000,
    tape.fmt(b.open),
    tape.fmt(b.high),
    tape.fmt(b.low),
    tape.fmt(b.close),
    b.volume.toFixed(8),
    (b.time + iv) * 1000 - 1,
    (b.volume * b.close).toFixed(8),
    b.trades,
    '0.00000000',
    '0.00000000',
    '0',
  ]);
  return { body: rows };
}

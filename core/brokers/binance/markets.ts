import { fromScaled, isDecimal, toScaled } from '../../protocol/decimal.js';
import type { Asset, MktPair } from '../../protocol/types.js';

/**
 * Binance markets: spot (`/api/v3/exchangeInfo`, B2) and USD-M futures (`/fapi/v1/exchangeInfo`, F2). Both
 * list the same symbol strings (`BTCUSDT` is a spot pair and a perpetual), so a market is keyed by (kind, symbol)
 * and its fqme says which: `btcusdt.spot.binance`, `btcusdt.usdtm.perp.binance`, `btcusdt.usdtm.250926.binance`.
 */
export type MarketKind = 'spot' | 'usdtm';
export const BROKER = 'binance';

export interface BinanceMarket {
  kind: MarketKind;
  /** The venue's symbol (`BTCUSDT`, `BTCUSDT_250926`). */
  symbol: string;
  status: string;
  mkt: MktPair;
}

const STABLES = new Set(['usdt', 'usdc', 'fdusd', 'tusd', 'busd', 'dai', 'usdp', 'usd1', 'pyusd', 'usde', 'xusd', 'bfusd', 'rlusd']);
const FIATS = new Set(['eur', 'try', 'brl', 'ars', 'jpy', 'mxn', 'pln', 'ron', 'uah', 'zar', 'gbp', 'aud', 'idr', 'ngn', 'rub', 'cop', 'czk']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** "0.00100000" -> "0.001": venue decimals without their padding, exact. */
export function normDec(s: string): string {
  const x = toScaled(s);
  return fromScaled(x.units, x.scale);
}

function precisionTick(p: unknown): string {
  return typeof p === 'number' && Number.isInteger(p) && p >= 0 && p <= 18 ? fromScaled(1n, p) : '0.00000001';
}

function asset(name: string, atype: Asset['atype'], txTick: string): Asset {
  return { name, atype, txTick };
}

function quoteType(name: string): Asset['atype'] {
  return STABLES.has(name) ? 'stable' : FIATS.has(name) ? 'fiat' : 'crypto';
}

/** The filter values a market needs, as exact decimals; null when a required one is missing or malformed. */
function filterValues(filters: unknown, kind: MarketKind): { priceTick: string; sizeTick: string; minSize: string; minNotional: string } | null {
  if (!Array.isArray(filters)) return null;
  const by = new Map<string, Obj>();
  for (const f of filters) if (isObj(f) && typeof f.filterType === 'string') by.set(f.filterType, f);
  const price = by.get('PRICE_FILTER');
  const lot = by.get('LOT_SIZE');
  if (!isDecimal(price?.tickSize) || !isDecimal(lot?.stepSize) || !isDecimal(lot?.minQty)) return null;
  // Spot: NOTIONAL.minNotional (current) or the legacy MIN_NOTIONAL.minNotional. USD-M: MIN_NOTIONAL.notional.
  const notional = kind === 'spot' ? (by.get('NOTIONAL')?.minNotional ?? by.get('MIN_NOTIONAL')?.minNotional) : by.get('MIN_NOTIONAL')?.notional;
  const priceTick = normDec(price.tickSize);
  const sizeTick = normDec(lot.stepSize);
  if (toScaled(priceTick).units <= 0n || toScaled(sizeTick).units <= 0n) return null;
  return { priceTick, sizeTick, minSize: normDec(lot.minQty), minNotional: isDecimal(notional) ? normDec(notional) : '0' };
}

/** `BTCUSDT_250926` -> expiry `250926`; a perpetual -> `perp`. */
function futuresExpiry(s: Obj): string | null {
  const symbol = String(s.symbol);
  const contract = String(s.contractType ?? '');
  if (contract === 'PERPETUAL' || contract === 'TRADIFI_PERPETUAL' || contract === 'PERPETUAL_DELIVERING' || contract === '') return 'perp';
  const m = /_(\d{6})$/.exec(symbol);
  if (m) return m[1]!;
  if (typeof s.deliveryDate === 'number') {
    const d = new Date(s.deliveryDate);
    return `${String(d.getUTCFullYear() % 100).padStart(2, '0')}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
  }
  return null;
}

export function fqmeOf(kind: MarketKind, symbol: string, expiry: string | null): string {
  const pair = symbol.replace(/_\d{6}$/, '').toLowerCase();
  return kind === 'spot' ? `${pair}.spot.${BROKER}` : `${pair}.usdtm.${expiry ?? 'perp'}.${BROKER}`;
}

/**
 * One exchangeInfo `symbols[]` entry as a market, or null for an entry we cannot trade correctly (missing or
 * malformed filters, a symbol with characters stream names cannot carry). Unknown fields are ignored.
 */
export function marketFromInfo(kind: MarketKind, s: unknown): BinanceMarket | null {
  if (!isObj(s) || typeof s.symbol !== 'string' || !/^[A-Z0-9_]{2,40}$/.test(s.symbol)) return null;
  if (typeof s.baseAsset !== 'string' || typeof s.quoteAsset !== 'string') return null;
  const f = filterValues(s.filters, kind);
  if (!f) return null;
  const expiry = kind === 'spot' ? null : futuresExpiry(s);
  if (kind === 'usdtm' && expiry === null) return null;
  const base = s.baseAsset.toLowerCase();
  const quote = s.quoteAsset.toLowerCase();
  const mkt: MktPair = {
    fqme: fqmeOf(kind, s.symbol, expiry),
    broker: BROKER,
    venue: kind,
    expiry,
    bsMktid: s.symbol,
    dst: asset(base, kind === 'spot' ? 'crypto' : 'future', precisionTick(s.baseAssetPrecision)),
    src: asset(quote, quoteType(quote), precisionTick(kind === 'spot' ? s.quoteAssetPrecision : s.quotePrecision)),
    ...f,
  };
  return { kind, symbol: s.symbol, status: typeof s.status === 'string' ? s.status : 'UNKNOWN', mkt };
}

/** All usable markets of an exchangeInfo answer, and how many entries were skipped as unusable. */
export function marketsFromInfo(kind: MarketKind, info: unknown): { markets: BinanceMarket[]; skipped: number } {
  if (!isObj(info) || !Array.isArray(info.symbols)) throw new Error(`${kind} exchangeInfo without a symbols list`);
  const markets: BinanceMarket[] = [];
  let skipped = 0;
  for (const s of info.symbols) {
    const m = marketFromInfo(kind, s);
    if (m) markets.push(m);
    else skipped++;
  }
  return { markets, skipped };
}

export function describe(m: BinanceMarket): string {
  const { dst, src, expiry } = m.mkt;
  const what = m.kind === 'spot' ? 'spot' : expiry === 'perp' ? 'USD-M perpetual' : `USD-M future ${expiry}`;
  return `${dst.name.toUpperCase()}/${src.name.toUpperCase()} ${what} (Binance)`;
}

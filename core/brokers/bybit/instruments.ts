import { compareDec, isDecimal } from '../../protocol/decimal.js';
import type { Asset, MktPair } from '../../protocol/types.js';
import { BROKER, isSymbol, type Category } from './names.js';

/**
 * Bybit instruments-info entries -> MktPair. Naming (fqme, piker's `<pair>.<venue>[.<expiry>].<broker>`):
 * - spot BTCUSDT: `btcusdt.spot.bybit`
 * - linear perpetual BTCUSDT: `btcusdt.linear.perp.bybit`; the pair is base + quote coin, so the USDC perpetual
 *   BTCPERP is `btcusdc.linear.perp.bybit`
 * - linear dated future BTCUSDT-21FEB25: `btcusdt.linear.20250221.bybit` (expiry from deliveryTime, UTC)
 * Should two contracts map to one name, the later one falls back to its own symbol as the pair (`btcperp`).
 */
export interface BybitMarket {
  category: Category;
  symbol: string;
  description: string;
  mkt: MktPair;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const STABLES = new Set(['USDT', 'USDC', 'USDE', 'DAI', 'FDUSD', 'PYUSD', 'USDD', 'TUSD']);
const COIN = /^[A-Z0-9]{1,20}$/;

/** A positive decimal field, or a message saying why not. */
function positive(o: unknown, key: string, where: string): string {
  const v = isObj(o) ? o[key] : undefined;
  if (!isDecimal(v) || compareDec(v, '0') <= 0) throw new Error(`${where}: ${key} ${JSON.stringify(v)} is not a positive decimal`);
  return v;
}

/** Like `positive`, but an absent or zero value means "no minimum". */
function minimum(o: unknown, key: string, fallback: string): string {
  const v = isObj(o) ? o[key] : undefined;
  return isDecimal(v) && compareDec(v, '0') > 0 ? v : fallback;
}

function coin(o: Obj, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== 'string' || !COIN.test(v)) throw new Error(`${where}: ${key} ${JSON.stringify(v)} is not a coin`);
  return v;
}

const asset = (name: string, txTick: string): Asset => ({ name: name.toLowerCase(), atype: STABLES.has(name) ? 'stable' : 'crypto', txTick });

/** YYYYMMDD (UTC) of a delivery time in ms, as a string; null when it is not a date. */
function expiryOf(deliveryMs: unknown): string | null {
  const ms = typeof deliveryMs === 'string' && /^\d{10,15}$/.test(deliveryMs) ? Number(deliveryMs) : NaN;
  if (!Number.isFinite(ms) || ms <= 0) return null;
  return new Date(ms).toISOString().slice(0, 10).replace(/-/g, '');
}

interface Parsed {
  category: Category;
  symbol: string;
  pair: string;
  expiry: string | null;
  description: string;
  mkt: Omit<MktPair, 'fqme'>;
}

function parseSpot(raw: Obj, symbol: string): Parsed {
  const where = `spot ${symbol}`;
  const base = coin(raw, 'baseCoin', where);
  const quote = coin(raw, 'quoteCoin', where);
  const lot = raw.lotSizeFilter;
  const priceTick = positive(raw.priceFilter, 'tickSize', where);
  const sizeTick = positive(lot, 'basePrecision', where);
  return {
    category: 'spot',
    symbol,
    pair: symbol.toLowerCase(),
    expiry: null,
    description: `${base}/${quote} spot (Bybit)`,
    mkt: {
      broker: BROKER,
      venue: 'spot',
      expiry: null,
      bsMktid: symbol,
      dst: asset(base, sizeTick),
      src: asset(quote, minimum(lot, 'quotePrecision', priceTick)),
      priceTick,
      sizeTick,
      // minOrderQty is documented as deprecated (unchecked); as a floor it is conservative, so it stays.
      minSize: minimum(lot, 'minOrderQty', sizeTick),
      minNotional: minimum(lot, 'minOrderAmt', '0'),
    },
  };
}

function parseLinear(raw: Obj, symbol: string): Parsed {
  const where = `linear ${symbol}`;
  const base = coin(raw, 'baseCoin', where);
  const quote = coin(raw, 'quoteCoin', where);
  const lot = raw.lotSizeFilter;
  const priceTick = positive(raw.priceFilter, 'tickSize', where);
  const sizeTick = positive(lot, 'qtyStep', where);
  let expiry = 'perp';
  let kind = 'perpetual';
  if (raw.contractType !== 'LinearPerpetual') {
    const e = expiryOf(raw.deliveryTime);
    if (!e) throw new Error(`${where}: ${String(raw.contractType)} without a deliveryTime`);
    expiry = e;
    kind = `future ${e.slice(0, 4)}-${e.slice(4, 6)}-${e.slice(6)}`;
  }
  return {
    category: 'linear',
    symbol,
    pair: `${base}${quote}`.toLowerCase(),
    expiry,
    description: `${base}/${quote} linear ${kind} (Bybit)`,
    mkt: {
      broker: BROKER,
      venue: 'linear',
      expiry,
      bsMktid: symbol,
      dst: asset(base, sizeTick),
      src: asset(quote, priceTick),
      priceTick,
      sizeTick,
      minSize: minimum(lot, 'minOrderQty', sizeTick),
      minNotional: minimum(lot, 'minNotionalValue', '0'),
    },
  };
}

/**
 * Maps the two instrument lists; an entry that does not parse is reported through `onReject` and skipped,
 * closed markets are left out (nothing streams there).
 */
export function buildMarkets(spot: readonly unknown[], linear: readonly unknown[], onReject: (why: string) => void): BybitMarket[] {
  const out: BybitMarket[] = [];
  const taken = new Set<string>();
  for (const [category, list] of [['spot', spot], ['linear', linear]] as const) {
    for (const raw of list) {
      try {
        if (!isObj(raw)) throw new Error(`${category}: entry is not an object`);
        if (!isSymbol(raw.symbol)) throw new Error(`${category}: symbol ${JSON.stringify(raw.symbol)}`);
        if (raw.status === 'Closed') continue;
        const p = category === 'spot' ? parseSpot(raw, raw.symbol) : parseLinear(raw, raw.symbol);
        const name = (pair: string) => [pair, category, p.expiry, BROKER].filter(Boolean).join('.');
        let fqme = name(p.pair);
        if (taken.has(fqme)) fqme = name(p.symbol.toLowerCase().replace(/[^a-z0-9]/g, ''));
        if (taken.has(fqme)) throw new Error(`${category} ${p.symbol}: name ${fqme} is taken`);
        taken.add(fqme);
        out.push({ category, symbol: p.symbol, description: p.description, mkt: { fqme, ...p.mkt } });
      } catch (e) {
        onReject((e as Error).message);
      }
    }
  }
  return out;
}

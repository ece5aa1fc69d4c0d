import { isDecimal } from '../../protocol/decimal.js';
import type { Asset, MktPair } from '../../protocol/types.js';

/**
 * Kraken's names for one market (§5): REST requests use the altname (`XBTUSD`), REST results are keyed by the
 * pair key (`XXBTZUSD`), WS v1 uses the wsname (`XBT/USD`) and WS v2 the v2 symbol (`BTC/USD`). Our fqme uses the
 * altname lowercased: `xbtusd.spot.kraken`.
 */
export interface KrakenPair {
  key: string;
  altname: string;
  wsname: string;
  /** The WS v2 symbol: what we subscribe to and trade. */
  symbol: string;
  fqme: string;
  status: string;
  /** Digits the v2 book checksum formats with (pair_decimals, lot_decimals). */
  pricePrecision: number;
  qtyPrecision: number;
  mkt: MktPair;
}

/** AssetPairs' fields we read; everything else (fees, leverage) is ignored. */
export interface AssetPairInfo {
  altname?: unknown;
  wsname?: unknown;
  base?: unknown;
  quote?: unknown;
  pair_decimals?: unknown;
  lot_decimals?: unknown;
  cost_decimals?: unknown;
  ordermin?: unknown;
  costmin?: unknown;
  tick_size?: unknown;
  status?: unknown;
}

export const BROKER = 'kraken';

/** v1/REST asset names that v2 spells differently (K8: v2 uses BTC, not XBT). */
const V2_ASSET: Record<string, string> = { XBT: 'BTC', XDG: 'DOGE' };

/** Kraken's legacy X/Z-prefixed asset keys (Balance, AssetPairs base/quote) and their names. */
const LEGACY_ASSETS: Record<string, string> = {
  XXBT: 'xbt', XETH: 'eth', XLTC: 'ltc', XXRP: 'xrp', XXLM: 'xlm', XXMR: 'xmr', XZEC: 'zec', XETC: 'etc',
  XMLN: 'mln', XREP: 'rep', XXDG: 'xdg', ZUSD: 'usd', ZEUR: 'eur', ZGBP: 'gbp', ZCAD: 'cad', ZJPY: 'jpy', ZAUD: 'aud',
};

const FIAT = new Set(['usd', 'eur', 'gbp', 'cad', 'jpy', 'aud', 'chf']);
const STABLE = new Set(['usdt', 'usdc', 'dai', 'pyusd', 'usdg', 'eurt']);

/** A Kraken asset key as our lowercase asset name: XXBT -> xbt, ZUSD -> usd, SOL -> sol, XBT.F -> xbt.f. */
export function assetName(key: string): string {
  const [head, ...suffix] = key.split('.');
  const name = LEGACY_ASSETS[head!] ?? head!.toLowerCase();
  return [name, ...suffix.map((s) => s.toLowerCase())].join('.');
}

/** The v2 symbol of a v1 wsname: XBT/USD -> BTC/USD. */
export function v2Symbol(wsname: string): string {
  return wsname
    .split('/')
    .map((a) => V2_ASSET[a] ?? a)
    .join('/');
}

export function fqmeOf(altname: string): string {
  return `${altname.toLowerCase()}.spot.${BROKER}`;
}

function atype(name: string): Asset['atype'] {
  return FIAT.has(name) ? 'fiat' : STABLE.has(name) ? 'stable' : 'crypto';
}

function tickOf(decimals: number): string {
  return decimals <= 0 ? '1' : `0.${'0'.repeat(decimals - 1)}1`;
}

function digits(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 18) throw new Error(`${what} is not a digit count: ${JSON.stringify(v)}`);
  return v;
}

function dec(v: unknown, what: string): string {
  if (!isDecimal(v)) throw new Error(`${what} is not a decimal string: ${JSON.stringify(v)}`);
  return v;
}

/** One AssetPairs entry as a KrakenPair; throws (with the reason) on an entry we cannot trade or chart. */
export function pairFromInfo(key: string, p: AssetPairInfo): KrakenPair {
  if (typeof p.altname !== 'string' || !/^[A-Z0-9]+$/.test(p.altname)) throw new Error(`altname ${JSON.stringify(p.altname)} is not a plain pair name`);
  if (typeof p.wsname !== 'string' || !/^[A-Z0-9]+\/[A-Z0-9]+$/.test(p.wsname)) throw new Error(`wsname ${JSON.stringify(p.wsname)} is not BASE/QUOTE`);
  const pricePrecision = digits(p.pair_decimals, 'pair_decimals');
  const qtyPrecision = digits(p.lot_decimals, 'lot_decimals');
  const [baseAlt, quoteAlt] = p.wsname.split('/') as [string, string];
  const dstName = baseAlt.toLowerCase();
  const srcName = quoteAlt.toLowerCase();
  const sizeTick = tickOf(qtyPrecision);
  const priceTick = p.tick_size === undefined ? tickOf(pricePrecision) : dec(p.tick_size, 'tick_size');
  const costDecimals = p.cost_decimals === undefined ? pricePrecision : digits(p.cost_decimals, 'cost_decimals');
  const fqme = fqmeOf(p.altname);
  const symbol = v2Symbol(p.wsname);
  return {
    key,
    altname: p.altname,
    wsname: p.wsname,
    symbol,
    fqme,
    status: typeof p.status === 'string' ? p.status : 'online',
    pricePrecision,
    qtyPrecision,
    mkt: {
      fqme,
      broker: BROKER,
      venue: 'spot',
      expiry: null,
      bsMktid: symbol,
      dst: { name: dstName, atype: atype(dstName), txTick: sizeTick },
      src: { name: srcName, atype: atype(srcName), txTick: tickOf(costDecimals) },
      priceTick,
      sizeTick,
      minSize: p.ordermin === undefined ? sizeTick : dec(p.ordermin, 'ordermin'),
      minNotional: p.costmin === undefined ? '0' : dec(p.costmin, 'costmin'),
    },
  };
}

/**
 * The AssetPairs result as markets, plus the entries skipped and why. Dark-pool pairs (`XBTUSD.d`, no wsname)
 * have no public feed and are skipped on purpose.
 */
export function pairsFromAssetPairs(result: Record<string, AssetPairInfo>): { pairs: KrakenPair[]; skipped: string[] } {
  const pairs: KrakenPair[] = [];
  const skipped: string[] = [];
  for (const [key, info] of Object.entries(result)) {
    if (typeof info?.altname === 'string' && info.altname.endsWith('.d')) continue;
    try {
      pairs.push(pairFromInfo(key, info));
    } catch (e) {
      skipped.push(`${key}: ${(e as Error).message}`);
    }
  }
  return { pairs, skipped };
}

/** The fqme of a v2 symbol, assuming altname = the v1 wsname without '/': BTC/USD -> xbtusd.spot.kraken. */
export function fqmeOfSymbol(symbol: string): string {
  const v1 = Object.fromEntries(Object.entries(V2_ASSET).map(([a, b]) => [b, a]));
  return fqmeOf(symbol.split('/').map((a) => v1[a] ?? a).join(''));
}

/** The v2 symbol of a market we were handed by fqme (brokerd gets MktPairs from datad). */
export function symbolOfMkt(mkt: MktPair): string {
  if (/^[A-Z0-9]+\/[A-Z0-9]+$/.test(mkt.bsMktid)) return mkt.bsMktid;
  return v2Symbol(`${mkt.dst.name.toUpperCase()}/${mkt.src.name.toUpperCase()}`);
}

/** The REST altname of an fqme: xbtusd.spot.kraken -> XBTUSD. */
export function altnameOf(fqme: string): string {
  return fqme.split('.')[0]!.toUpperCase();
}

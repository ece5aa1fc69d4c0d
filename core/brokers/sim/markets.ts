import type { Asset, MktPair } from '../../protocol/types.js';

/** The sim exchange's listed markets: price scales from ~0.0001 to ~50,000 so every formatting path is exercised. */
export interface SimMarket {
  fqme: string;
  description: string;
  base: number;
  priceTick: string;
  sizeTick: string;
  minSize: string;
  minNotional: string;
  dst: Asset;
  src: Asset;
  /** Daily log-price volatility. */
  dailyVol: number;
  /** Mean trade size in units. */
  meanSize: number;
}

const usd: Asset = { name: 'usd', atype: 'fiat', txTick: '0.01' };
const crypto = (name: string, txTick: string): Asset => ({ name, atype: 'crypto', txTick });

export const SIM_MARKETS: readonly SimMarket[] = [
  {
    fqme: 'xbtusd.spot.sim',
    description: 'Bitcoin / US Dollar (sim spot)',
    base: 50_000,
    priceTick: '0.5',
    sizeTick: '0.0001',
    minSize: '0.0001',
    minNotional: '5',
    dst: crypto('xbt', '0.00000001'),
    src: usd,
    dailyVol: 0.03,
    meanSize: 0.05,
  },
  {
    fqme: 'ethusd.spot.sim',
    description: 'Ether / US Dollar (sim spot)',
    base: 3_000,
    priceTick: '0.01',
    sizeTick: '0.001',
    minSize: '0.001',
    minNotional: '5',
    dst: crypto('eth', '0.00000001'),
    src: usd,
    dailyVol: 0.035,
    meanSize: 0.8,
  },
  {
    fqme: 'solusd.spot.sim',
    description: 'Solana / US Dollar (sim spot)',
    base: 150,
    priceTick: '0.001',
    sizeTick: '0.01',
    minSize: '0.01',
    minNotional: '5',
    dst: crypto('sol', '0.000000001'),
    src: usd,
    dailyVol: 0.05,
    meanSize: 12,
  },
  {
    fqme: 'eurusd.fx.sim',
    description: 'Euro / US Dollar (sim FX)',
    base: 1.08,
    priceTick: '0.00001',
    sizeTick: '1',
    minSize: '1000',
    minNotional: '1000',
    dst: { name: 'eur', atype: 'fiat', txTick: '0.01' },
    src: usd,
    dailyVol: 0.005,
    meanSize: 50_000,
  },
  {
    fqme: 'dogeusd.spot.sim',
    description: 'Dogecoin / US Dollar (sim spot)',
    base: 0.12,
    priceTick: '0.00001',
    sizeTick: '1',
    minSize: '10',
    minNotional: '1',
    dst: crypto('doge', '0.00000001'),
    src: usd,
    dailyVol: 0.06,
    meanSize: 5_000,
  },
  {
    fqme: 'pepeusd.spot.sim',
    description: 'Pepe / US Dollar (sim spot, sub-cent)',
    base: 0.0001,
    priceTick: '0.00000001',
    sizeTick: '1000',
    minSize: '100000',
    minNotional: '1',
    dst: crypto('pepe', '1'),
    src: usd,
    dailyVol: 0.05,
    meanSize: 50_000_000,
  },
  {
    fqme: 'es.cme.20261218.sim',
    description: 'E-mini S&P 500 Dec 2026 (sim future)',
    base: 6_000,
    priceTick: '0.25',
    sizeTick: '1',
    minSize: '1',
    minNotional: '0',
    dst: { name: 'es', atype: 'future', txTick: '1' },
    src: usd,
    dailyVol: 0.012,
    meanSize: 3,
  },
];

export function simMarket(fqme: string): SimMarket | undefined {
  return SIM_MARKETS.find((m) => m.fqme === fqme);
}

/** A listed market's metadata as every consumer sees it (datad's getMktInfo, the live venue's rules). */
export function simMktPair(m: SimMarket): MktPair {
  const [pair, venue, ...rest] = m.fqme.split('.');
  return {
    fqme: m.fqme,
    broker: 'sim',
    venue: venue!,
    expiry: rest.length === 2 ? rest[0]! : null,
    bsMktid: pair!.toUpperCase(),
    dst: m.dst,
    src: m.src,
    priceTick: m.priceTick,
    sizeTick: m.sizeTick,
    minSize: m.minSize,
    minNotional: m.minNotional,
  };
}

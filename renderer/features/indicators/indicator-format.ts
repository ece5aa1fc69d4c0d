import type { RangeStats } from '../../../core/indicators/stats.js';
import { formatPrice, formatVolume } from '../../lib/format.js';

/** An indicator value as shown: prices in the chart's digits, volumes compacted, the rest (RSI) to 2 decimals. */
export function formatIndicatorValue(v: number, kind: string, valueIsPrice: boolean, digits: number): string {
  if (!Number.isFinite(v)) return '-';
  if (kind === 'volume') return formatVolume(v);
  return formatPrice(v, valueIsPrice ? digits : 2);
}

/** The lines of a selection's statistics box. */
export function selectionLines(s: RangeStats, digits: number): [string, string][] {
  const p = (v: number) => formatPrice(v, digits);
  const pct = Number.isFinite(s.changePct) ? `${s.changePct >= 0 ? '+' : ''}${s.changePct.toFixed(2)}%` : '-';
  return [
    ['change', pct],
    ['range', p(s.range)],
    ['bars', String(s.bars)],
    ['max', p(s.max)],
    ['min', p(s.min)],
    ['σ', formatPrice(s.sigma, digits + 1)],
  ];
}

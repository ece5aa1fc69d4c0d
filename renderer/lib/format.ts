import { tickDigits } from '../../core/protocol/decimal.js';
import type { Bar } from './bar-store.js';

/** How a market's prices are drawn: digits from its price tick, so 0.0001 ticks show 4 decimals. */
export interface PriceFormat {
  digits: number;
  minMove: number;
}

export const FALLBACK_PRICE_FORMAT: PriceFormat = { digits: 2, minMove: 0.01 };

export function priceFormatOf(priceTick: string | null | undefined): PriceFormat {
  if (!priceTick) return FALLBACK_PRICE_FORMAT;
  try {
    const digits = Math.min(12, tickDigits(priceTick));
    const minMove = Number(priceTick);
    if (!(minMove > 0)) return FALLBACK_PRICE_FORMAT;
    return { digits, minMove };
  } catch {
    return FALLBACK_PRICE_FORMAT;
  }
}

export function formatPrice(v: number, digits: number): string {
  if (!Number.isFinite(v)) return '-';
  return v.toFixed(digits);
}

/** Volumes span 1e-4 (one xbt lot) to 1e9 (fx notionals): compact above ten thousand, a few digits below. */
export function formatVolume(v: number): string {
  if (!Number.isFinite(v)) return '-';
  const a = Math.abs(v);
  if (a >= 1e9) return `${trim(v / 1e9, 2)}B`;
  if (a >= 1e6) return `${trim(v / 1e6, 2)}M`;
  if (a >= 1e4) return `${trim(v / 1e3, 2)}K`;
  if (a >= 100) return trim(v, 1);
  if (a >= 1) return trim(v, 3);
  if (a === 0) return '0';
  return trim(v, 5);
}

function trim(v: number, digits: number): string {
  const s = v.toFixed(digits);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** The legend line: the tests read `O <open> H <high> L <low> C <close> V <volume>` from it. */
export function legendText(bar: Bar | null, digits: number): string {
  if (!bar) return 'O - H - L - C - V -';
  const p = (v: number) => formatPrice(v, digits);
  return `O ${p(bar.open)} H ${p(bar.high)} L ${p(bar.low)} C ${p(bar.close)} V ${formatVolume(bar.volume)}`;
}

/** Change of the bar's close against its open, as a signed percentage string. */
export function changeText(bar: Bar | null): string {
  if (!bar || !(bar.open !== 0)) return '';
  const pct = ((bar.close - bar.open) / bar.open) * 100;
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(2)}%`;
}

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * Local wall-clock time of an epoch-seconds timestamp. lightweight-charts has no time zones, so the charts
 * keep UTC data and format through these (a trader reads the clock on the wall, not UTC).
 */
export function formatTime(sec: number, withSeconds: boolean): string {
  const d = new Date(sec * 1000);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return withSeconds ? `${hm}:${pad(d.getSeconds())}` : hm;
}

export function formatDateTime(sec: number, withSeconds: boolean): string {
  const d = new Date(sec * 1000);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${formatTime(sec, withSeconds)}`;
}

/** Axis tick labels: dates at day/month/year boundaries, clock times within a day. */
export function formatTick(sec: number, kind: 'year' | 'month' | 'day' | 'time' | 'seconds'): string {
  const d = new Date(sec * 1000);
  switch (kind) {
    case 'year':
      return String(d.getFullYear());
    case 'month':
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}`;
    case 'day':
      return `${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    case 'time':
      return formatTime(sec, false);
    case 'seconds':
      return formatTime(sec, true);
  }
}

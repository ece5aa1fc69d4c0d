/**
 * What the page URL asks for: `?fqme=` opens a symbol in the focused chart (also how `candlewick chart <fqme>` opens
 * one); `?window=` names the saved window this page shows (Electron opens one page per window).
 */
export const DEFAULT_FQME = 'xbtusd.spot.sim';
export const MAIN_WINDOW_ID = 'main';

export interface LaunchOptions {
  fqme: string;
  /** The symbol the URL asks for, null when it names none (the saved layout's symbols stay). */
  urlFqme: string | null;
  window: string;
  /** Rows in the first snapshot of the slow (1 m) chart; `?bars=` raises it (benchmarks open a million). */
  slowCount: number;
  /** Rows in the first snapshot of the fast (1 s) chart. */
  fastCount: number;
}

const MAX_COUNT = 2_000_000;

export function readLaunchOptions(search: string): LaunchOptions {
  const q = new URLSearchParams(search);
  const urlFqme = (q.get('fqme') ?? '').trim() || null;
  const win = q.get('window') ?? '';
  return {
    fqme: urlFqme ?? DEFAULT_FQME,
    urlFqme,
    window: /^[A-Za-z0-9_-]{1,40}$/.test(win) ? win : MAIN_WINDOW_ID,
    slowCount: count(q.get('bars'), 20_000),
    fastCount: count(q.get('fastBars'), 3_600),
  };
}

function count(raw: string | null, fallback: number): number {
  const n = raw === null ? NaN : Number(raw);
  return Number.isInteger(n) && n > 0 ? Math.min(n, MAX_COUNT) : fallback;
}

/** The page URL with `?fqme=` set, other parameters kept. */
export function urlWithFqme(href: string, fqme: string): string {
  const u = new URL(href);
  u.searchParams.set('fqme', fqme);
  return u.toString();
}

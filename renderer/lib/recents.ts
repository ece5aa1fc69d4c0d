import type { SymbolMatch } from '../../core/protocol/types.js';

/** Recently loaded symbols, newest first, kept in localStorage so they survive a restart. */
export const RECENTS_KEY = 'candlewick.recents';
export const MAX_RECENTS = 12;

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function loadRecents(storage: KeyValueStorage | null): string[] {
  if (!storage) return [];
  try {
    const raw: unknown = JSON.parse(storage.getItem(RECENTS_KEY) ?? '[]');
    if (!Array.isArray(raw)) return [];
    return raw.filter((x): x is string => typeof x === 'string' && x.length > 0 && x.length <= 128).slice(0, MAX_RECENTS);
  } catch {
    return [];
  }
}

export function pushRecent(list: readonly string[], fqme: string, max = MAX_RECENTS): string[] {
  return [fqme, ...list.filter((f) => f !== fqme)].slice(0, max);
}

export function saveRecents(storage: KeyValueStorage | null, list: readonly string[]): void {
  try {
    storage?.setItem(RECENTS_KEY, JSON.stringify(list));
  } catch {
    // Storage full or disabled (private mode): recents are a convenience, not state worth failing for.
  }
}

/** Subsequence match, the same loose sense a fuzzy finder uses: "xbt" matches "xbtusd.spot.sim", so does "xus". */
export function fuzzyMatches(pattern: string, text: string): boolean {
  const p = pattern.trim().toLowerCase();
  if (!p) return true;
  const t = text.toLowerCase();
  let i = 0;
  for (let k = 0; k < t.length && i < p.length; k++) if (t[k] === p[i]) i++;
  return i === p.length;
}

export interface SearchRow {
  fqme: string;
  description: string;
  recent: boolean;
}

/**
 * The host's fuzzy-ranked matches with recent symbols lifted to the top (in recency order). A recent symbol
 * the host did not return is still shown when it matches the pattern: the user loaded it, so it exists.
 */
export function rankWithRecents(
  pattern: string,
  matches: readonly SymbolMatch[],
  recents: readonly string[],
  limit = 20,
): SearchRow[] {
  const byFqme = new Map(matches.map((m) => [m.fqme, m]));
  const out: SearchRow[] = [];
  const seen = new Set<string>();
  for (const f of recents) {
    if (seen.has(f) || !(byFqme.has(f) || fuzzyMatches(pattern, f))) continue;
    seen.add(f);
    out.push({ fqme: f, description: byFqme.get(f)?.description ?? '', recent: true });
  }
  for (const m of matches) {
    if (seen.has(m.fqme)) continue;
    seen.add(m.fqme);
    out.push({ fqme: m.fqme, description: m.description, recent: false });
  }
  return out.slice(0, limit);
}

/** Selection index after moving by `delta`, wrapping around the list. */
export function moveSelection(current: number, delta: number, length: number): number {
  if (length <= 0) return -1;
  if (current < 0) return delta > 0 ? 0 : length - 1;
  return (((current + delta) % length) + length) % length;
}

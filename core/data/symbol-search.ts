import type { SymbolMatch } from '../protocol/types.js';

/**
 * Fuzzy matching for symbol search: every pattern character must appear in order; contiguous runs, matches
 * at token starts (after '.', '/', ' ') and a prefix match score higher. Returns null for no match.
 */
export function fuzzyScore(pattern: string, text: string): number | null {
  const p = pattern.toLowerCase().replace(/\s+/g, '');
  if (p.length === 0) return 0;
  const t = text.toLowerCase();
  let score = 0;
  let ti = 0;
  let run = 0;
  for (let pi = 0; pi < p.length; pi++) {
    const ch = p[pi]!;
    const found = t.indexOf(ch, ti);
    if (found < 0) return null;
    const boundary = found === 0 || '. /-_'.includes(t[found - 1]!);
    run = found === ti && pi > 0 ? run + 1 : 0;
    score += 1 + run * 3 + (boundary ? 4 : 0) - Math.min(found - ti, 10) * 0.2;
    ti = found + 1;
  }
  if (t.startsWith(p)) score += 10;
  return score;
}

export interface Searchable {
  fqme: string;
  broker: string;
  name: string;
  description: string;
}

export function searchSymbols(items: readonly Searchable[], pattern: string, limit: number): SymbolMatch[] {
  const out: SymbolMatch[] = [];
  for (const it of items) {
    const a = fuzzyScore(pattern, it.fqme);
    const b = fuzzyScore(pattern, it.description);
    const score = a === null ? (b === null ? null : b * 0.8) : b === null ? a : Math.max(a, b * 0.8);
    if (score !== null) out.push({ ...it, score: Math.round(score * 100) / 100 });
  }
  out.sort((x, y) => y.score - x.score || x.fqme.localeCompare(y.fqme));
  return out.slice(0, limit);
}

/**
 * Deterministic frame mutations for parser fuzzing: from each documented frame, truncations at every offset, byte
 * flips, every field deleted, every leaf swapped for other types (string <-> number <-> null <-> bool <-> object),
 * huge numbers and NaN-ish strings, deep nesting, empty input, and random combinations of these. A fixed seed
 * gives the same inputs on every run.
 */

import { unit } from '../../core/brokers/sim/prng.js';

/** A seeded uniform stream in [0, 1), from the sim's integer hash (so the same seed gives the same inputs). */
export function prng(seed: number): () => number {
  let n = 0;
  return () => unit(seed, 0xf022, 0, n++);
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = (string | number)[];

/** Values a leaf is swapped for: other types, huge and tiny numbers, NaN-ish and number-like strings. */
export const ODD_VALUES: Json[] = [
  null, true, false, 0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 2, 5e-324, '', ' ', '0', '-0.0', '-1', '0.000',
  'NaN', 'Infinity', '-Infinity', 'undefined', 'null', '1e400', '1e-400', '0x1F', ' 1', '1,5', '1.2.3', '١٢٣',
  '99999999999999999999999999999999999999999999999999999999999999999999', '\u0000', [], {}, [[]], { a: 1 },
];

const FLIP_CHARS = ['"', '{', '}', '[', ']', ',', ':', '\\', '0', '9', '-', '.', 'e', 'x', ' ', '\u0000', '\u00ff', '\ud800', '\u2028'];

function leafPaths(v: Json, at: Path = [], out: Path[] = []): Path[] {
  if (Array.isArray(v)) v.forEach((x, i) => leafPaths(x, [...at, i], out));
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) leafPaths(v[k]!, [...at, k], out);
  else out.push(at);
  return out;
}

function allPaths(v: Json, at: Path = [], out: Path[] = []): Path[] {
  if (at.length > 0) out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => allPaths(x, [...at, i], out));
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) allPaths(v[k]!, [...at, k], out);
  return out;
}

/** A copy of `v` with the value at `path` replaced (or deleted when `to` is undefined). */
function edit(v: Json, path: Path, to: Json | undefined): Json {
  const copy = structuredClone(v);
  let node = copy as Record<string | number, Json>;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, Json>;
  const last = path[path.length - 1]!;
  if (to !== undefined) node[last] = to;
  else if (Array.isArray(node)) node.splice(last as number, 1);
  else delete node[last];
  return copy;
}

/** The swap of a leaf that keeps its meaning but changes its JSON type: "16578.50" <-> 16578.5. */
function typeSwap(x: Json): Json {
  if (typeof x === 'string' && x.trim() !== '' && Number.isFinite(Number(x))) return Number(x);
  if (typeof x === 'number') return String(x);
  if (typeof x === 'boolean') return String(x);
  return x === null ? 'null' : null;
}

function nest(depth: number, inner: string): string {
  return '['.repeat(depth) + inner + ']'.repeat(depth);
}

/** Every systematic mutation of one frame. */
export function mutations(raw: string, rand: () => number, flips = 150): string[] {
  const out: string[] = [];
  for (let i = 0; i < raw.length; i++) out.push(raw.slice(0, i));
  for (let n = 0; n < flips; n++) {
    const i = Math.floor(rand() * raw.length);
    out.push(raw.slice(0, i) + FLIP_CHARS[Math.floor(rand() * FLIP_CHARS.length)]! + raw.slice(i + 1));
  }
  const doc = JSON.parse(raw) as Json;
  for (const p of allPaths(doc)) out.push(JSON.stringify(edit(doc, p, undefined)));
  for (const p of leafPaths(doc)) {
    const leaf = p.reduce<Json>((node, k) => (node as Record<string | number, Json>)[k]!, doc);
    out.push(JSON.stringify(edit(doc, p, typeSwap(leaf))));
    for (const v of ODD_VALUES) out.push(JSON.stringify(edit(doc, p, v)));
    out.push(JSON.stringify(edit(doc, p, JSON.parse(nest(500, '1')) as Json)));
  }
  out.push(nest(5_000, raw), nest(100_000, ''), '['.repeat(200_000), `{"a":${'{"a":'.repeat(3_000)}1${'}'.repeat(3_001)}`);
  out.push('', ' ', '{}', '[]', 'null', '0', '""', 'true', raw + raw, raw + ' trailing');
  return out;
}

/** Random combinations: two or three mutations of one frame applied in sequence (structural first, then flips). */
export function combos(samples: readonly string[], rand: () => number, count: number): string[] {
  const out: string[] = [];
  for (let n = 0; n < count; n++) {
    let doc = JSON.parse(samples[Math.floor(rand() * samples.length)]!) as Json;
    const steps = 2 + Math.floor(rand() * 2);
    for (let s = 0; s < steps; s++) {
      const paths = leafPaths(doc);
      if (paths.length === 0) break;
      const p = paths[Math.floor(rand() * paths.length)]!;
      doc = rand() < 0.3 ? edit(doc, p, undefined) : edit(doc, p, ODD_VALUES[Math.floor(rand() * ODD_VALUES.length)]!);
    }
    let text = JSON.stringify(doc);
    if (rand() < 0.3) {
      const i = Math.floor(rand() * text.length);
      text = text.slice(0, i) + FLIP_CHARS[Math.floor(rand() * FLIP_CHARS.length)]! + text.slice(i + 1);
    }
    out.push(text);
  }
  return out;
}

export function shuffle<T>(xs: T[], rand: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

/**
 * The saved workspace: windows, each with tabs, each tab a tree of split panes whose leaves are charts (one symbol
 * with its timeframes, overlays and indicator set). Shared by the host (layout.json in the data directory) and the
 * renderer (which edits its own window). `checkLayout` is the one strict gate both sides trust: a layout that passes
 * it is well formed (ids unique and referenced, bounded sizes, normalized fqmes), anything else is refused whole.
 */
import { normalizeFqme } from './fqme.js';
import { TIMEFRAMES, type Timeframe } from './types.js';

export const LAYOUT_VERSION = 1;

/** For the indicators work: which indicator, and its parameters (free-form but bounded). */
export interface IndicatorSpec {
  id: string;
  kind: string;
  params: Record<string, number | string | boolean>;
}

/** One chart: a symbol shown in one or more timeframes (top to bottom; 60 + 1 is the linked slow/fast pair). */
export interface ChartSpec {
  id: string;
  fqme: string;
  timeframes: Timeframe[];
  /** Other symbols drawn over this one on a percent-change scale. */
  overlays: string[];
  indicators: IndicatorSpec[];
}

export type SplitDir = 'row' | 'column';

/** A leaf (one chart) or a split: children side by side ('row') or stacked ('column'), `sizes` as fractions. */
export type PaneNode = { kind: 'chart'; chart: ChartSpec } | { kind: 'split'; dir: SplitDir; children: PaneNode[]; sizes?: number[] };

export interface TabLayout {
  id: string;
  title?: string;
  root: PaneNode;
  /** The chart search, order mode and the order pane act on. */
  focus: string;
}

export interface WindowBounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowLayout {
  /** 'main' for the first window; other windows (Electron) have generated ids. */
  id: string;
  tabs: TabLayout[];
  active: string;
  bounds?: WindowBounds;
}

export interface Layout {
  version: typeof LAYOUT_VERSION;
  windows: WindowLayout[];
}

export const MAIN_WINDOW = 'main';

export const LAYOUT_LIMITS = {
  windows: 8,
  tabsPerWindow: 32,
  chartsPerTab: 9,
  depth: 4,
  overlays: 4,
  indicators: 16,
  indicatorParams: 12,
} as const;

export class LayoutError extends Error {}

const ID = /^[A-Za-z0-9_-]{1,40}$/;
const KIND = /^[a-z][a-z0-9_]{0,23}$/;
const PARAM = /^[A-Za-z][A-Za-z0-9_]{0,23}$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(path: string, what: string): never {
  throw new LayoutError(`${path}: ${what}`);
}

function obj(v: unknown, path: string, keys: readonly string[], required: readonly string[] = keys): Obj {
  if (!isObj(v)) fail(path, 'must be an object');
  for (const k of Object.keys(v)) if (!keys.includes(k)) fail(path, `unexpected key ${JSON.stringify(k)}`);
  for (const k of required) if (v[k] === undefined) fail(path, `missing '${k}'`);
  return v;
}

function arr(v: unknown, path: string, min: number, max: number): unknown[] {
  if (!Array.isArray(v)) fail(path, 'must be an array');
  if (v.length < min || v.length > max) fail(path, `must hold ${min} to ${max} entries`);
  return v;
}

function id(v: unknown, path: string): string {
  if (typeof v !== 'string' || !ID.test(v)) fail(path, 'must be an id of 1 to 40 letters, digits, - or _');
  return v;
}

function int(v: unknown, path: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(path, `must be an integer in [${min}, ${max}]`);
  return v;
}

/** A normalized fqme (what normalizeFqme gives back unchanged). */
export function layoutFqme(v: unknown, path: string): string {
  if (typeof v !== 'string') fail(path, 'must be an fqme string');
  let norm: string;
  try {
    norm = normalizeFqme(v);
  } catch (e) {
    fail(path, (e as Error).message);
  }
  if (norm !== v) fail(path, `must be normalized (${JSON.stringify(norm)})`);
  return v;
}

class Checker {
  readonly ids = new Set<string>();

  unique(v: unknown, path: string): string {
    const s = id(v, path);
    if (this.ids.has(s)) fail(path, `duplicate id ${JSON.stringify(s)}`);
    this.ids.add(s);
    return s;
  }

  layout(raw: unknown): Layout {
    const o = obj(raw, 'layout', ['version', 'windows']);
    if (o.version !== LAYOUT_VERSION) fail('layout.version', `must be ${LAYOUT_VERSION}`);
    const windows = arr(o.windows, 'layout.windows', 0, LAYOUT_LIMITS.windows).map((w, i) => this.window(w, `layout.windows[${i}]`));
    return { version: LAYOUT_VERSION, windows };
  }

  window(raw: unknown, path: string): WindowLayout {
    const o = obj(raw, path, ['id', 'tabs', 'active', 'bounds'], ['id', 'tabs', 'active']);
    const wid = this.unique(o.id, `${path}.id`);
    const tabs = arr(o.tabs, `${path}.tabs`, 1, LAYOUT_LIMITS.tabsPerWindow).map((t, i) => this.tab(t, `${path}.tabs[${i}]`));
    const active = id(o.active, `${path}.active`);
    if (!tabs.some((t) => t.id === active)) fail(`${path}.active`, `names no tab of this window`);
    const out: WindowLayout = { id: wid, tabs, active };
    if (o.bounds !== undefined) out.bounds = bounds(o.bounds, `${path}.bounds`);
    return out;
  }

  tab(raw: unknown, path: string): TabLayout {
    const o = obj(raw, path, ['id', 'title', 'root', 'focus'], ['id', 'root', 'focus']);
    const tid = this.unique(o.id, `${path}.id`);
    const charts: string[] = [];
    const root = this.node(o.root, `${path}.root`, 1, charts);
    if (charts.length > LAYOUT_LIMITS.chartsPerTab) fail(path, `at most ${LAYOUT_LIMITS.chartsPerTab} charts per tab`);
    const focus = id(o.focus, `${path}.focus`);
    if (!charts.includes(focus)) fail(`${path}.focus`, 'names no chart of this tab');
    const out: TabLayout = { id: tid, root, focus };
    if (o.title !== undefined) {
      if (typeof o.title !== 'string' || o.title.length > 64) fail(`${path}.title`, 'must be a string of at most 64 characters');
      out.title = o.title;
    }
    return out;
  }

  node(raw: unknown, path: string, depth: number, charts: string[]): PaneNode {
    if (!isObj(raw)) fail(path, 'must be an object');
    if (raw.kind === 'chart') {
      const o = obj(raw, path, ['kind', 'chart']);
      const chart = this.chart(o.chart, `${path}.chart`);
      charts.push(chart.id);
      if (charts.length > LAYOUT_LIMITS.chartsPerTab) fail(path, `at most ${LAYOUT_LIMITS.chartsPerTab} charts per tab`);
      return { kind: 'chart', chart };
    }
    if (raw.kind !== 'split') fail(`${path}.kind`, "must be 'chart' or 'split'");
    if (depth > LAYOUT_LIMITS.depth) fail(path, `splits nest at most ${LAYOUT_LIMITS.depth} deep`);
    const o = obj(raw, path, ['kind', 'dir', 'children', 'sizes'], ['kind', 'dir', 'children']);
    if (o.dir !== 'row' && o.dir !== 'column') fail(`${path}.dir`, "must be 'row' or 'column'");
    const children = arr(o.children, `${path}.children`, 2, LAYOUT_LIMITS.chartsPerTab).map((c, i) =>
      this.node(c, `${path}.children[${i}]`, depth + 1, charts),
    );
    const out: PaneNode = { kind: 'split', dir: o.dir, children };
    if (o.sizes !== undefined) out.sizes = sizes(o.sizes, `${path}.sizes`, children.length);
    return out;
  }

  chart(raw: unknown, path: string): ChartSpec {
    const o = obj(raw, path, ['id', 'fqme', 'timeframes', 'overlays', 'indicators']);
    const cid = this.unique(o.id, `${path}.id`);
    const fqme = layoutFqme(o.fqme, `${path}.fqme`);
    const timeframes = arr(o.timeframes, `${path}.timeframes`, 1, TIMEFRAMES.length).map((t, i) => {
      if (!TIMEFRAMES.includes(t as Timeframe)) fail(`${path}.timeframes[${i}]`, `must be one of ${TIMEFRAMES.join(', ')}`);
      return t as Timeframe;
    });
    if (new Set(timeframes).size !== timeframes.length) fail(`${path}.timeframes`, 'must not repeat a timeframe');
    const overlays = arr(o.overlays, `${path}.overlays`, 0, LAYOUT_LIMITS.overlays).map((f, i) => layoutFqme(f, `${path}.overlays[${i}]`));
    if (new Set(overlays).size !== overlays.length || overlays.includes(fqme)) fail(`${path}.overlays`, "must be distinct symbols other than the chart's own");
    const indicators = arr(o.indicators, `${path}.indicators`, 0, LAYOUT_LIMITS.indicators).map((x, i) => this.indicator(x, `${path}.indicators[${i}]`));
    return { id: cid, fqme, timeframes, overlays, indicators };
  }

  indicator(raw: unknown, path: string): IndicatorSpec {
    const o = obj(raw, path, ['id', 'kind', 'params']);
    const iid = this.unique(o.id, `${path}.id`);
    if (typeof o.kind !== 'string' || !KIND.test(o.kind)) fail(`${path}.kind`, 'must be a lowercase name of at most 24 characters');
    if (!isObj(o.params)) fail(`${path}.params`, 'must be an object');
    const keys = Object.keys(o.params);
    if (keys.length > LAYOUT_LIMITS.indicatorParams) fail(`${path}.params`, `at most ${LAYOUT_LIMITS.indicatorParams} parameters`);
    const params: Record<string, number | string | boolean> = {};
    for (const k of keys) {
      const v = o.params[k];
      if (!PARAM.test(k)) fail(`${path}.params`, `bad parameter name ${JSON.stringify(k.slice(0, 40))}`);
      const ok = typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.length <= 32);
      if (!ok) fail(`${path}.params.${k}`, 'must be a finite number, a boolean or a string of at most 32 characters');
      params[k] = v as number | string | boolean;
    }
    return { id: iid, kind: o.kind, params };
  }
}

function bounds(raw: unknown, path: string): WindowBounds {
  const o = obj(raw, path, ['x', 'y', 'width', 'height']);
  return {
    x: int(o.x, `${path}.x`, -100_000, 100_000),
    y: int(o.y, `${path}.y`, -100_000, 100_000),
    width: int(o.width, `${path}.width`, 100, 100_000),
    height: int(o.height, `${path}.height`, 100, 100_000),
  };
}

function sizes(raw: unknown, path: string, n: number): number[] {
  const out = arr(raw, path, n, n).map((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0.05 || v > 1) fail(`${path}[${i}]`, 'must be a fraction in [0.05, 1]');
    return v;
  });
  const sum = out.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > 0.01) fail(path, 'must add up to 1');
  return out;
}

/** The whole layout, checked and copied (only known fields); throws LayoutError naming the first problem. */
export function checkLayout(raw: unknown): Layout {
  return new Checker().layout(raw);
}

/** One window, checked alone (ids unique within it). */
export function checkWindow(raw: unknown): WindowLayout {
  return new Checker().window(raw, 'window');
}

/** Every chart of a pane tree, in reading order. */
export function chartsOf(node: PaneNode): ChartSpec[] {
  return node.kind === 'chart' ? [node.chart] : node.children.flatMap(chartsOf);
}

export function emptyLayout(): Layout {
  return { version: LAYOUT_VERSION, windows: [] };
}

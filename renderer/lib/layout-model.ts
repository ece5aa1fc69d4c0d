/**
 * Editing one window's layout (core/protocol/layout.ts): tabs, split panes, focus, each chart's symbol, timeframes
 * and overlays. Pure and immutable (every edit returns a new window sharing what it did not touch), so the store
 * hands the result straight to React and tests read it back. An edit that cannot apply (closing the last chart,
 * a tenth chart in a tab) returns the window unchanged: callers compare identities to tell.
 */
import { FqmeError, normalizeFqme } from '../../core/protocol/fqme.js';
import {
  chartsOf,
  checkWindow,
  LAYOUT_LIMITS,
  type ChartSpec,
  type IndicatorSpec,
  type PaneNode,
  type SplitDir,
  type TabLayout,
  type WindowLayout,
} from '../../core/protocol/layout.js';
import { TIMEFRAMES, type Timeframe } from '../../core/protocol/types.js';

/** Fresh ids: `prefix` + a counter in tests, random in the app. */
export type IdSource = (prefix: 'w' | 't' | 'c') => string;

export const randomIds: IdSource = (prefix) => `${prefix}${crypto.randomUUID().replace(/-/g, '').slice(0, 12)}`;

/** The slow 1 m chart over the fast 1 s chart. */
export const DEFAULT_TIMEFRAMES: readonly Timeframe[] = [60, 1];

export function newChart(fqme: string, ids: IdSource): ChartSpec {
  return { id: ids('c'), fqme, timeframes: [...DEFAULT_TIMEFRAMES], overlays: [], indicators: [] };
}

function newTab(chart: ChartSpec, ids: IdSource): TabLayout {
  return { id: ids('t'), root: { kind: 'chart', chart }, focus: chart.id };
}

/** A window with one tab showing one chart of `fqme`. */
export function newWindow(id: string, fqme: string, ids: IdSource): WindowLayout {
  const tab = newTab(newChart(fqme, ids), ids);
  return { id, tabs: [tab], active: tab.id };
}

export function activeTab(win: WindowLayout): TabLayout {
  return win.tabs.find((t) => t.id === win.active) ?? win.tabs[0]!;
}

/** The chart search, order mode and the order pane act on: the active tab's focused chart. */
export function focusedChart(win: WindowLayout): ChartSpec {
  const tab = activeTab(win);
  return chartsOf(tab.root).find((c) => c.id === tab.focus) ?? chartsOf(tab.root)[0]!;
}

export function findChart(win: WindowLayout, chartId: string): { tab: TabLayout; chart: ChartSpec } | null {
  for (const tab of win.tabs) {
    const chart = chartsOf(tab.root).find((c) => c.id === chartId);
    if (chart) return { tab, chart };
  }
  return null;
}

function replaceTab(win: WindowLayout, tab: TabLayout): WindowLayout {
  return { ...win, tabs: win.tabs.map((t) => (t.id === tab.id ? tab : t)) };
}

/** The tree with `fn` applied to the leaf holding chart `id` (a leaf, a subtree, or null to remove it). */
function mapLeaf(node: PaneNode, id: string, fn: (leaf: PaneNode & { kind: 'chart' }) => PaneNode | null): PaneNode | null {
  if (node.kind === 'chart') return node.chart.id === id ? fn(node) : node;
  let changed = false;
  const children: PaneNode[] = [];
  const sizes: number[] = [];
  node.children.forEach((c, i) => {
    const next = mapLeaf(c, id, fn);
    if (next !== c) changed = true;
    if (next === null) return;
    // A split inside a split the same way is one split with more children (splitting in the same direction again,
    // or a middle split collapsing when one of its two children closed).
    if (next.kind === 'split' && next.dir === node.dir) {
      const share = node.sizes?.[i] ?? 1 / node.children.length;
      next.children.forEach((g, k) => {
        children.push(g);
        sizes.push(share * (next.sizes?.[k] ?? 1 / next.children.length));
      });
      return;
    }
    children.push(next);
    sizes.push(node.sizes?.[i] ?? 1 / node.children.length);
  });
  if (!changed) return node;
  if (children.length === 0) return null;
  if (children.length === 1) return children[0]!;
  const sum = sizes.reduce((a, b) => a + b, 0);
  const out: PaneNode = { kind: 'split', dir: node.dir, children };
  // Sizes are kept only once a user has resized: equal shares otherwise.
  if (node.sizes) out.sizes = sizes.map((s) => s / sum);
  return out;
}

function depth(node: PaneNode): number {
  return node.kind === 'chart' ? 0 : 1 + Math.max(...node.children.map(depth));
}

function updateChart(win: WindowLayout, chartId: string, fn: (c: ChartSpec) => ChartSpec): WindowLayout {
  const found = findChart(win, chartId);
  if (!found) return win;
  const next = fn(found.chart);
  if (next === found.chart) return win;
  const root = mapLeaf(found.tab.root, chartId, () => ({ kind: 'chart', chart: next }))!;
  return replaceTab(win, { ...found.tab, root });
}

// ---- tabs ----

/** A new tab with one chart of `fqme`, made active. */
export function addTab(win: WindowLayout, fqme: string, ids: IdSource): WindowLayout {
  if (win.tabs.length >= LAYOUT_LIMITS.tabsPerWindow) return win;
  const tab = newTab(newChart(fqme, ids), ids);
  return { ...win, tabs: [...win.tabs, tab], active: tab.id };
}

/** Closes a tab (never the last one); the tab to its left, or right, becomes active if it was. */
export function closeTab(win: WindowLayout, tabId: string): WindowLayout {
  const i = win.tabs.findIndex((t) => t.id === tabId);
  if (i < 0 || win.tabs.length === 1) return win;
  const tabs = win.tabs.filter((t) => t.id !== tabId);
  const active = win.active === tabId ? tabs[Math.max(0, i - 1)]!.id : win.active;
  return { ...win, tabs, active };
}

export function activateTab(win: WindowLayout, tabId: string): WindowLayout {
  if (win.active === tabId || !win.tabs.some((t) => t.id === tabId)) return win;
  return { ...win, active: tabId };
}

// ---- charts in a tab ----

/** Focuses a chart (and activates its tab). */
export function focusChart(win: WindowLayout, chartId: string): WindowLayout {
  const found = findChart(win, chartId);
  if (!found || (found.tab.focus === chartId && win.active === found.tab.id)) return win;
  return { ...replaceTab(win, { ...found.tab, focus: chartId }), active: found.tab.id };
}

/**
 * Splits a chart: a new chart (of `fqme`, else the same symbol and timeframes) beside it ('row') or below it
 * ('column'), focused. Refused past the per-tab chart count or nesting depth.
 */
export function splitChart(win: WindowLayout, chartId: string, dir: SplitDir, ids: IdSource, fqme?: string): WindowLayout {
  const found = findChart(win, chartId);
  if (!found || chartsOf(found.tab.root).length >= LAYOUT_LIMITS.chartsPerTab) return win;
  const chart: ChartSpec = { ...newChart(fqme ?? found.chart.fqme, ids), timeframes: [...found.chart.timeframes] };
  const root = mapLeaf(found.tab.root, chartId, (leaf) => ({ kind: 'split', dir, children: [leaf, { kind: 'chart', chart }] }))!;
  if (depth(root) > LAYOUT_LIMITS.depth) return win;
  return replaceTab(win, { ...found.tab, root, focus: chart.id });
}

/**
 * Removes a chart; its neighbours take the room. The tab's last chart closes the tab, and the window's last chart
 * stays (a window always shows something). Focus moves to the chart that took the place.
 */
export function closeChart(win: WindowLayout, chartId: string): WindowLayout {
  const found = findChart(win, chartId);
  if (!found) return win;
  const before = chartsOf(found.tab.root);
  if (before.length === 1) return closeTab(win, found.tab.id);
  const root = mapLeaf(found.tab.root, chartId, () => null)!;
  const after = chartsOf(root);
  let focus = found.tab.focus;
  if (focus === chartId) {
    const i = before.findIndex((c) => c.id === chartId);
    focus = after[Math.max(0, i - 1)]!.id;
  }
  return replaceTab(win, { ...found.tab, root, focus });
}

/** New fractions for the split at `path` (child indices from the tab's root), each at least 5%. */
export function resizeSplit(win: WindowLayout, tabId: string, path: readonly number[], sizes: readonly number[]): WindowLayout {
  const tab = win.tabs.find((t) => t.id === tabId);
  if (!tab) return win;
  const set = (node: PaneNode, k: number): PaneNode => {
    if (node.kind !== 'split') return node;
    if (k === path.length) {
      if (sizes.length !== node.children.length || sizes.some((s) => !(s >= 0.05))) return node;
      const sum = sizes.reduce((a, b) => a + b, 0);
      return { ...node, sizes: sizes.map((s) => s / sum) };
    }
    const i = path[k]!;
    const child = node.children[i];
    if (!child) return node;
    const next = set(child, k + 1);
    return next === child ? node : { ...node, children: node.children.map((c, j) => (j === i ? next : c)) };
  };
  const root = set(tab.root, 0);
  return root === tab.root ? win : replaceTab(win, { ...tab, root });
}

/**
 * Takes a chart out of its window (for a window of its own); null when it is the window's only chart.
 */
export function detachChart(win: WindowLayout, chartId: string): { rest: WindowLayout; chart: ChartSpec } | null {
  const found = findChart(win, chartId);
  if (!found) return null;
  const rest = closeChart(win, chartId);
  if (rest === win) return null;
  return { rest, chart: found.chart };
}

// ---- one chart ----

/** Loads a symbol into a chart (as typed: an unparseable one is kept so the chart can say what is wrong with it). */
export function setSymbol(win: WindowLayout, chartId: string, fqme: string): WindowLayout {
  return updateChart(win, chartId, (c) => (c.fqme === fqme ? c : { ...c, fqme, overlays: c.overlays.filter((o) => o !== fqme) }));
}

/** Shows or hides one timeframe of a chart; the last one stays. Order: slow above fast. */
export function toggleTimeframe(win: WindowLayout, chartId: string, tf: Timeframe): WindowLayout {
  return updateChart(win, chartId, (c) => {
    const has = c.timeframes.includes(tf);
    if (has && c.timeframes.length === 1) return c;
    const next = has ? c.timeframes.filter((t) => t !== tf) : [...c.timeframes, tf];
    return { ...c, timeframes: [...TIMEFRAMES].sort((a, b) => b - a).filter((t) => next.includes(t)) };
  });
}

export function addOverlay(win: WindowLayout, chartId: string, fqme: string): WindowLayout {
  return updateChart(win, chartId, (c) =>
    c.fqme === fqme || c.overlays.includes(fqme) || c.overlays.length >= LAYOUT_LIMITS.overlays ? c : { ...c, overlays: [...c.overlays, fqme] },
  );
}

export function removeOverlay(win: WindowLayout, chartId: string, fqme: string): WindowLayout {
  return updateChart(win, chartId, (c) => (c.overlays.includes(fqme) ? { ...c, overlays: c.overlays.filter((o) => o !== fqme) } : c));
}

/** Replaces a chart's indicator set (what the indicators UI edits; saved with the layout). */
export function setIndicators(win: WindowLayout, chartId: string, indicators: readonly IndicatorSpec[]): WindowLayout {
  return updateChart(win, chartId, (c) => (indicators.length > LAYOUT_LIMITS.indicators ? c : { ...c, indicators: [...indicators] }));
}

// ---- saving and restoring ----

/** The fqme normalized, or null when it cannot be parsed. */
export function parseSymbol(raw: string): { fqme: string; error: string | null } {
  try {
    return { fqme: normalizeFqme(raw), error: null };
  } catch (e) {
    return { fqme: raw.trim(), error: e instanceof FqmeError ? e.message : String(e) };
  }
}

/**
 * The window as the host will accept it: a symbol that does not even parse (a typo on screen, with its error) is
 * saved as `fallback` instead, so one bad input never costs the whole layout. Null if it still fails the check.
 */
export function savable(win: WindowLayout, fallback: string): WindowLayout | null {
  const fix = (node: PaneNode): PaneNode => {
    if (node.kind === 'split') return { ...node, children: node.children.map(fix) };
    const c = node.chart;
    return parseSymbol(c.fqme).error === null ? node : { kind: 'chart', chart: { ...c, fqme: fallback, overlays: c.overlays.filter((o) => o !== fallback) } };
  };
  try {
    return checkWindow({ ...win, tabs: win.tabs.map((t) => ({ ...t, root: fix(t.root) })) });
  } catch {
    return null;
  }
}

/**
 * The window to show at start: the saved one with this id, else a new one; a symbol asked for by the URL
 * (`?fqme=`) goes into its focused chart.
 */
export function restoreWindow(saved: readonly WindowLayout[], id: string, fallbackFqme: string, urlFqme: string | null, ids: IdSource): WindowLayout {
  const found = saved.find((w) => w.id === id);
  const win = found ?? newWindow(id, urlFqme ?? fallbackFqme, ids);
  return urlFqme ? setSymbol(win, focusedChart(win).id, urlFqme) : win;
}

/** Each distinct symbol the window draws (charts and overlays), for sharing feeds. */
export function symbolsOf(win: WindowLayout): string[] {
  const out = new Set<string>();
  for (const t of win.tabs) for (const c of chartsOf(t.root)) [c.fqme, ...c.overlays].forEach((f) => out.add(f));
  return [...out];
}

// ---- geometry ----

/** A rectangle as fractions of the tab's area. */
export interface FracRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The boundary between children `index` and `index + 1` of the split at `path`, and that split's area. */
export interface Divider {
  path: number[];
  index: number;
  dir: SplitDir;
  /** Where the boundary is (a zero-width or zero-height rectangle). */
  at: FracRect;
  /** The split's whole area and its current shares: what a drag recomputes. */
  area: FracRect;
  sizes: number[];
}

/** Shares of a split's children: the saved sizes, else equal. */
export function sharesOf(node: PaneNode & { kind: 'split' }): number[] {
  return node.sizes ?? node.children.map(() => 1 / node.children.length);
}

/**
 * Where each chart of a tab goes, and where the dividers are: the tree laid out flat, so charts are positioned (and
 * keep their identity) however the splits around them change.
 */
export function paneRects(root: PaneNode): { charts: { chart: ChartSpec; rect: FracRect }[]; dividers: Divider[] } {
  const charts: { chart: ChartSpec; rect: FracRect }[] = [];
  const dividers: Divider[] = [];
  const walk = (node: PaneNode, rect: FracRect, path: number[]) => {
    if (node.kind === 'chart') {
      charts.push({ chart: node.chart, rect });
      return;
    }
    const sizes = sharesOf(node);
    let offset = 0;
    node.children.forEach((child, i) => {
      const share = sizes[i]!;
      const r: FracRect =
        node.dir === 'row'
          ? { x: rect.x + offset * rect.w, y: rect.y, w: share * rect.w, h: rect.h }
          : { x: rect.x, y: rect.y + offset * rect.h, w: rect.w, h: share * rect.h };
      offset += share;
      if (i < node.children.length - 1) {
        const at: FracRect = node.dir === 'row' ? { x: r.x + r.w, y: r.y, w: 0, h: r.h } : { x: r.x, y: r.y + r.h, w: r.w, h: 0 };
        dividers.push({ path, index: i, dir: node.dir, at, area: rect, sizes });
      }
      walk(child, r, [...path, i]);
    });
  };
  walk(root, { x: 0, y: 0, w: 1, h: 1 }, []);
  return { charts, dividers };
}

/** The shares after dragging divider `d` to `pos` (a fraction of the tab along the split's direction). */
export function dragDivider(d: Divider, pos: number, min = 0.05): number[] {
  const start = d.dir === 'row' ? d.area.x : d.area.y;
  const span = d.dir === 'row' ? d.area.w : d.area.h;
  const local = (pos - start) / span;
  const before = d.sizes.slice(0, d.index).reduce((a, b) => a + b, 0);
  const pair = d.sizes[d.index]! + d.sizes[d.index + 1]!;
  const left = Math.min(pair - min, Math.max(min, local - before));
  const out = [...d.sizes];
  out[d.index] = left;
  out[d.index + 1] = pair - left;
  return out;
}

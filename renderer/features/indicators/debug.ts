import type { BarStore } from '../../lib/bar-store.js';
import { indicatorHub } from './hub-instance.js';
import type { IndicatorLayer } from './indicator-layer.js';
import type { IndicatorOverlay } from './indicator-overlay.js';
import type { RangeSelection } from './range-selection.js';

interface PaneParts {
  layer?: IndicatorLayer;
  overlay?: IndicatorOverlay;
  selection?: RangeSelection;
  store?: () => BarStore;
}

const panes = new Map<string, PaneParts>();

/** Adds a chart pane's indicator parts to the debug handle; returns their removal. */
export function registerIndicatorPane(chartId: string, role: 'slow' | 'fast', parts: PaneParts): () => void {
  const key = `${chartId}/${role}`;
  panes.set(key, { ...panes.get(key), ...parts });
  return () => {
    const cur = panes.get(key);
    if (!cur) return;
    for (const k of Object.keys(parts) as (keyof PaneParts)[]) if (cur[k] === parts[k]) delete cur[k];
    if (Object.keys(cur).length === 0) panes.delete(key);
  };
}

/**
 * `window.__candlewick.indicators`, for e2e tests and benchmarks: what the indicator worker computed and the bars it
 * computed it from, per chart pane (`chartId`, role 'slow' | 'fast').
 */
export const indicatorDebug = {
  /** The worker hub's counters (messages, rows posted, compute times, errors). */
  hub: () => ({ ...indicatorHub().stats }),
  panes: () => [...panes.keys()],
  /** Every indicator's value at row `index` (default: the newest) of a pane's store. */
  readings(chartId: string, role: 'slow' | 'fast', index?: number) {
    const p = panes.get(`${chartId}/${role}`);
    const store = p?.store?.();
    if (!p?.layer || !store) return null;
    const i = index ?? store.hi - 1;
    return { index: i, time: store.length ? store.time(Math.min(i, store.hi - 1)) : null, readings: p.layer.readings(i) };
  },
  /** Rows [from, to) of a pane's store (clipped to what it holds), column by column, with the held bounds. */
  bars(chartId: string, role: 'slow' | 'fast', from: number, to: number) {
    const store = panes.get(`${chartId}/${role}`)?.store?.();
    if (!store) return null;
    const v = store.view({ from, to });
    return { lo: store.lo, hi: store.hi, from: v.from, to: v.to, time: Array.from(v.time), open: Array.from(v.open), high: Array.from(v.high), low: Array.from(v.low), close: Array.from(v.close), volume: Array.from(v.volume) };
  },
  /** The shift-drag selection's figures, or null. */
  selection(chartId: string, role: 'slow' | 'fast') {
    return panes.get(`${chartId}/${role}`)?.selection?.stats ?? null;
  },
};

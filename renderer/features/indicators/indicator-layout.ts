import type { IndicatorSpec, WindowLayout } from '../../../core/protocol/layout.js';
import { INDICATORS, normalizeParams, type IndicatorKind } from '../../../core/indicators/registry.js';
import { findChart, setIndicators } from '../../lib/layout-model.js';

/**
 * A chart's indicator set lives in the layout (ChartSpec.indicators, saved with it by the host): adding, removing
 * and changing parameters are layout edits like the others (pure here; indicator-actions.ts applies them).
 */

/** A fresh indicator id: ids are unique across the whole layout. */
export const randomIndicatorId = (): string => `i${crypto.randomUUID().replace(/-/g, '').slice(0, 12)}`;

/** The window with fn applied to a chart's indicator set (layout-model's setIndicators keeps it within the limits). */
function editSet(win: WindowLayout, chartId: string, fn: (set: readonly IndicatorSpec[]) => readonly IndicatorSpec[]): WindowLayout {
  const found = findChart(win, chartId);
  if (!found) return win;
  const next = fn(found.chart.indicators);
  return next === found.chart.indicators ? win : setIndicators(win, chartId, next);
}

export function addIndicator(win: WindowLayout, chartId: string, kind: IndicatorKind, params: Record<string, unknown>, id: string): WindowLayout {
  return editSet(win, chartId, (set) => [...set, { id, kind, params: normalizeParams(kind, params) }]);
}

export function removeIndicator(win: WindowLayout, chartId: string, id: string): WindowLayout {
  return editSet(win, chartId, (set) => (set.some((i) => i.id === id) ? set.filter((i) => i.id !== id) : set));
}

/** New parameters for an indicator (normalized for its kind); unchanged when they normalize to the same. */
export function setIndicatorParams(win: WindowLayout, chartId: string, id: string, params: Record<string, unknown>): WindowLayout {
  return editSet(win, chartId, (set) => {
    const cur = set.find((i) => i.id === id);
    if (!cur || !(cur.kind in INDICATORS)) return set;
    const next = normalizeParams(cur.kind as IndicatorKind, { ...cur.params, ...params });
    if (JSON.stringify(next) === JSON.stringify(cur.params)) return set;
    return set.map((i) => (i.id === id ? { ...i, params: next } : i));
  });
}

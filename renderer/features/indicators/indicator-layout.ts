import { LAYOUT_LIMITS, type IndicatorSpec, type WindowLayout } from '../../../core/protocol/layout.js';
import { INDICATORS, normalizeParams, type IndicatorKind } from '../../../core/indicators/registry.js';
import { updateChart } from '../../lib/layout-model.js';

/**
 * A chart's indicator set lives in the layout (ChartSpec.indicators, saved with it by the host): adding, removing
 * and changing parameters are layout edits like the others (pure here; indicator-actions.ts applies them).
 */

/** A fresh indicator id: ids are unique across the whole layout. */
export const randomIndicatorId = (): string => `i${crypto.randomUUID().replace(/-/g, '').slice(0, 12)}`;

export function addIndicator(win: WindowLayout, chartId: string, kind: IndicatorKind, params: Record<string, unknown>, id: string): WindowLayout {
  return updateChart(win, chartId, (c) =>
    c.indicators.length >= LAYOUT_LIMITS.indicators ? c : { ...c, indicators: [...c.indicators, { id, kind, params: normalizeParams(kind, params) }] },
  );
}

export function removeIndicator(win: WindowLayout, chartId: string, id: string): WindowLayout {
  return updateChart(win, chartId, (c) => (c.indicators.some((i) => i.id === id) ? { ...c, indicators: c.indicators.filter((i) => i.id !== id) } : c));
}

/** New parameters for an indicator (normalized for its kind); unchanged when they normalize to the same. */
export function setIndicatorParams(win: WindowLayout, chartId: string, id: string, params: Record<string, unknown>): WindowLayout {
  return updateChart(win, chartId, (c) => {
    const cur = c.indicators.find((i) => i.id === id);
    if (!cur || !(cur.kind in INDICATORS)) return c;
    const next = normalizeParams(cur.kind as IndicatorKind, { ...cur.params, ...params });
    if (JSON.stringify(next) === JSON.stringify(cur.params)) return c;
    return { ...c, indicators: c.indicators.map((i): IndicatorSpec => (i.id === id ? { ...i, params: next } : i)) };
  });
}

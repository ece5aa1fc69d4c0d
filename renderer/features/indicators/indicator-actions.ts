import type { WindowLayout } from '../../../core/protocol/layout.js';
import type { IndicatorKind } from '../../../core/indicators/registry.js';
import { useLayout } from '../../stores/layout.js';
import { addIndicator, randomIndicatorId, removeIndicator, setIndicatorParams } from './indicator-layout.js';

const edit = (fn: (w: WindowLayout) => WindowLayout) => useLayout.getState().edit(fn);

export const indicatorActions = {
  add(chartId: string, kind: IndicatorKind, params: Record<string, unknown> = {}): void {
    edit((w) => addIndicator(w, chartId, kind, params, randomIndicatorId()));
  },
  remove(chartId: string, id: string): void {
    edit((w) => removeIndicator(w, chartId, id));
  },
  setParams(chartId: string, id: string, params: Record<string, unknown>): void {
    edit((w) => setIndicatorParams(w, chartId, id, params));
  },
};

import type { TabLayout, WindowLayout } from '../../../core/protocol/layout.js';
import { errorMessage } from '../../lib/errors.js';
import { DEFAULT_FQME } from '../../lib/launch-options.js';
import { detachChart, randomIds, savable } from '../../lib/layout-model.js';
import { useConnection } from '../../stores/connection.js';
import { useLayout } from '../../stores/layout.js';
import { useOrders } from '../../stores/orders.js';

/** Only the Electron shell opens windows (the preload's openWindow); a browser page keeps to tabs and splits. */
export function canPopOut(): boolean {
  return typeof window.candlewick?.openWindow === 'function';
}

/**
 * Moves a chart to a window of its own: this window is saved without it, the new window is saved with it, and main
 * opens the new window by id (it checks that the layout has it). On failure the chart comes back here.
 */
export async function popOutChart(chartId: string): Promise<void> {
  const client = useConnection.getState().client;
  const bridge = window.candlewick;
  const before = useLayout.getState().win;
  const out = detachChart(before, chartId);
  if (!client || !bridge?.openWindow || !out) return;
  const tab: TabLayout = { id: randomIds('t'), root: { kind: 'chart', chart: out.chart }, focus: out.chart.id };
  const win: WindowLayout = { id: randomIds('w'), tabs: [tab], active: tab.id };
  const rest = savable(out.rest, DEFAULT_FQME);
  const next = savable(win, DEFAULT_FQME);
  if (!rest || !next) return;
  useLayout.getState().edit(() => out.rest);
  try {
    // In this order: the chart's id may be in one window only.
    await client.call('layout.saveWindow', { window: rest });
    await client.call('layout.saveWindow', { window: next });
    bridge.openWindow(next.id);
  } catch (e) {
    useLayout.getState().edit(() => before);
    useOrders.getState().notify(`could not open a new window: ${errorMessage(e)}`, 'error');
  }
}

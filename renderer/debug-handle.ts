import type { ChartController, LatencyLogs } from './features/chart/chart-controller.js';
import { indicatorDebug } from './features/indicators/debug.js';
import { LatencyLog, percentile } from './lib/latency-log.js';
import { useConnection } from './stores/connection.js';
import { useFeed } from './stores/feed.js';
import { useOrders } from './stores/orders.js';
import { useServices } from './stores/services.js';
import { useLayout } from './stores/layout.js';
import { useSession } from './stores/session.js';

/**
 * Tick-to-chart figures (ms), newest last:
 * - applied: bar update frame received by the renderer -> applied to the chart series;
 * - painted: received -> the animation frame that drew it;
 * - ingestApplied / ingestPainted: the same, from datad writing the row (the frame's ingestedAt stamp):
 *   the end-to-end figure of DESIGN.md §7.
 */
export const latency: LatencyLogs = {
  applied: new LatencyLog(),
  painted: new LatencyLog(),
  ingestApplied: new LatencyLog(),
  ingestPainted: new LatencyLog(),
};
/** Live chart controllers: by layout chart id, then by role ('slow' = 1 m, 'fast' = 1 s). */
export const chartsById = new Map<string, Partial<Record<'slow' | 'fast', ChartController>>>();

/** A chart pane's controller, for the debug handle; returns its unregistration. */
export function registerChart(chartId: string, role: 'slow' | 'fast', c: ChartController): () => void {
  let roles = chartsById.get(chartId);
  if (!roles) chartsById.set(chartId, (roles = {}));
  roles[role] = c;
  return () => {
    const r = chartsById.get(chartId);
    if (r?.[role] !== c) return;
    delete r[role];
    if (!r.slow && !r.fast) chartsById.delete(chartId);
  };
}

/** The focused chart's controllers by role, as `charts.slow` / `charts.fast` (what tests and benchmarks drive). */
export const charts: Partial<Record<'slow' | 'fast', ChartController>> = Object.defineProperties(
  {},
  {
    slow: { enumerable: true, get: () => chartsById.get(useSession.getState().chartId)?.slow },
    fast: { enumerable: true, get: () => chartsById.get(useSession.getState().chartId)?.fast },
  },
);

/**
 * `window.__candlewick`, for e2e tests and benchmarks: read what the UI holds without scraping pixels.
 * Read-only by convention; `resetLatency` exists so a benchmark can measure one phase.
 */
export function installDebugHandle(): void {
  const handle = {
    /** received -> applied, one entry per bar update frame. */
    get latency() {
      return latency.applied.values;
    },
    get paintLatency() {
      return latency.painted.values;
    },
    get ingestLatency() {
      return latency.ingestApplied.values;
    },
    get ingestPaintLatency() {
      return latency.ingestPainted.values;
    },
    resetLatency() {
      for (const log of Object.values(latency)) log.clear();
    },
    latencySummary() {
      const sum = (v: readonly number[]) => ({ n: v.length, p50: percentile(v, 50), p99: percentile(v, 99) });
      return Object.fromEntries(Object.entries(latency).map(([k, log]) => [k, sum(log.values)]));
    },
    charts,
    /** Controllers of every chart in the window, by layout chart id and role. */
    chartsById,
    /** Indicator worker values, the bars behind them and range selections (features/indicators/debug.ts). */
    indicators: indicatorDebug,
    /** Per role of the focused chart (`slow`, `fast`), as before multi-chart; `byChart` for every chart by id. */
    stats() {
      const of = (roles: Partial<Record<string, ChartController>>) =>
        Object.fromEntries(Object.entries(roles).flatMap(([k, c]) => (c ? [[k, c.stats()]] : [])));
      return { ...of(charts), byChart: Object.fromEntries([...chartsById].map(([id, roles]) => [id, of(roles)])) };
    },
    store: {
      session: () => useSession.getState(),
      layout: () => {
        const { windowId, win, restored, dirty, saves, saveError } = useLayout.getState();
        return { windowId, win, restored, dirty, saves, saveError };
      },
      connection: () => {
        const { client: _client, ...rest } = useConnection.getState();
        return rest;
      },
      services: () => useServices.getState().services,
      feed: () => useFeed.getState(),
      orders: () => useOrders.getState(),
    },
  };
  Object.defineProperty(window, '__candlewick', { value: Object.freeze(handle), configurable: true });
}

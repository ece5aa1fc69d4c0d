import type { ChartController } from './features/chart/chart-controller.js';
import { LatencyLog, percentile } from './lib/latency-log.js';
import { useConnection } from './stores/connection.js';
import { useFeed } from './stores/feed.js';
import { useServices } from './stores/services.js';
import { useSession } from './stores/session.js';

/** Tick-to-chart: update frame received -> applied to the chart series (ms). */
export const latency = new LatencyLog();
/** Update frame received -> the animation frame that drew it (ms). */
export const paintLatency = new LatencyLog();
/** Live chart controllers by role ('slow' = 1 m, 'fast' = 1 s). */
export const charts: Record<string, ChartController> = {};

/**
 * `window.__candlewick`, for e2e tests and benchmarks: read what the UI holds without scraping pixels.
 * Read-only by convention; `resetLatency` exists so a benchmark can measure one phase.
 */
export function installDebugHandle(): void {
  const handle = {
    get latency() {
      return latency.values;
    },
    get paintLatency() {
      return paintLatency.values;
    },
    resetLatency() {
      latency.clear();
      paintLatency.clear();
    },
    latencySummary() {
      const v = latency.values;
      const p = paintLatency.values;
      return {
        n: v.length,
        p50: percentile(v, 50),
        p99: percentile(v, 99),
        paintP50: percentile(p, 50),
        paintP99: percentile(p, 99),
      };
    },
    charts,
    stats() {
      return Object.fromEntries(Object.entries(charts).map(([k, c]) => [k, c.stats()]));
    },
    store: {
      session: () => useSession.getState(),
      connection: () => {
        const { client: _client, ...rest } = useConnection.getState();
        return rest;
      },
      services: () => useServices.getState().services,
      feed: () => useFeed.getState(),
    },
  };
  Object.defineProperty(window, '__candlewick', { value: Object.freeze(handle), configurable: true });
}

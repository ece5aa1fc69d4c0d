/** A sample layout for tests (host store, API, renderer model): valid, with every optional field used once. */
import type { ChartSpec, Layout } from './layout.js';

export const sampleChart = (id: string, fqme: string, extra: Partial<ChartSpec> = {}): ChartSpec => ({ id, fqme, timeframes: [60, 1], overlays: [], indicators: [], ...extra });

/** Two windows: main with a split tab and a plain tab, and a second window with one chart. */
export function sampleLayout(): Layout {
  return {
    version: 1,
    windows: [
      {
        id: 'main',
        active: 't1',
        tabs: [
          {
            id: 't1',
            focus: 'c2',
            root: {
              kind: 'split',
              dir: 'row',
              sizes: [0.6, 0.4],
              children: [
                { kind: 'chart', chart: sampleChart('c1', 'xbtusd.spot.sim', { overlays: ['ethusd.spot.sim'] }) },
                { kind: 'chart', chart: sampleChart('c2', 'ethusd.spot.sim', { timeframes: [60], indicators: [{ id: 'i1', kind: 'sma', params: { length: 20, close: true } }] }) },
              ],
            },
          },
          { id: 't2', title: 'fx', focus: 'c3', root: { kind: 'chart', chart: sampleChart('c3', 'eurusd.fx.sim') } },
        ],
      },
      { id: 'w2', active: 't3', bounds: { x: 10, y: 20, width: 800, height: 600 }, tabs: [{ id: 't3', focus: 'c4', root: { kind: 'chart', chart: sampleChart('c4', 'solusd.spot.sim') } }] },
    ],
  };
}


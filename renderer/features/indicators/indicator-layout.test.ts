import { describe, expect, it } from 'vitest';
import { checkWindow, LAYOUT_LIMITS } from '../../../core/protocol/layout.js';
import { newWindow, type IdSource } from '../../lib/layout-model.js';
import { addIndicator, removeIndicator, setIndicatorParams } from './indicator-layout.js';

const counter = (): IdSource => {
  let n = 0;
  return (p) => `${p}${++n}`;
};

describe('indicator set in the layout', () => {
  const win = newWindow('main', 'xbtusd.spot.sim', counter());
  const chartId = (win.tabs[0]!.root as { chart: { id: string } }).chart.id;
  const chart = (w: typeof win) => (w.tabs[0]!.root as { chart: { indicators: unknown[] } }).chart;

  it('adds with normalized parameters, changes them, removes, and the host would accept every step', () => {
    let w = addIndicator(win, chartId, 'sma', { period: '50' }, 'i1');
    w = addIndicator(w, chartId, 'rsi', {}, 'i2');
    expect(chart(w).indicators).toEqual([
      { id: 'i1', kind: 'sma', params: { period: 50 } },
      { id: 'i2', kind: 'rsi', params: { period: 14 } },
    ]);
    expect(() => checkWindow(w)).not.toThrow();
    w = setIndicatorParams(w, chartId, 'i2', { period: 7 });
    expect(chart(w).indicators[1]).toEqual({ id: 'i2', kind: 'rsi', params: { period: 7 } });
    w = removeIndicator(w, chartId, 'i1');
    expect(chart(w).indicators).toEqual([{ id: 'i2', kind: 'rsi', params: { period: 7 } }]);
    expect(() => checkWindow(w)).not.toThrow();
  });

  it('leaves the window as it was when nothing changes', () => {
    const w = addIndicator(win, chartId, 'ema', { period: 9 }, 'i1');
    expect(setIndicatorParams(w, chartId, 'i1', { period: 9 })).toBe(w);
    expect(setIndicatorParams(w, chartId, 'nope', { period: 3 })).toBe(w);
    expect(removeIndicator(w, chartId, 'nope')).toBe(w);
    expect(addIndicator(w, 'no-chart', 'sma', {}, 'i9')).toBe(w);
  });

  it('stops at the layout limit', () => {
    let w = win;
    for (let k = 0; k < LAYOUT_LIMITS.indicators + 3; k++) w = addIndicator(w, chartId, 'volume', {}, `v${k}`);
    expect(chart(w).indicators).toHaveLength(LAYOUT_LIMITS.indicators);
  });
});

import { describe, expect, it } from 'vitest';
import { chartsOf, checkLayout, checkWindow, type PaneNode, type WindowLayout } from '../../core/protocol/layout.js';
import {
  activeTab,
  activateTab,
  addOverlay,
  addTab,
  closeChart,
  closeTab,
  detachChart,
  dragDivider,
  focusChart,
  focusedChart,
  newWindow,
  paneRects,
  randomIds,
  removeOverlay,
  resizeSplit,
  restoreWindow,
  savable,
  setIndicators,
  setSymbol,
  splitChart,
  symbolsOf,
  toggleTimeframe,
  type IdSource,
} from './layout-model.js';

function counter(): IdSource {
  let n = 0;
  return (p) => `${p}${++n}`;
}

/** The tab's tree as text: charts by symbol, splits as row(..)/column(..). */
function shape(node: PaneNode): string {
  return node.kind === 'chart' ? node.chart.fqme.split('.')[0]! : `${node.dir}(${node.children.map(shape).join(' ')})`;
}

function start(): { win: WindowLayout; ids: IdSource } {
  const ids = counter();
  return { win: newWindow('main', 'xbtusd.spot.sim', ids), ids };
}

describe('layout model', () => {
  it('starts with one tab holding one linked 1 m + 1 s chart, and it is valid', () => {
    const { win } = start();
    expect(win.tabs).toHaveLength(1);
    expect(focusedChart(win)).toEqual({ id: 'c1', fqme: 'xbtusd.spot.sim', timeframes: [60, 1], overlays: [], indicators: [] });
    expect(checkWindow(win)).toEqual(win);
  });

  it('adds, activates and closes tabs; the last tab stays', () => {
    const { win: w0, ids } = start();
    const w1 = addTab(w0, 'ethusd.spot.sim', ids);
    expect(w1.tabs).toHaveLength(2);
    expect(focusedChart(w1).fqme).toBe('ethusd.spot.sim');
    expect(w0.tabs).toHaveLength(1); // immutable
    const w2 = activateTab(w1, w0.tabs[0]!.id);
    expect(focusedChart(w2).fqme).toBe('xbtusd.spot.sim');
    const w3 = closeTab(w1, w1.active);
    expect(w3.tabs.map((t) => t.id)).toEqual([w0.tabs[0]!.id]);
    expect(w3.active).toBe(w0.tabs[0]!.id);
    expect(closeTab(w3, w3.active)).toBe(w3);
    expect(activateTab(w3, 'nope')).toBe(w3);
  });

  it('splits side by side and stacked, focusing the new chart, and flattens same-direction splits', () => {
    const { win: w0, ids } = start();
    const a = focusedChart(w0).id;
    const w1 = splitChart(w0, a, 'row', ids, 'ethusd.spot.sim');
    expect(shape(activeTab(w1).root)).toBe('row(xbtusd ethusd)');
    expect(focusedChart(w1).fqme).toBe('ethusd.spot.sim');
    const w2 = splitChart(w1, focusedChart(w1).id, 'row', ids);
    expect(shape(activeTab(w2).root)).toBe('row(xbtusd ethusd ethusd)');
    const w3 = splitChart(w2, a, 'column', ids, 'solusd.spot.sim');
    expect(shape(activeTab(w3).root)).toBe('row(column(xbtusd solusd) ethusd ethusd)');
    expect(checkWindow(w3)).toEqual(w3);
    // Same timeframes as the split chart.
    const oneTf = toggleTimeframe(w0, a, 1);
    expect(focusedChart(splitChart(oneTf, a, 'row', ids)).timeframes).toEqual([60]);
  });

  it('refuses a tenth chart in a tab and splits nested past the depth limit', () => {
    const { win: w0, ids } = start();
    let w = w0;
    for (let i = 0; i < 12; i++) w = splitChart(w, focusedChart(w).id, 'row', ids);
    expect(chartsOf(activeTab(w).root)).toHaveLength(9);
    let d = w0;
    for (let i = 0; i < 4; i++) d = splitChart(d, focusedChart(d).id, i % 2 ? 'row' : 'column', ids);
    // Four nested splits (five charts), then no deeper; a split the same way as its parent adds no depth.
    expect(splitChart(d, focusedChart(d).id, 'column', ids)).toBe(d);
    expect(chartsOf(activeTab(splitChart(d, focusedChart(d).id, 'row', ids)).root)).toHaveLength(6);
    expect(shape(activeTab(d).root)).toBe('column(xbtusd row(xbtusd column(xbtusd row(xbtusd xbtusd))))');
    expect(() => checkWindow(d)).not.toThrow();
  });

  it('closes charts: neighbours take the room, focus moves, single-child splits collapse', () => {
    const { win: w0, ids } = start();
    const a = focusedChart(w0).id;
    const w1 = splitChart(w0, a, 'row', ids, 'ethusd.spot.sim');
    const b = focusedChart(w1).id;
    const w2 = splitChart(w1, b, 'column', ids, 'solusd.spot.sim');
    const c = focusedChart(w2).id;
    expect(shape(activeTab(w2).root)).toBe('row(xbtusd column(ethusd solusd))');
    const w3 = closeChart(w2, c);
    expect(shape(activeTab(w3).root)).toBe('row(xbtusd ethusd)');
    expect(focusedChart(w3).id).toBe(b);
    const w4 = closeChart(w3, a);
    expect(shape(activeTab(w4).root)).toBe('ethusd');
    expect(closeChart(w4, b)).toBe(w4); // the window's last chart
    // The last chart of a tab closes the tab.
    const w5 = addTab(w4, 'eurusd.fx.sim', ids);
    expect(closeChart(w5, focusedChart(w5).id).tabs).toHaveLength(1);
  });

  it('a middle split collapsing into a same-direction parent merges into it, keeping the shares', () => {
    const { win: w0, ids } = start();
    const a = focusedChart(w0).id;
    let w = splitChart(w0, a, 'row', ids, 'ethusd.spot.sim');
    const b = focusedChart(w).id;
    w = splitChart(w, b, 'column', ids, 'solusd.spot.sim');
    const c = focusedChart(w).id;
    w = splitChart(w, c, 'row', ids, 'eurusd.fx.sim');
    expect(shape(activeTab(w).root)).toBe('row(xbtusd column(ethusd row(solusd eurusd)))');
    w = resizeSplit(w, activeTab(w).id, [], [0.5, 0.5]);
    w = closeChart(w, b);
    expect(shape(activeTab(w).root)).toBe('row(xbtusd solusd eurusd)');
    const root = activeTab(w).root as PaneNode & { kind: 'split' };
    expect(root.sizes).toEqual([0.5, 0.25, 0.25]);
    expect(checkWindow(w)).toEqual(w);
  });

  it('focuses a chart in another tab by activating that tab', () => {
    const { win: w0, ids } = start();
    const a = focusedChart(w0).id;
    const w1 = addTab(w0, 'ethusd.spot.sim', ids);
    const w2 = focusChart(w1, a);
    expect(w2.active).toBe(w0.active);
    expect(focusedChart(w2).id).toBe(a);
    expect(focusChart(w2, a)).toBe(w2);
  });

  it('resizes a split by path, refusing slivers', () => {
    const { win: w0, ids } = start();
    const w1 = splitChart(w0, focusedChart(w0).id, 'row', ids);
    const tab = activeTab(w1).id;
    const w2 = resizeSplit(w1, tab, [], [3, 1]);
    expect((activeTab(w2).root as { sizes?: number[] }).sizes).toEqual([0.75, 0.25]);
    expect(resizeSplit(w1, tab, [], [1, 0.01])).toBe(w1);
    expect(resizeSplit(w1, tab, [0], [0.5, 0.5])).toBe(w1);
  });

  it('sets symbols, timeframes and overlays of one chart', () => {
    const { win: w0 } = start();
    const a = focusedChart(w0).id;
    const w1 = addOverlay(w0, a, 'ethusd.spot.sim');
    expect(focusedChart(w1).overlays).toEqual(['ethusd.spot.sim']);
    expect(addOverlay(w1, a, 'ethusd.spot.sim')).toBe(w1);
    expect(addOverlay(w1, a, 'xbtusd.spot.sim')).toBe(w1); // its own symbol
    expect(symbolsOf(w1)).toEqual(['xbtusd.spot.sim', 'ethusd.spot.sim']);
    // Loading the overlaid symbol into the chart drops the overlay.
    expect(focusedChart(setSymbol(w1, a, 'ethusd.spot.sim')).overlays).toEqual([]);
    expect(focusedChart(removeOverlay(w1, a, 'ethusd.spot.sim')).overlays).toEqual([]);
    const w2 = toggleTimeframe(w0, a, 60);
    expect(focusedChart(w2).timeframes).toEqual([1]);
    expect(toggleTimeframe(w2, a, 1)).toBe(w2);
    expect(focusedChart(toggleTimeframe(w2, a, 60)).timeframes).toEqual([60, 1]);
  });

  it('keeps an indicator set per chart, saved with the layout', () => {
    const { win: w0 } = start();
    const a = focusedChart(w0).id;
    const w1 = setIndicators(w0, a, [{ id: 'i1', kind: 'ema', params: { length: 21 } }]);
    expect(focusedChart(w1).indicators).toEqual([{ id: 'i1', kind: 'ema', params: { length: 21 } }]);
    expect(checkWindow(w1)).toEqual(w1);
    const many = Array.from({ length: 17 }, (_, i) => ({ id: `i${i}`, kind: 'sma', params: {} }));
    expect(setIndicators(w1, a, many)).toBe(w1);
  });

  it('detaches a chart for a window of its own, never the only one', () => {
    const { win: w0, ids } = start();
    const a = focusedChart(w0).id;
    expect(detachChart(w0, a)).toBeNull();
    const w1 = splitChart(w0, a, 'row', ids, 'ethusd.spot.sim');
    const out = detachChart(w1, focusedChart(w1).id)!;
    expect(out.chart.fqme).toBe('ethusd.spot.sim');
    expect(shape(activeTab(out.rest).root)).toBe('xbtusd');
  });

  it('saves an unparseable symbol as the fallback, and restores with the URL symbol in the focused chart', () => {
    const { win: w0, ids } = start();
    const a = focusedChart(w0).id;
    const typo = setSymbol(w0, a, 'not a symbol!');
    expect(focusedChart(typo).fqme).toBe('not a symbol!');
    const saved = savable(typo, 'xbtusd.spot.sim')!;
    expect(focusedChart(saved).fqme).toBe('xbtusd.spot.sim');
    const w1 = splitChart(w0, a, 'row', ids, 'ethusd.spot.sim');
    const layout = checkLayout({ version: 1, windows: [savable(w1, 'xbtusd.spot.sim')] });
    expect(restoreWindow(layout.windows, 'main', 'xbtusd.spot.sim', null, ids)).toEqual(w1);
    const withUrl = restoreWindow(layout.windows, 'main', 'xbtusd.spot.sim', 'solusd.spot.sim', ids);
    expect(chartsOf(activeTab(withUrl).root).map((c) => c.fqme)).toEqual(['xbtusd.spot.sim', 'solusd.spot.sim']);
    const fresh = restoreWindow([], 'w7', 'xbtusd.spot.sim', 'eurusd.fx.sim', ids);
    expect(fresh.id).toBe('w7');
    expect(focusedChart(fresh).fqme).toBe('eurusd.fx.sim');
  });

  it('makes random ids the layout accepts', () => {
    const id = randomIds('c');
    expect(id).toMatch(/^c[0-9a-f]{12}$/);
    expect(randomIds('c')).not.toBe(id);
  });
});

describe('layout geometry', () => {
  it('lays a tab out flat: chart rectangles and the dividers between them', () => {
    const ids = counter();
    let w = newWindow('main', 'xbtusd.spot.sim', ids);
    const a = focusedChart(w).id;
    w = splitChart(w, a, 'row', ids, 'ethusd.spot.sim');
    w = splitChart(w, focusedChart(w).id, 'column', ids, 'solusd.spot.sim');
    const { charts, dividers } = paneRects(activeTab(w).root);
    expect(charts.map((c) => [c.chart.fqme.split('.')[0], c.rect])).toEqual([
      ['xbtusd', { x: 0, y: 0, w: 0.5, h: 1 }],
      ['ethusd', { x: 0.5, y: 0, w: 0.5, h: 0.5 }],
      ['solusd', { x: 0.5, y: 0.5, w: 0.5, h: 0.5 }],
    ]);
    expect(dividers.map((d) => [d.dir, d.path, d.index, d.at])).toEqual([
      ['row', [], 0, { x: 0.5, y: 0, w: 0, h: 1 }],
      ['column', [1], 0, { x: 0.5, y: 0.5, w: 0.5, h: 0 }],
    ]);
  });

  it('turns a divider drag into new shares, keeping slivers out', () => {
    const ids = counter();
    let w = newWindow('main', 'xbtusd.spot.sim', ids);
    w = splitChart(w, focusedChart(w).id, 'row', ids);
    w = splitChart(w, focusedChart(w).id, 'row', ids);
    const { dividers } = paneRects(activeTab(w).root);
    const second = dividers[1]!;
    const sizes = dragDivider(second, 0.9);
    expect(sizes.map((s) => Math.round(s * 1000) / 1000)).toEqual([0.333, 0.567, 0.1]);
    expect(dragDivider(second, 1.5).at(-1)).toBeCloseTo(0.05);
    const resized = resizeSplit(w, activeTab(w).id, second.path, sizes);
    expect(paneRects(activeTab(resized).root).charts[2]!.rect.x).toBeCloseTo(0.9);
  });
});

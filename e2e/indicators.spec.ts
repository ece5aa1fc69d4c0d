import { test, expect } from './fixtures.js';
import { smaAt, wilderRsi } from '../core/indicators/textbook.test-util.js';
import type { IndicatorBars } from './pages/terminal-page.js';

const XBT = 'xbtusd.spot.sim';

test.describe('indicators', () => {
  test('add SMA 20 and RSI 14, hold q for their values at a bar, remove SMA; shift-drag shows the range statistics', async ({ terminal, snap }) => {
    await terminal.open(XBT);
    await terminal.waitForCandles(XBT);
    const chartId = (await terminal.focusedView.getAttribute('data-chart-id'))!;

    const smaId = await terminal.addIndicator('sma', { period: 20 });
    const rsiId = await terminal.addIndicator('rsi', { period: 14 });

    // SMA over the candles, RSI in a pane of its own, on both timeframes of the chart; both with values.
    for (const tf of [60, 1] as const) {
      await expect(terminal.indicatorPanes(tf)).toHaveCount(1);
      await expect(terminal.indicatorPanes(tf).first()).toHaveAttribute('data-kind', 'rsi');
      for (const id of [smaId, rsiId]) {
        const label = terminal.indicatorLabel(tf, id);
        await expect(label).toBeVisible();
        await expect(label, `${tf} s chart: a value for ${id}`).not.toHaveAttribute('data-value', '', { timeout: 15_000 });
      }
    }
    const label = await terminal.indicatorLabels(60).evaluateAll((els) => els.map((e) => [e.getAttribute('data-kind'), Number(e.getAttribute('data-value'))]));
    const last = (await terminal.legendBar(60))!;
    const smaNow = label.find(([k]) => k === 'sma')![1] as number;
    expect(Math.abs(smaNow - last.close) / last.close, 'SMA 20 near the price').toBeLessThan(0.05);
    const rsiNow = label.find(([k]) => k === 'rsi')![1] as number;
    expect(rsiNow).toBeGreaterThanOrEqual(0);
    expect(rsiNow).toBeLessThanOrEqual(100);
    await snap('indicators-sma-rsi');

    // Hold q over an older (closed) bar of the 1 m chart: the box names that bar and every indicator's value there.
    const box = (await terminal.chart(60).boundingBox())!;
    const at = { x: box.x + box.width * 0.55, y: box.y + box.height * 0.3 };
    const q = await terminal.holdQ(60, at, () => snap('indicators-q-hold'));
    expect(Object.keys(q.values).sort()).toEqual([smaId, rsiId].sort());
    expect(q.values[smaId]!.kind).toBe('sma');
    // The legend shows the hovered bar: the one the box is about.
    const legendBar = (await terminal.legendBar(60))!;
    const bars: IndicatorBars = await terminal.indicatorBars(chartId, 60, q.index - 3000, q.index + 1);
    const close = bars.close;
    const end = q.index - bars.from;
    expect(bars.time[end]).toBe(q.time);
    expect(close[end]).toBeCloseTo(legendBar.close, 1);
    expect(end, 'enough bars before the hovered one').toBeGreaterThan(300);
    // Against textbook formulas (core/indicators/textbook.test-util.ts), not the page's own maths.
    expect(q.values[smaId]!.value!).toBeCloseTo(smaAt(close, end, 20), 6);
    // RSI seeded at least 300 bars before the hovered one: the seed weighs (13/14)^300 < 1e-9 there.
    expect(q.values[rsiId]!.value!).toBeCloseTo(wilderRsi(close.slice(0, end + 1), 14)[end]!, 6);

    // Remove the SMA: its label goes, the RSI pane stays; the saved layout has only the RSI.
    await terminal.removeIndicator(smaId);
    await expect(terminal.indicatorLabel(60, smaId)).toHaveCount(0);
    await expect(terminal.indicatorPanes(60)).toHaveCount(1);
    await terminal.waitForLayoutSaved();
    const saved = await terminal.api('layout.load');
    const chart = JSON.stringify(saved.result);
    expect(chart).toContain(rsiId);
    expect(chart).not.toContain(smaId);

    // Shift-drag across the 1 m chart: the bars between, with change %, range, count, max, min and sigma of closes.
    const s = await terminal.shiftDrag(60, 0.3, 0.7);
    await snap('indicators-shift-drag');
    expect(s.bars).toBe(s.last - s.first + 1);
    expect(s.bars).toBeGreaterThan(5);
    const sel = await terminal.indicatorBars(chartId, 60, s.first, s.last + 1);
    const c = sel.close;
    const mean = c.reduce((a, b) => a + b, 0) / c.length;
    expect(s.changePct).toBeCloseTo(((c.at(-1)! - c[0]!) / c[0]!) * 100, 6);
    expect(s.max).toBe(Math.max(...c));
    expect(s.min).toBe(Math.min(...c));
    expect(s.range).toBeCloseTo(Math.max(...sel.high) - Math.min(...sel.low), 6);
    expect(s.sigma).toBeCloseTo(Math.sqrt(c.reduce((a, v) => a + (v - mean) ** 2, 0) / c.length), 6);
    expect(s.text).toMatch(/change\s*[+-]\d+\.\d\d%/);

    // After a reload the chart comes back with its RSI.
    await terminal.page.reload();
    await terminal.waitForCandles(XBT);
    await expect(terminal.indicatorPanes(60)).toHaveCount(1);
    await expect(terminal.indicatorLabels(60)).toHaveCount(1);
    await expect(terminal.indicatorLabels(60).first()).toHaveAttribute('data-kind', 'rsi');
  });
});

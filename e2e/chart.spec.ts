import { test, expect } from './fixtures.js';
import { pixelStats } from './lib/png-stats.js';
import { parseLegend } from './pages/terminal-page.js';

test.describe('chart', () => {
  test('draws live candles: both charts, non-blank canvas, legend with the symbol and moving prices', async ({ terminal, snap }) => {
    await terminal.open('xbtusd.spot.sim');
    await terminal.waitForCandles('xbtusd.spot.sim');
    expect(await terminal.connectionState()).toBe('connected');
    await expect(terminal.page.getByTestId('feed-liveness')).toHaveAttribute('data-liveness', 'live', { timeout: 15_000 });

    // Two charts for the symbol: slow (1 m) on top, fast (1 s) below.
    expect(await terminal.chartFqmes()).toEqual(['xbtusd.spot.sim', 'xbtusd.spot.sim']);
    const slowBox = (await terminal.chart(60).boundingBox())!;
    const fastBox = (await terminal.chart(1).boundingBox())!;
    expect(slowBox.y).toBeLessThan(fastBox.y);
    for (const box of [slowBox, fastBox]) {
      expect(box.width).toBeGreaterThan(300);
      expect(box.height).toBeGreaterThan(100);
    }

    // Give the fast chart a few live seconds, then look at the pixels.
    await terminal.page.waitForTimeout(2_000);
    await snap('chart-xbtusd');
    for (const tf of [60, 1] as const) {
      const stats = pixelStats(await terminal.chart(tf).screenshot());
      testInfoNote(`chart ${tf}s pixels: ${JSON.stringify(stats)}`);
      const area = stats.width * stats.height;
      expect(stats.distinctColors, `distinct colors in the ${tf} s chart`).toBeGreaterThan(8);
      expect(stats.drawn, `drawn pixels in the ${tf} s chart`).toBeGreaterThan(area * 0.01);
      // Candles: a real amount of strongly colored pixels, both up (green) and down (red) ones.
      expect(stats.saturated, `candle-colored pixels in the ${tf} s chart`).toBeGreaterThan(area * 0.002);
      expect(stats.greenish, `up-candle pixels in the ${tf} s chart`).toBeGreaterThan(50);
      expect(stats.reddish, `down-candle pixels in the ${tf} s chart`).toBeGreaterThan(50);
    }

    // The legend names the symbol and shows prices on the ~50,000 scale of xbtusd, and they move.
    for (const tf of [60, 1] as const) {
      const text = await terminal.legendText(tf);
      expect(text).toContain('xbtusd.spot.sim');
      const bar = parseLegend(text)!;
      expect(bar.close).toBeGreaterThan(5_000);
      expect(bar.close).toBeLessThan(500_000);
      expect(bar.low).toBeLessThanOrEqual(Math.min(bar.open, bar.close));
      expect(bar.high).toBeGreaterThanOrEqual(Math.max(bar.open, bar.close));
    }
    const before = await terminal.legendText(1);
    const after = await terminal.waitForLegendChange(1, before);
    expect(after).toContain('xbtusd.spot.sim');
  });

  test('the legend shows the hovered bar, and the last bar again when the mouse leaves', async ({ terminal }) => {
    await terminal.open('dogeusd.spot.sim');
    await terminal.waitForCandles('dogeusd.spot.sim');
    // The slow (1 m) chart only scrolls when a new minute starts: stay clear of a minute boundary.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 50_000) await terminal.page.waitForTimeout(60_000 - intoMinute + 1_000);
    const box = (await terminal.chart(60).boundingBox())!;
    // An old bar, a third of the way in: its O H L C V no longer change.
    await terminal.page.mouse.move(box.x + box.width * 0.33, box.y + box.height * 0.5);
    await expect.poll(() => terminal.legendBar(60)).not.toBeNull();
    const hovered = await terminal.legendText(60);
    await terminal.page.waitForTimeout(2_500);
    expect(await terminal.legendText(60), 'legend frozen on the hovered (historical) bar').toBe(hovered);

    // Off the chart: the legend follows the live bar again.
    await terminal.page.mouse.move(box.x + box.width / 2, 5);
    const live = await terminal.waitForLegendChange(60, hovered);
    await terminal.waitForLegendChange(60, live);
  });

  test('different markets draw on their own price scales', async ({ terminal }) => {
    await terminal.open('pepeusd.spot.sim');
    await terminal.waitForCandles('pepeusd.spot.sim');
    const bar = (await terminal.legendBar(1))!;
    // pepe trades around 0.0001: the legend must show its digits, not 0.00.
    expect(bar.close).toBeGreaterThan(0);
    expect(bar.close).toBeLessThan(0.01);
    const stats = pixelStats(await terminal.chart(60).screenshot());
    expect(stats.saturated).toBeGreaterThan(stats.width * stats.height * 0.002);
  });
});

function testInfoNote(line: string): void {
  test.info().annotations.push({ type: 'pixels', description: line });
}

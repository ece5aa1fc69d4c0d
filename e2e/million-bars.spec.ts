import { test, expect } from './fixtures.js';
import type { TerminalPage } from './pages/terminal-page.js';

/**
 * A 1,000,000-bar 1 m history (the sim backfills 700 days): the chart pages it all in, Home pans to its first bar,
 * a wide zoom-out draws it in buckets (a bounded series, never a million candles), an indicator comes and goes, a
 * second chart opens beside it, and both come back after a host restart.
 */
const XBT = 'xbtusd.spot.sim';
const DAYS = 700;
const ROWS = DAYS * 1440;

const mtest = test.extend({ hostConfig: `[history]\ndays60 = ${DAYS}\nhours1 = 1\n` });

async function slowStats(terminal: TerminalPage, chartId: string) {
  return (await terminal.chartStats())[chartId]!.slow as Record<string, any>;
}

/** The pointer over the status bar: off both charts (a hover on the 1 s chart moves the 1 m chart's crosshair too). */
async function moveOff(terminal: TerminalPage): Promise<void> {
  const bar = (await terminal.statusBar.boundingBox())!;
  await terminal.page.mouse.move(bar.x + bar.width / 2, bar.y + bar.height / 2);
}

mtest.describe('a million 1 m bars', () => {
  mtest.setTimeout(90_000);

  mtest('pages in 1M bars, Home to the first, zoomed out in buckets, indicator, second chart, restart', async ({ terminal, serveHost, snap }) => {
    mtest.skip(serveHost === null, 'restarts the serve host (the Electron run keeps its host in the app)');
    await terminal.open(XBT, { bars: String(ROWS + 10_000) });
    await terminal.waitForCandles(XBT);
    const chartId = (await terminal.focusedView.getAttribute('data-chart-id'))!;

    // The whole history in the renderer's store: from the host's first row to its newest.
    await expect
      .poll(
        async () => {
          const s = await slowStats(terminal, chartId);
          return s.hostFirst === s.lo && !s.prefetching ? s.storeRows : 0;
        },
        { timeout: 30_000, message: '1 m history paged in to the host first row' },
      )
      .toBeGreaterThan(ROWS - 1440);
    const loaded = await slowStats(terminal, chartId);
    expect(loaded.storeRows).toBeLessThanOrEqual(ROWS + 1440);
    // The host's first row, as the renderer holds it (no constant: whatever the sim's listing date and days60 give).
    const firstTime = loaded.firstBar.time as number;
    expect(firstTime % 60).toBe(0);
    expect(loaded.lastBar.time - firstTime).toBeGreaterThan((DAYS - 2) * 86_400);
    await snap('million-bars-loaded');

    // Home on the focused chart: the first visible bar is the history's first; the legend shows the last bar again.
    const chart = terminal.chart(60);
    const box = (await chart.boundingBox())!;
    await terminal.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await moveOff(terminal);
    await terminal.page.keyboard.press('Home');
    await expect
      .poll(async () => {
        const s = await slowStats(terminal, chartId);
        return s.visible ? Math.ceil(s.visible.from) + 0 : null;
      }, { message: 'first visible row after Home' })
      .toBe(loaded.lo);
    const home = await slowStats(terminal, chartId);
    expect(home.window.from).toBe(home.hostFirst);
    expect(home.seriesRows).toBeLessThan(10_000);
    // Not hovering: the legend shows the newest bar, as before Home (polled: it may tick between the two reads).
    await expect
      .poll(async () => (await terminal.legendBar(60))!.close === (await slowStats(terminal, chartId)).lastBar.close, { message: 'legend shows the newest bar' })
      .toBe(true);
    await snap('million-bars-home');

    // Zoom out wide (the wheel over the chart): the series holds buckets, a bounded number of candles.
    await terminal.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    // One wheel notch zooms out by about a tenth: ~90 of them from ~130 bars to the whole million.
    for (let k = 0; k < 300; k++) {
      await terminal.page.mouse.wheel(0, 600);
      await terminal.page.waitForTimeout(15);
      const s = await slowStats(terminal, chartId);
      if (s.visible && s.visible.to - s.visible.from > loaded.storeRows * 0.8) break;
    }
    await expect
      .poll(async () => {
        const s = await slowStats(terminal, chartId);
        return s.visible ? s.visible.to - s.visible.from : 0;
      }, { message: 'rows in view after zooming out' })
      .toBeGreaterThan(loaded.storeRows * 0.5);
    const wide = await slowStats(terminal, chartId);
    expect(wide.stride, 'rows per candle at the wide zoom').toBeGreaterThan(64);
    expect(wide.seriesRows, 'candles in the series at the wide zoom').toBeLessThan(10_000);
    await moveOff(terminal);
    // The series was replaced under the pointer (buckets) and the pointer left: the legend is back on the newest bar.
    await expect
      .poll(async () => (await terminal.legendBar(60))!.close === (await slowStats(terminal, chartId)).lastBar.close, { message: 'legend shows the newest bar after the pointer left' })
      .toBe(true);
    await snap('million-bars-zoomed-out');

    // An indicator over the wide view, then removed.
    const sma = await terminal.addIndicator('sma', { period: 20 });
    await expect(terminal.indicatorLabel(60, sma)).not.toHaveAttribute('data-value', '', { timeout: 20_000 });
    await snap('million-bars-sma');
    await terminal.removeIndicator(sma);
    await expect(terminal.indicatorLabels(60)).toHaveCount(0);

    // End: back to the newest bar (and following it).
    await terminal.page.keyboard.press('End');
    await expect.poll(async () => {
      const s = await slowStats(terminal, chartId);
      return s.visible ? s.visible.to >= s.hi - 1 : false;
    }).toBe(true);

    // A second chart beside it, on the same symbol (the shared feed: no second million rows).
    await terminal.split('row');
    expect(await terminal.viewFqmes()).toEqual([XBT, XBT]);
    await terminal.waitForCandles(XBT, 20_000, terminal.views.nth(1));
    await snap('million-bars-split');

    // Restart the host and reload: both charts again.
    await terminal.waitForLayoutSaved();
    await serveHost!.restart();
    await terminal.page.reload();
    await expect(terminal.statusBar).toHaveAttribute('data-connection', 'connected', { timeout: 15_000 });
    await expect.poll(() => terminal.viewFqmes()).toEqual([XBT, XBT]);
    await terminal.waitForCandles(XBT, 20_000, terminal.views.nth(0));
    await terminal.waitForCandles(XBT, 20_000, terminal.views.nth(1));
    await snap('million-bars-restored');
  });
});

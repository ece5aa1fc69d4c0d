import { test, expect } from './fixtures.js';
import { TerminalPage } from './pages/terminal-page.js';

const XBT = 'xbtusd.spot.sim';
const ETH = 'ethusd.spot.sim';
const SOL = 'solusd.spot.sim';

test.describe('several charts: splits, tabs, overlays, and the layout across a restart', () => {
  test('a second chart beside the first, a tab, an overlay; after a host restart and a reload all of it is back', async ({ terminal, serveHost, snap }) => {
    test.skip(serveHost === null, 'restarts the serve host (the Electron run keeps its host in the app)');
    await terminal.open(XBT);
    await terminal.waitForCandles(XBT);

    // Split side by side: the new chart takes the focus, on the same symbol, sharing its feed.
    await terminal.split('row');
    expect(await terminal.viewFqmes()).toEqual([XBT, XBT]);
    await terminal.waitForCandles(XBT);
    await expect
      .poll(async () => Object.values(await terminal.chartStats()).map((roles) => roles.slow?.sharedBy), { message: 'one 1 m subscription for both charts' })
      .toEqual([2, 2]);

    // Search loads into the focused (new) chart only.
    await terminal.loadWithSearch(ETH);
    expect(await terminal.viewFqmes()).toEqual([XBT, ETH]);
    // Both draw: each legend shows a bar and keeps moving.
    const [left, right] = [terminal.views.nth(0), terminal.views.nth(1)];
    await terminal.waitForCandles(XBT, 20_000, left);
    const leftLegend = await terminal.legendText(1, left);
    await expect.poll(() => terminal.legendText(1, left), { timeout: 15_000, message: 'the left chart keeps drawing' }).not.toBe(leftLegend);
    expect(await terminal.legendText(60, right)).toContain(ETH);
    // The order pane and status bar follow the focus.
    await expect(terminal.statusBar.getByTestId('status-fqme')).toHaveText(ETH);
    await terminal.focusView(0);
    await expect(terminal.statusBar.getByTestId('status-fqme')).toHaveText(XBT);

    // Overlay eth on the xbt chart: a line on the log-returns scale, anchored at the first visible candle.
    await terminal.addOverlay(ETH);
    const leftId = (await left.getAttribute('data-chart-id'))!;
    await expect
      .poll(async () => (await terminal.chartStats())[leftId]?.slow?.overlays?.[0]?.rows ?? 0)
      .toBeGreaterThan(0);
    await expectLogReturns(terminal, leftId);
    await snap('split-xbt-overlay-eth-beside-eth');
    // Scrolled back, the scale re-anchors at the new first visible candle.
    const before = (await terminal.overlayScale(leftId))!.first;
    await terminal.page.evaluate((id) => (globalThis as any).__candlewick.chartsById.get(id).slow.chart.timeScale().scrollToPosition(-40, false), leftId);
    await expect.poll(async () => (await terminal.overlayScale(leftId))?.first).not.toBe(before);
    await expectLogReturns(terminal, leftId);
    await terminal.page.evaluate((id) => (globalThis as any).__candlewick.chartsById.get(id).slow.scrollToNewest(), leftId);

    // A second tab on sol; the first tab's charts are then hidden and paused.
    await terminal.newTab(SOL);
    await terminal.waitForCandles(SOL);
    await expect(terminal.tabs).toHaveCount(2);
    const paused = Object.values(await terminal.chartStats())
      .map((roles) => roles.slow)
      .filter((s) => s.fqme !== SOL);
    expect(paused.map((s) => s.active)).toEqual([false, false]);
    // Paused: no flush (nothing drawn) while the 1 s bars keep coming in.
    const flushes = (stats: Record<string, Record<string, any>>) =>
      Object.values(stats)
        .filter((roles) => roles.fast && roles.fast.fqme !== SOL)
        .map((roles) => [roles.fast.flushes, roles.fast.lastBar?.time]);
    const hiddenBefore = flushes(await terminal.chartStats());
    await terminal.page.waitForTimeout(2100);
    const hiddenAfter = flushes(await terminal.chartStats());
    expect(hiddenAfter.map(([f]) => f)).toEqual(hiddenBefore.map(([f]) => f));
    expect(hiddenAfter[0]![1]).toBeGreaterThan(hiddenBefore[0]![1]);
    await snap('second-tab-sol');
    // Back to the first tab: both charts catch up and draw again.
    await terminal.activateTab(0);
    expect(await terminal.viewFqmes()).toEqual([XBT, ETH]);
    const xbtBack = await terminal.legendText(1, terminal.views.nth(0));
    await expect.poll(() => terminal.legendText(1, terminal.views.nth(0)), { timeout: 15_000 }).not.toBe(xbtBack);

    // Restart the host (same data dir) and reload the page: the layout comes back from layout.json.
    await terminal.waitForLayoutSaved();
    await serveHost!.restart();
    await terminal.page.reload();
    await expect(terminal.statusBar).toHaveAttribute('data-connection', 'connected', { timeout: 15_000 });
    await expect(terminal.tabs).toHaveCount(2);
    await expect(terminal.activeTab).toHaveAttribute('data-tab-id', (await terminal.tabs.nth(0).getAttribute('data-tab-id'))!);
    await expect.poll(() => terminal.viewFqmes()).toEqual([XBT, ETH]);
    await terminal.waitForCandles(XBT, 20_000, terminal.views.nth(0));
    await terminal.waitForCandles(ETH, 20_000, terminal.views.nth(1));
    await expect(terminal.views.nth(0).locator(`[data-testid="overlay"][data-fqme="${ETH}"]`)).toBeVisible();
    await expect(terminal.focusedView).toHaveAttribute('data-fqme', XBT);
    await snap('restored-after-restart');
    await terminal.activateTab(1);
    await terminal.waitForCandles(SOL);
  });

  test('closing a split chart gives its room back; stacked splits and the 1 s chart can be toggled', async ({ terminal, snap }) => {
    await terminal.open(XBT);
    await terminal.waitForCandles(XBT);
    await terminal.split('column');
    await terminal.loadWithSearch(SOL);
    const [top, bottom] = [await terminal.views.nth(0).boundingBox(), await terminal.views.nth(1).boundingBox()];
    expect(bottom!.y).toBeGreaterThanOrEqual(top!.y + top!.height - 2);
    // Only the 1 m chart in the lower view.
    await terminal.focusedView.locator('[data-testid="tf-toggle"][data-timeframe="1"]').click();
    await expect(terminal.focusedView.getByTestId('chart')).toHaveCount(1);
    await snap('stacked-sol-1m-only');
    await terminal.focusedView.getByTestId('chart-close').click();
    await expect(terminal.views).toHaveCount(1);
    expect(await terminal.viewFqmes()).toEqual([XBT]);
    await expect(terminal.focusedView.getByTestId('chart-close')).toHaveCount(0);
  });

  test("order mode on either chart of a split trades that chart's own symbol, and the press focuses it", async ({ terminal, snap }) => {
    await terminal.open(XBT);
    await terminal.waitForCandles(XBT);
    await terminal.split('row');
    await terminal.loadWithSearch(ETH);
    // A point well below xbt's market on the left chart, then the focus back on eth.
    const left = await terminal.focusView(0);
    const at = await terminal.pointNearLast(60, 60);
    await terminal.focusView(1);
    await expect(terminal.statusBar.getByTestId('status-fqme')).toHaveText(ETH);
    // Hover the unfocused xbt chart, hold f, click: a dark buy on xbt at xbt's ticks.
    await terminal.stageAndClick(at, 'f');
    await expect(left).toHaveAttribute('data-focused', 'true');
    const oid = await terminal.waitForNewOrderLine(60, []);
    await expect(terminal.workingOrder(oid)).toHaveAttribute('title', new RegExp(`^${XBT.replace(/\./g, '\\.')} `));
    expect(await terminal.orderLine(oid, 60).getAttribute('data-price')).toMatch(/^\d+(\.5)?$/);
    const active = (await terminal.api('orders.active')).result as Array<{ oid: string; req: { fqme: string } }>;
    expect(active.find((st) => st.oid === oid)?.req.fqme).toBe(XBT);
    // The eth chart draws no xbt line.
    await expect(terminal.views.nth(1).locator(`[data-testid="order-line"][data-oid="${oid}"]`)).toHaveCount(0);
    await snap('split-order-on-unfocused-chart');
  });

  test('Electron: a chart moves to a window of its own, which draws it', async ({ terminal, serveHost, snap }) => {
    test.skip(serveHost !== null, 'Electron only: a browser page keeps to tabs and splits');
    await terminal.open(XBT);
    await terminal.waitForCandles(XBT);
    await terminal.split('row');
    await terminal.loadWithSearch(ETH);
    const [popup] = await Promise.all([terminal.page.context().waitForEvent('page'), terminal.focusedView.getByTestId('chart-popout').click()]);
    await expect(terminal.views).toHaveCount(1);
    expect(await terminal.viewFqmes()).toEqual([XBT]);
    const second = new TerminalPage(popup, terminal.entryUrl);
    await expect(second.statusBar).toHaveAttribute('data-connection', 'connected', { timeout: 15_000 });
    await second.waitForCandles(ETH);
    expect(new URL(popup.url()).searchParams.get('window')).toMatch(/^w/);
    await snap('popped-out-main-window');
  });
});

/**
 * The chart's first overlay is drawn on a log-returns scale: a logarithmic axis (mode 1) reading 0.00% at the first
 * visible candle and +1.00% one percent of log return above; the line is drawn through that candle's close, its
 * newest point where the candles' scale puts the overlay's own return since then, and the scale fits every point.
 */
async function expectLogReturns(terminal: TerminalPage, chartId: string): Promise<void> {
  await expect
    .poll(async () => {
      const s = await terminal.overlayScale(chartId);
      return (
        s && {
          mode: s.mode,
          axisAtRef: s.axisAtRef,
          axisOnePctUp: s.axisOnePctUp,
          meets: s.meetsPx < 0.5 && s.paintedAtRef,
          tracks: s.lastPx < 0.5 && s.paintedAtLast,
          inPane: s.inPane,
        }
      );
    }, { message: 'overlay on the log-returns scale' })
    .toEqual({ mode: 1, axisAtRef: '0.00%', axisOnePctUp: '+1.00%', meets: true, tracks: true, inPane: true });
}

import { test, expect } from './fixtures.js';

test.describe('connection to the host', () => {
  test('the status bar reports a lost host, and the terminal reconnects and resumes when it returns', async ({ terminal, serveHost, snap }) => {
    test.skip(serveHost === null, 'the host runs inside the Electron app here: it cannot be stopped apart from the window');
    await terminal.open('solusd.spot.sim');
    await terminal.waitForCandles('solusd.spot.sim');
    await expect(terminal.statusBar).toHaveAttribute('data-connection', 'connected');
    await expect(terminal.page.getByTestId('feed-liveness')).toHaveAttribute('data-liveness', 'live', { timeout: 15_000 });

    await serveHost!.kill();
    await expect(terminal.statusBar).not.toHaveAttribute('data-connection', 'connected', { timeout: 10_000 });
    await expect(terminal.statusBar).toContainText(/disconnected|connecting/);
    // What was drawn stays on screen while the host is away.
    await expect(terminal.chart(1)).toBeVisible();
    expect(await terminal.legendBar(1)).not.toBeNull();
    await snap('host-lost');

    await serveHost!.restart();
    await expect(terminal.statusBar).toHaveAttribute('data-connection', 'connected', { timeout: 20_000 });
    expect(await terminal.chartFqmes()).toEqual(['solusd.spot.sim', 'solusd.spot.sim']);
    const legend = await terminal.legendText(1);
    await terminal.waitForLegendChange(1, legend, 20_000);
    await expect(terminal.chartError).toHaveCount(0);
    await expect.poll(async () => (await terminal.serviceRow('datad.sim'))?.state, { timeout: 15_000 }).toBe('running');
  });
});

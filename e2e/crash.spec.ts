import { test, expect } from './fixtures.js';

test.describe('a crashed datad worker', () => {
  test('is restarted, reported in the services panel, and the chart resumes', async ({ terminal, hostUrl, snap }) => {
    await terminal.open('xbtusd.spot.sim');
    await terminal.waitForCandles('xbtusd.spot.sim');
    await expect.poll(async () => (await terminal.serviceRow('datad.sim'))?.state).toBe('running');
    expect((await terminal.serviceRow('datad.sim'))!.restarts).toBe(0);

    const crashed = await terminal.api('debug.crash', { service: 'datad.sim' });
    expect(crashed.error, JSON.stringify(crashed.error)).toBeUndefined();
    expect(crashed.result).toEqual({ ok: true });

    // Reported: the row counts the restart and keeps the reason; then the worker is back.
    await expect
      .poll(async () => (await terminal.serviceRow('datad.sim'))?.restarts ?? 0, { timeout: 15_000, message: 'datad.sim restart count' })
      .toBeGreaterThanOrEqual(1);
    await expect.poll(async () => (await terminal.serviceRow('datad.sim'))?.state, { timeout: 15_000 }).toBe('running');
    const row = (await terminal.serviceRow('datad.sim'))!;
    expect(row.lastError ?? '').toMatch(/crash/i);
    // One crash, one restart: the panel and the host agree on the count.
    expect(row.restarts).toBe(1);
    const listed = (await terminal.api('services.list')).result as Array<{ name: string; restarts: number }>;
    expect(listed.find((s) => s.name === 'datad.sim')?.restarts).toBe(1);
    await snap('services-after-crash');

    if (hostUrl !== null) {
      const services = (await (await fetch(new URL('/api/services', hostUrl))).json()) as Array<{ name: string; state: string; restarts: number }>;
      const datad = services.find((s) => s.name === 'datad.sim')!;
      expect(datad.state).toBe('running');
      expect(datad.restarts).toBe(1);
    }

    // The chart resumes: the fast chart's legend keeps moving after the restart, twice, on the same symbol.
    expect(await terminal.connectionState()).toBe('connected');
    const canvasBefore = await terminal.chart(1).screenshot();
    let legend = await terminal.legendText(1);
    for (let i = 0; i < 2; i++) legend = await terminal.waitForLegendChange(1, legend, 20_000);
    expect(legend).toContain('xbtusd.spot.sim');
    // ...and the canvas is redrawn with the new bars, not frozen on the pre-crash picture.
    await expect.poll(async () => (await terminal.chart(1).screenshot()).equals(canvasBefore), { timeout: 10_000 }).toBe(false);
    await expect(terminal.chartError).toHaveCount(0);
    await snap('chart-after-crash');
  });
});

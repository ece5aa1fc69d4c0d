import { test, expect } from './fixtures.js';
import type { ServiceRow } from './pages/terminal-page.js';

interface ApiService {
  name: string;
  kind: string;
  state: string;
  restarts: number;
}

test.describe('services panel', () => {
  test('a chart-only session runs datad.sim and samplerd and no brokerd; the host API agrees', async ({ terminal, hostUrl, snap }) => {
    await terminal.open('xbtusd.spot.sim');
    await terminal.waitForCandles('xbtusd.spot.sim');

    await expect
      .poll(async () => summary(await terminal.servicesRows()), { message: 'services panel rows' })
      .toEqual(expect.arrayContaining(['datad.sim:running', 'samplerd:running']));
    const rows = await terminal.servicesRows();
    expect(rows.filter((r) => r.name.startsWith('brokerd')), 'no brokerd in a chart-only session').toEqual([]);
    await snap('services-panel');

    // The same list from the host: GET /api/services under serve, services.list over the API on every target.
    const listed = await terminal.api('services.list');
    expect(listed.error).toBeUndefined();
    const fromApi = listed.result as ApiService[];
    expect(summary(fromApi)).toEqual(summary(rows));
    if (hostUrl !== null) {
      const res = await fetch(new URL('/api/services', hostUrl));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/json');
      const fromHttp = (await res.json()) as ApiService[];
      expect(summary(fromHttp)).toEqual(summary(rows));
      expect(fromHttp.find((s) => s.name === 'datad.sim')?.kind).toBe('datad');
      expect(fromHttp.some((s) => s.kind === 'brokerd' || s.name.startsWith('brokerd'))).toBe(false);
    }
  });
});

function summary(rows: Array<Pick<ServiceRow, 'name' | 'state'>>): string[] {
  return rows.map((r) => `${r.name}:${r.state}`).sort();
}

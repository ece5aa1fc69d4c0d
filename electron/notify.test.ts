import { describe, expect, it, vi } from 'vitest';
import * as fake from './testing/fake-electron.js';
import type { Host } from '../core/host/host.js';

vi.mock('electron', async () => (await import('./testing/fake-electron.js')).electron);

describe('desktop notifications', () => {
  it('shows a fired alert, and nothing for other events', async () => {
    const { notifyAlerts } = await import('./notify.js');
    let tap: ((event: string, data: unknown) => void) | null = null;
    const host = { api: { onBroadcast: (cb: typeof tap) => ((tap = cb), () => undefined) } } as unknown as Host;
    notifyAlerts(host, () => undefined);
    tap!('status', { oid: 'x' });
    tap!('alert', { oid: 'a1', fqme: 'xbtusd.spot.sim', price: '50000.5', time: 1 });
    expect(fake.notificationsShown).toEqual([{ title: 'Alert: xbtusd.spot.sim', body: 'xbtusd.spot.sim crossed 50000.5' }]);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from './harness.js';
import { ApiError } from '../../core/protocol/client.js';
import { sampleLayout } from '../../core/protocol/layout-fixture.js';

let t: TestHost;
beforeAll(async () => {
  t = await startTestHost();
});
afterAll(async () => {
  await t.stop();
});

async function refusal(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    return e as ApiError;
  }
  throw new Error('accepted');
}

describe('layout over the API', () => {
  it('saves a layout to the data directory and loads it back, also after a host restart', async () => {
    const c = await t.connect();
    expect(await c.call('layout.load', {})).toEqual({ version: 1, windows: [] });
    expect(await c.call('layout.save', { layout: sampleLayout() })).toEqual({ ok: true });
    expect(await c.call('layout.load', {})).toEqual(sampleLayout());
    // One window at a time, as each window's UI saves it: the others stay.
    const main = { ...sampleLayout().windows[0]!, active: 't2' };
    expect(await c.call('layout.saveWindow', { window: main })).toEqual({ ok: true });
    const path = join(t.dataDir, 'layout.json');
    const onDisk = JSON.parse(readFileSync(path, 'utf8'));
    expect(onDisk.windows.map((w: { id: string; active: string }) => [w.id, w.active])).toEqual([
      ['main', 't2'],
      ['w2', 't3'],
    ]);

    await t.stop();
    t = await startTestHost({ dataDir: t.dataDir });
    const again = await t.connect();
    expect(await again.call('layout.load', {})).toEqual(onDisk);
  });

  it('refuses garbage with a bad_params error, leaves the file alone and keeps serving', async () => {
    const c = await t.connect();
    const path = join(t.dataDir, 'layout.json');
    const before = readFileSync(path, 'utf8');
    const bad: unknown[] = [
      null,
      'layout',
      { version: 1, windows: 'all' },
      { version: 1, windows: [{ id: 'main', tabs: [], active: 'x' }] },
      { ...sampleLayout(), windows: [{ ...sampleLayout().windows[0], tabs: [{ id: 't1', focus: 'c1', root: { kind: 'chart', chart: { id: 'c1', fqme: 'rm -rf /', timeframes: [60], overlays: [], indicators: [] } } }], active: 't1' }] },
    ];
    for (const layout of bad) {
      const err = await refusal(c.call('layout.save', { layout: layout as never }));
      expect(err.code, JSON.stringify(layout)).toBe('bad_params');
      expect(err.message).toMatch(/layout/);
    }
    // A window whose tab id is used by another window would corrupt the whole: refused too.
    const clash = { id: 'w9', active: 't1', tabs: [{ id: 't1', focus: 'c9', root: { kind: 'chart' as const, chart: { id: 'c9', fqme: 'xbtusd.spot.sim', timeframes: [60 as const], overlays: [], indicators: [] } } }] };
    const err = await refusal(c.call('layout.saveWindow', { window: clash }));
    expect(err.code).toBe('bad_params');
    expect(err.message).toMatch(/duplicate id "t1"/);
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(await c.call('layout.load', {})).toEqual(JSON.parse(before));
    expect((await c.call('services.list', {})).length).toBeGreaterThan(0);
  });
});

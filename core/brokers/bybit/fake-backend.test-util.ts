import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeBybit, type FakeBybitOptions } from '../../../test/fakes/bybit-server.js';
import { BybitBackend, type BybitOptions } from './backend.js';

/** A BybitBackend against a fresh FakeBybit, with test-sized delays; `close()` ends both and removes the cache dir. */
export interface Rig {
  fake: FakeBybit;
  backend: BybitBackend;
  dir: string;
  logs: string[];
  /** Another backend on the same fake and cache dir (cache tests). */
  another(opts?: BybitOptions, config?: Record<string, string | number>): BybitBackend;
  close(): Promise<void>;
}

export async function rig(fakeOpts: FakeBybitOptions = {}, opts: BybitOptions = {}, staleMs = 400): Promise<Rig> {
  const fake = await FakeBybit.start({ historyMinutes: 3, ...fakeOpts });
  const dir = mkdtempSync(join(tmpdir(), 'bybit-test-'));
  const logs: string[] = [];
  const made: BybitBackend[] = [];
  const make = (o: BybitOptions = opts, config: Record<string, string | number> = {}) => {
    const b = new BybitBackend(
      {
        seed: 1,
        rate: 1,
        cacheDir: dir,
        config: { rest_url: fake.restUrl, ws_url: fake.wsUrl, stale_ms: staleMs, reconnect_min_ms: 20, reconnect_max_ms: 100, ...config },
        log: (l) => logs.push(l),
      },
      { restRetries: 3, restBackoff: { minMs: 5, maxMs: 20 }, searchWaitMs: 500, ...o },
    );
    made.push(b);
    return b;
  };
  return {
    fake,
    backend: make(),
    dir,
    logs,
    another: make,
    close: async () => {
      for (const b of made) b.close();
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function until(what: string, cond: () => boolean, ms = 4_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

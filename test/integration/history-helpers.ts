import { join } from 'node:path';
import { afterEach } from 'vitest';
import { HistoryStore } from '../../core/data/history/store.js';
import type { HttpRequest } from '../fakes/fake-venue.js';
import { startFakeVenues, type FakeVenues } from '../fakes/venues.js';
import { startTestHost, until, type TestHost } from './harness.js';

/** Fake venues (an hour of history each) and a host on them, both stopped after each test. */
export function venueRig() {
  const rig = {
    venues: null as FakeVenues | null,
    t: null as TestHost | null,
    async startVenues(): Promise<FakeVenues> {
      return (rig.venues = await startFakeVenues({ rate: 10, historyMinutes: 60 }));
    },
    async startHost(dataDir?: string): Promise<TestHost> {
      return (rig.t = await startTestHost({ config: rig.venues!.configToml(), ...(dataDir ? { dataDir } : {}) }));
    },
    /** Stops the host (its datad writes closed bars and closes the store); returns its data dir. */
    async stopHost(): Promise<string> {
      const dir = rig.t!.dataDir;
      await rig.t!.stop();
      rig.t = null;
      return dir;
    },
  };
  afterEach(async () => {
    await rig.t?.stop();
    await rig.venues?.close();
    rig.t = rig.venues = null;
  });
  return rig;
}

/** Waits until the venue has had no request for `quietMs` (the feed's history requests are done). */
export async function settled(log: HttpRequest[], quietMs = 600): Promise<void> {
  let n = -1;
  let since = Date.now();
  await until(() => {
    if (log.length !== n) {
      n = log.length;
      since = Date.now();
    }
    return Date.now() - since >= quietMs;
  }, 'the venue to go quiet');
}

export const klines = (log: HttpRequest[], from = 0) => log.slice(from).filter((r) => r.path === '/api/v3/klines');

/** What a data dir's binance history file holds, read after its host stopped. */
export async function storedSpans(dataDir: string, fqme: string) {
  const s = await HistoryStore.open(join(dataDir, 'history', 'binance.duckdb'), { readOnly: true });
  try {
    return { 60: [...s.spans(fqme, 60)], 1: [...s.spans(fqme, 1)], rows60: await s.readRange(fqme, 60, -Infinity, Infinity) };
  } finally {
    await s.close();
  }
}

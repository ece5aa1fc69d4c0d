import { afterEach, describe, expect, it } from 'vitest';
import { expectExactlyTape, listen, moreTrades, start, stopRun, until } from '../fakes/binance-stream-rig.js';

afterEach(stopRun);

describe('Binance backend: 24 h connection roll-over against the fake venue', () => {
  it('rolls over before the venue ends a connection, with no gap and the overlap deduplicated', async () => {
    const { fake, backend } = await start({ maxConnectionMs: 1_300 }, { stale_ms: 1_000 }, { rollOverMs: 500, rollOverOverlapMs: 150 });
    const s = listen(backend, 'btcusdt.spot.binance');
    await until(() => fake.spot.connections >= 3, 6_000, 'two roll-overs');
    await moreTrades(s, 5);
    expectExactlyTape(fake, 'spot', 'BTCUSDT', s.trades);
    expect(backend.stats().reconnects).toBe(0);
    expect(s.links.filter((e) => e.type === 'state').map((e) => (e as { state: string }).state)).toEqual(['live']);
  });

  it("rolls over on the venue's serverShutdown notice", async () => {
    const { fake, backend, logs } = await start({ maxConnectionMs: 900, shutdownNoticeMs: 500 }, { stale_ms: 1_000 });
    const s = listen(backend, 'ethusdt.spot.binance');
    await until(() => fake.spot.connections >= 2 && s.trades.length > 0, 4_000, 'a roll-over');
    await new Promise((r) => setTimeout(r, 700)); // past the first connection's end
    await moreTrades(s, 5);
    expect(logs.some((l) => /server shutdown; rolling over/.test(l))).toBe(true);
    expectExactlyTape(fake, 'spot', 'ETHUSDT', s.trades);
    expect(backend.stats().reconnects).toBe(0);
  });
});

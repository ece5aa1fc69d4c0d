import { afterEach, describe, expect, it } from 'vitest';
import type { FakeBinance } from '../fakes/binance-server.js';
import { expectExactlyTape, listen, moreTrades, start, stopRun, until } from '../fakes/binance-stream-rig.js';

afterEach(stopRun);

const BTC_STREAMS = ['btcusdt@bookTicker', 'btcusdt@trade'];
const ETH_STREAMS = ['ethusdt@bookTicker', 'ethusdt@trade'];
/** Past the connection's control-frame spacing (300 ms): a frame for a change made before would be out by now. */
const CONTROL_SPACING_MS = 400;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const spotClients = (fake: FakeBinance) => [...fake.clients].filter((c) => c.route === 'spot');
const streamsOf = (fake: FakeBinance) => spotClients(fake).map((c) => [...c.streams].sort());
/** SUBSCRIBE / UNSUBSCRIBE frames that named one of `streams`, on any connection. */
const controls = (fake: FakeBinance, method: string, streams: string[]) =>
  fake.controlLog.filter((c) => c.method === method && Array.isArray(c.params) && c.params.some((p) => streams.includes(String(p))));

/**
 * Subscription changes while a roll-over's replacement connection is not current yet: each must end up on the
 * connection that survives, once (the venue's serverShutdown notice starts the roll-over; the fake holds the
 * replacement at its handshake or keeps it silent once open, so the change lands inside the overlap).
 */
describe('Binance roll-over: subscriptions changed meanwhile', () => {
  it('a market subscribed while the replacement connects streams on it after the switch, subscribed once', async () => {
    const { fake, backend } = await start({}, { stale_ms: 5_000 }, { rollOverOverlapMs: 150 });
    const btc = listen(backend, 'btcusdt.spot.binance');
    await until(() => btc.trades.length > 0, 5_000, 'btc trades');
    const hold = fake.spot.holdConnections('handshake');
    fake.announceShutdown('spot');
    await until(() => hold.waiting() === 1, 3_000, 'the replacement to connect');
    const eth = listen(backend, 'ethusdt.spot.binance');
    await sleep(CONTROL_SPACING_MS);
    hold.release();
    await until(() => fake.spot.connections === 2 && spotClients(fake).length === 1, 3_000, 'the switch and the end of the overlap');
    expect(streamsOf(fake)).toEqual([[...BTC_STREAMS, ...ETH_STREAMS].sort()]);
    await moreTrades(eth, 5);
    await moreTrades(btc, 5);
    expectExactlyTape(fake, 'spot', 'ETHUSDT', eth.trades);
    expectExactlyTape(fake, 'spot', 'BTCUSDT', btc.trades);
    expect(controls(fake, 'SUBSCRIBE', ETH_STREAMS)).toHaveLength(1);
    expect(backend.stats()).toMatchObject({ reconnects: 0, rejected: 0 });
  });

  it('a market dropped while the replacement is open but silent is not on the connection that survives', async () => {
    const { fake, backend } = await start({}, { stale_ms: 5_000 }, { rollOverOverlapMs: 150 });
    const btc = listen(backend, 'btcusdt.spot.binance');
    const eth = listen(backend, 'ethusdt.spot.binance');
    await until(() => btc.trades.length > 0 && eth.trades.length > 0, 5_000, 'btc and eth trades');
    const hold = fake.spot.holdConnections('open');
    fake.announceShutdown('spot');
    await until(() => hold.waiting() === 1, 3_000, 'the replacement to open');
    eth.stop();
    await sleep(CONTROL_SPACING_MS);
    hold.release();
    await until(() => fake.spot.connections === 2 && spotClients(fake).length === 1, 3_000, 'the switch and the end of the overlap');
    expect(streamsOf(fake)).toEqual([BTC_STREAMS]);
    // Nothing for the dropped market arrives (it would be counted as a frame for a market not subscribed here).
    const rejected = backend.stats().rejected;
    await moreTrades(btc, 10);
    expect(backend.stats().rejected).toBe(rejected);
    expectExactlyTape(fake, 'spot', 'BTCUSDT', btc.trades);
    expect(backend.stats().reconnects).toBe(0);
  });

  it('a market subscribed during a roll-over whose replacement is refused streams on the connection that stays', async () => {
    const { fake, backend } = await start({}, { stale_ms: 5_000 }, { rollOverOverlapMs: 150 });
    const btc = listen(backend, 'btcusdt.spot.binance');
    await until(() => btc.trades.length > 0, 5_000, 'btc trades');
    const hold = fake.spot.holdConnections('handshake');
    fake.announceShutdown('spot');
    await until(() => hold.waiting() === 1, 3_000, 'the replacement to connect');
    const eth = listen(backend, 'ethusdt.spot.binance');
    await sleep(CONTROL_SPACING_MS);
    hold.refuse();
    await moreTrades(eth, 5);
    expect(fake.spot.connections).toBe(1);
    expect(streamsOf(fake)).toEqual([[...BTC_STREAMS, ...ETH_STREAMS].sort()]);
    expectExactlyTape(fake, 'spot', 'ETHUSDT', eth.trades);
    expect(controls(fake, 'SUBSCRIBE', ETH_STREAMS)).toHaveLength(1);
    expect(backend.stats().reconnects).toBe(0);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { expectExactlyTape, listen, moreTrades, runsInTape, start, stopRun, until } from '../fakes/binance-stream-rig.js';

afterEach(stopRun);

describe('Binance backend: live streams against the fake venue', () => {
  it('delivers the tape across a dropped connection, reports down/live and resumes from the last trade', async () => {
    // A reconnect delay of 150-400 ms: the venue prints trades meanwhile that no stream replays (the feed
    // refetches their bars from history after 'resumed').
    const { fake, backend } = await start({}, { reconnect_min_ms: 300, reconnect_max_ms: 400 });
    const s = listen(backend, 'btcusdt.spot.binance');
    await until(() => s.trades.length >= 10, 5_000, 'first trades');
    fake.spot.dropConnections();
    await until(() => s.links.some((e) => e.type === 'resumed'), 5_000, 'resumed');
    await moreTrades(s, 10);
    const { runs, unique } = runsInTape(fake, 'spot', 'BTCUSDT', s.trades);
    expect(unique).toBe(true);
    expect(runs.length).toBe(2);
    const resumed = s.links.find((e) => e.type === 'resumed') as { lastMs: number };
    // lastMs is the newest trade before the break: the end of the first run.
    expect(s.trades[runs[0]!.length - 1]!.time).toBe(resumed.lastMs);
    const states = s.links.filter((e) => e.type === 'state').map((e) => (e as { state: string }).state);
    expect(states).toEqual(['live', 'down', 'connecting', 'live']);
    // (A quote resent unchanged on the new connection is a duplicate book state; trades had none, as checked above.)
    expect(backend.stats()).toMatchObject({ reconnects: 1, rejected: 0 });
    expect(s.quotes.some((q) => q.type === 'bid' || q.type === 'bsize')).toBe(true);
    for (const q of s.quotes) expect(q.price).toBeGreaterThan(0);
  });

  it('flags a silent venue stale and recovers on the same connection without losing a trade', async () => {
    const { fake, backend } = await start({}, { stale_ms: 300 });
    const s = listen(backend, 'btcusdt.spot.binance');
    await until(() => s.trades.length >= 5);
    fake.spot.silence(450);
    await until(() => s.links.some((e) => e.type === 'state' && e.state === 'stale'), 3_000, 'stale');
    await until(() => s.links.filter((e) => e.type === 'state' && e.state === 'live').length >= 2, 3_000, 'live again');
    await moreTrades(s, 5);
    expectExactlyTape(fake, 'spot', 'BTCUSDT', s.trades);
    expect(backend.stats().reconnects).toBe(0);
    expect(s.links.some((e) => e.type === 'resumed')).toBe(false);
  });

  it('counts malformed, truncated, unknown and duplicate frames, logs venue errors, and keeps streaming', async () => {
    const { fake, backend, logs } = await start();
    const s = listen(backend, 'btcusdt.spot.binance');
    await until(() => s.trades.length >= 5);
    const tape = fake.tape('spot', 'BTCUSDT');
    const good = fake.tradeFrame('spot', 'BTCUSDT', tape.trades[tape.trades.length - 1]!);
    await until(() => tape.trades.length > 0 && s.trades.length > 0);
    fake.spot.broadcastRaw('this is not json');
    fake.spot.broadcastRaw(good.slice(0, good.length - 7));
    fake.spot.broadcastRaw('{"stream":"btcusdt@kline_1m","data":{"e":"kline","E":1,"s":"BTCUSDT","k":{}}}');
    fake.spot.broadcastRaw('{"code":2,"msg":"Invalid request: request ID must be an unsigned integer","id":77}');
    await moreTrades(s, 3);
    // Resends: the newest trade delivered again, and an older one out of order.
    fake.spot.broadcastRaw(fake.tradeFrame('spot', 'BTCUSDT', tape.trades[tape.trades.length - 1]!));
    fake.spot.broadcastRaw(fake.tradeFrame('spot', 'BTCUSDT', tape.trades[tape.trades.length - 4]!));
    await until(() => backend.stats().duplicates >= 2);
    await moreTrades(s, 5);
    expect(backend.stats()).toMatchObject({ rejected: 3, duplicates: 2, reconnects: 0 });
    expectExactlyTape(fake, 'spot', 'BTCUSDT', s.trades);
    expect(logs.filter((l) => /rejected frame/.test(l)).length).toBe(3);
    expect(logs.some((l) => /venue refused request 77: code 2 Invalid request/.test(l))).toBe(true);
  });

  it('streams USD-M aggTrades from /market and bookTicker from /public, subscribing and unsubscribing live', async () => {
    const { fake, backend } = await start();
    const btc = listen(backend, 'btcusdt.usdtm.perp.binance');
    await until(() => btc.trades.length >= 5 && btc.quotes.length >= 2);
    const routes = () => [...fake.clients].map((c) => `${c.route}:${[...c.streams].join(',')}`).sort();
    expect(routes()).toEqual(['market:btcusdt@aggTrade', 'public:btcusdt@bookTicker']);
    const eth = listen(backend, 'ethusdt.usdtm.perp.binance');
    await until(() => eth.trades.length >= 3 && eth.quotes.length >= 1);
    expect(routes()).toEqual(['market:btcusdt@aggTrade,ethusdt@aggTrade', 'public:btcusdt@bookTicker,ethusdt@bookTicker']);
    expect(fake.controlLog.filter((c) => c.method === 'SUBSCRIBE').map((c) => `${c.route}:${String(c.params)}`).sort()).toEqual(['market:ethusdt@aggTrade', 'public:ethusdt@bookTicker']);
    btc.stop();
    await until(() => routes().join() === 'market:ethusdt@aggTrade,public:ethusdt@bookTicker', 3_000, 'unsubscribed');
    eth.stop();
    await until(() => fake.clients.size === 0, 3_000, 'connections closed');
    expectExactlyTape(fake, 'usdtm', 'ETHUSDT', eth.trades);
    expect(backend.stats().received).toBeGreaterThan(10);
  });

  it('answers the venue pings with their payload and stays under the 5 messages/s control limit', async () => {
    const symbols = ['BTC', 'ETH', 'SOL', 'XRP', 'ADA', 'DOT', 'LTC', 'BNB'].map((b, i) => ({ symbol: `${b}USDT`, base: 10 + i, priceTick: '0.01', sizeTick: '0.01' }));
    const { fake, backend } = await start({ spot: symbols, pingMs: 100, pongTimeoutMs: 300, rate: 10 });
    const first = listen(backend, 'btcusdt.spot.binance');
    await until(() => first.trades.length > 0);
    const rest: ReturnType<typeof listen>[] = [];
    for (const s of symbols.slice(1)) {
      rest.push(listen(backend, `${s.symbol.toLowerCase()}.spot.binance`));
      await new Promise((r) => setTimeout(r, 30));
    }
    await until(() => rest.every((r) => r.trades.length > 0), 5_000, 'every symbol streaming');
    expect(fake.pongs.ok).toBeGreaterThanOrEqual(3);
    expect(fake.pongs.bad).toBe(0);
    expect(fake.spot.connections).toBe(1);
    expect(backend.stats().reconnects).toBe(0);
    expect(fake.controlLog.length).toBeLessThanOrEqual(4);
  });

  it("reports a stream the venue refuses as that market's down link, with the venue's reason", async () => {
    const { fake, backend } = await start({ refuseStreams: ['ethusdt@bookTicker'] });
    const btc = listen(backend, 'btcusdt.spot.binance');
    await until(() => btc.trades.length > 0);
    const eth = listen(backend, 'ethusdt.spot.binance');
    await until(() => eth.links.some((e) => e.type === 'state' && e.state === 'down'), 3_000, 'refusal');
    expect(eth.links.find((e) => e.type === 'state' && e.state === 'down')).toEqual({
      type: 'state',
      state: 'down',
      detail: 'Binance refused ethusdt@trade, ethusdt@bookTicker: code 2 Invalid request: invalid stream ethusdt@bookTicker',
    });
    expect(btc.links.filter((e) => e.type === 'state').map((e) => (e as { state: string }).state)).toEqual(['live']);
    expect(fake.controlLog.filter((c) => c.method === 'SUBSCRIBE')).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(eth.trades).toEqual([]);
  });
});

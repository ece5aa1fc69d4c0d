import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LinkEvent } from '../../core/brokers/backend.js';
import { BinanceBackend, type BinanceBackendOptions } from '../../core/brokers/binance/backend.js';
import type { Tick } from '../../core/protocol/types.js';
import { FakeBinance, fmtSize, type FakeBinanceOptions, type FakeKind } from '../fakes/binance-server.js';

const until = async (cond: () => boolean, ms = 5_000, what = 'condition') => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`${what} not met in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

interface Run {
  fake: FakeBinance;
  backend: BinanceBackend;
  logs: string[];
}

let run: Run | null = null;
afterEach(async () => {
  run?.backend.close();
  await run?.fake.close();
  run = null;
});

async function start(fo: FakeBinanceOptions = {}, config: Record<string, number> = {}, bo: BinanceBackendOptions = {}): Promise<Run> {
  const fake = await FakeBinance.start({ rate: 25, historyMs: 60_000, ...fo });
  const logs: string[] = [];
  const backend = new BinanceBackend({ seed: 1, rate: 1, cacheDir: mkdtempSync(join(tmpdir(), 'cw-bns-')), config: fake.config(config), log: (l) => logs.push(l) }, bo);
  run = { fake, backend, logs };
  return run;
}

/** Ticks and link events of one streamQuotes subscription. */
function listen(backend: BinanceBackend, fqme: string) {
  const trades: Tick[] = [];
  const quotes: Tick[] = [];
  const links: LinkEvent[] = [];
  const stop = backend.streamQuotes(
    fqme,
    Date.now(),
    (_f, ticks) => {
      for (const t of ticks) (t.type === 'trade' ? trades : quotes).push(t);
    },
    (e) => links.push(e),
  );
  return { trades, quotes, links, stop };
}

/**
 * Where the delivered trades sit in the venue's tape: runs of consecutive tape trades. One run = exactly the
 * tape's trades from the first delivered on; a run boundary = trades the venue printed while we were away.
 */
function runsInTape(fake: FakeBinance, kind: FakeKind, symbol: string, got: Tick[]): { runs: number[][]; unique: boolean } {
  const tape = fake.tape(kind, symbol);
  const key = (time: number, price: number, size: number) => `${time}|${tape.fmt(price)}|${fmtSize(tape, size)}`;
  const at = new Map(tape.trades.map((t, i) => [key(t.time, t.price, t.size), i]));
  const idx = got.map((t) => at.get(key(t.time, t.price, t.size)) ?? -1);
  expect(idx.includes(-1), 'every delivered trade is a tape trade').toBe(false);
  const runs: number[][] = [];
  for (const i of idx) {
    const last = runs[runs.length - 1];
    if (last && i === last[last.length - 1]! + 1) last.push(i);
    else runs.push([i]);
  }
  return { runs, unique: new Set(idx).size === idx.length };
}

/** Every delivered trade is the next tape trade: no gap, no duplicate. */
function expectExactlyTape(fake: FakeBinance, kind: FakeKind, symbol: string, got: Tick[]): void {
  const { runs, unique } = runsInTape(fake, kind, symbol, got);
  expect(unique).toBe(true);
  expect(runs.length).toBe(1);
}

/** Waits for `k` more trades than there are now. */
async function moreTrades(s: { trades: Tick[] }, k: number): Promise<void> {
  const n = s.trades.length;
  await until(() => s.trades.length >= n + k, 5_000, `${k} more trades`);
}

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
    const rest = [];
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
});

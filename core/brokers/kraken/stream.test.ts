import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LinkEvent } from '../backend.js';
import type { Tick } from '../../protocol/types.js';
import { FakeKraken } from '../../../test/fakes/kraken-server.js';
import { tradeFrame } from '../../../test/fakes/kraken-frames.js';
import { KrakenBackend } from './backend.js';
import { KrakenStream } from './stream.js';

let fake: FakeKraken;
let dir: string;
let b: KrakenBackend;
const logs: string[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, cond: () => boolean, ms = 4_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

beforeEach(async () => {
  fake = await FakeKraken.start({ historyMinutes: 1, rate: 20 });
  dir = mkdtempSync(join(tmpdir(), 'kraken-'));
  logs.length = 0;
  b = new KrakenBackend(
    {
      seed: 1,
      rate: 1,
      cacheDir: dir,
      config: { rest_url: fake.restUrl, ws_url: fake.wsUrl, stale_ms: 400, reconnect_min_ms: 50, reconnect_max_ms: 100 },
      log: (l) => logs.push(l),
    },
    { pingMs: 100 },
  );
});

afterEach(async () => {
  b.close();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  trades: Tick[];
  quotes: Tick[];
  links: LinkEvent[];
  fromMs: number;
  stop: () => void;
}

function stream(fqme = 'xbtusd.spot.kraken'): Run {
  const run: Run = { trades: [], quotes: [], links: [], fromMs: Date.now(), stop: () => {} };
  run.stop = b.streamQuotes(
    fqme,
    run.fromMs,
    (f, ticks) => {
      expect(f).toBe(fqme);
      for (const t of ticks) (t.type === 'trade' ? run.trades : run.quotes).push(t);
    },
    (e) => run.links.push(e),
  );
  return run;
}

/** Pauses the tape, lets everything published arrive, and compares with the tape from the stream's start. */
async function expectExactlyTheTape(run: Run, symbol = 'BTC/USD'): Promise<void> {
  fake.pause();
  const tape = fake.tape(symbol);
  const want = tape.trades.filter((t) => t.time >= run.fromMs).map((t) => ({ type: 'trade', price: Number(tape.fmt(t.price)), size: Number(t.size.toFixed(8)), time: t.time }));
  await until('every published trade', () => run.trades.length >= want.length);
  await sleep(50);
  expect(run.trades).toEqual(want);
}

describe('kraken datad: stream', () => {
  it('delivers exactly the tape trades and L1 quotes, pings, and unsubscribes when the last listener goes', async () => {
    const run = stream();
    await until('trades', () => run.trades.length >= 5);
    expect(run.links[0]).toMatchObject({ type: 'state' });
    expect(run.links.some((e) => e.type === 'state' && e.state === 'live')).toBe(true);
    expect(run.quotes.some((q) => q.type === 'bid') && run.quotes.some((q) => q.type === 'ask')).toBe(true);
    const q = fake.tape().quote!;
    await expectExactlyTheTape(run);
    const lastBid = run.quotes.filter((t) => t.type === 'bid' || t.type === 'bsize').at(-1)!;
    expect(lastBid.price).toBe(Number(fake.tape().fmt(q.bid)));
    expect(fake.pings).toBeGreaterThan(0);
    const subs = fake.received.filter((m) => (m as { method: string }).method === 'subscribe') as { params: Record<string, unknown> }[];
    expect(subs.map((s) => s.params)).toEqual([
      { channel: 'trade', symbol: ['BTC/USD'], snapshot: true },
      { channel: 'ticker', symbol: ['BTC/USD'], event_trigger: 'bbo', snapshot: true },
    ]);
    // A second market multiplexes on the same connection; dropping the first unsubscribes it there.
    fake.pause(false);
    const eth = stream('ethusd.spot.kraken');
    await until('eth trades', () => eth.trades.length > 3);
    run.stop();
    await until('unsubscribe', () => fake.received.some((m) => (m as { method: string }).method === 'unsubscribe'));
    expect(fake.venue.connections).toBe(1);
    expect(b.stats()).toMatchObject({ rejected: 0, duplicates: 0, reconnects: 0 });
    eth.stop();
  });

  it('recovers a dropped connection: resumed, snapshot trades counted as duplicates, no trade lost or doubled', async () => {
    const run = stream();
    await until('trades', () => run.trades.length >= 4);
    const lastBefore = run.trades.at(-1)!.time;
    fake.venue.dropConnections();
    await until('resumed', () => run.links.some((e) => e.type === 'resumed'));
    const resumed = run.links.find((e) => e.type === 'resumed') as { lastMs: number };
    expect(resumed.lastMs).toBeGreaterThanOrEqual(lastBefore);
    const n = run.trades.length;
    await until('more trades', () => run.trades.length > n + 4);
    await expectExactlyTheTape(run);
    const s = b.stats();
    expect(s.reconnects).toBe(1);
    // The resubscribe's snapshot re-sent 50 trades, most of them already delivered.
    expect(s.duplicates).toBeGreaterThan(20);
    expect(run.links.filter((e) => e.type === 'state').map((e) => (e as { state: string }).state)).toEqual(expect.arrayContaining(['down', 'connecting', 'live']));
    run.stop();
  });

  it('goes stale on a silence, reconnects after twice the window and still delivers exactly the tape', async () => {
    const run = stream();
    await until('trades', () => run.trades.length >= 5);
    fake.venue.silence(1_200);
    await until('stale', () => run.links.some((e) => e.type === 'state' && e.state === 'stale'));
    await until('resumed', () => run.links.some((e) => e.type === 'resumed'), 5_000);
    const n = run.trades.length;
    await until('more trades', () => run.trades.length > n + 5);
    await expectExactlyTheTape(run);
    expect(b.stats().reconnects).toBeGreaterThanOrEqual(1);
    run.stop();
  });

  it('counts malformed, truncated and duplicate frames and keeps streaming', async () => {
    const run = stream();
    await until('trades', () => run.trades.length >= 5);
    const tape = fake.tape();
    const old = tape.trades.slice(-3).map((t) => fake.frameTrade('BTC/USD', t));
    fake.venue.broadcastRaw('{"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","price":5');
    fake.venue.broadcastRaw('garbage');
    fake.venue.broadcastRaw('{"channel":"mystery","type":"update","data":[]}');
    fake.venue.broadcastRaw(tradeFrame('update', 'BTC/USD', old));
    const n = run.trades.length;
    await until('more trades', () => run.trades.length > n + 5);
    await expectExactlyTheTape(run);
    expect(b.stats()).toMatchObject({ rejected: 3, duplicates: 3 });
    expect(logs.some((l) => l.includes('rejected frame'))).toBe(true);
    run.stop();
  });

  it('reports a refused subscription to that market only', async () => {
    const s = new KrakenStream({ url: fake.wsUrl, staleMs: 1_000, backoff: { minMs: 50, maxMs: 100 }, log: (l) => logs.push(l) });
    const links: LinkEvent[] = [];
    const mkt = (await b.getMktInfo('xbtusd.spot.kraken'));
    s.add({ key: 'XDGUSD', altname: 'XDGUSD', wsname: 'XDG/USD', symbol: 'DOGE/USD', fqme: 'xdgusd.spot.kraken', status: 'online', pricePrecision: 7, qtyPrecision: 8, mkt: { ...mkt, fqme: 'xdgusd.spot.kraken' } }, Date.now(), () => {}, (e) => links.push(e));
    await until('refusal', () => links.some((e) => e.type === 'state' && e.state === 'down'));
    expect(links.find((e) => e.type === 'state' && e.state === 'down')).toMatchObject({ detail: 'subscribe refused: Currency pair not supported DOGE/USD' });
    s.close();
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { LinkEvent } from '../backend.js';
import type { Tick } from '../../protocol/types.js';
import { FAKE_BYBIT_SYMBOLS } from '../../../test/fakes/bybit-server.js';
import { tradeFrame } from '../../../test/fakes/bybit-frames.js';
import { rig, until, type Rig } from './fake-backend.test-util.js';

let r: Rig;
afterEach(async () => r?.close());

/** What one streamQuotes call heard. */
function listen(fqme: string) {
  const seen = { trades: [] as Tick[], quotes: [] as Tick[], links: [] as LinkEvent[], stop: () => {} };
  seen.stop = r.backend.streamQuotes(
    fqme,
    Date.now(),
    (_f, ticks) => {
      for (const t of ticks) (t.type === 'trade' ? seen.trades : seen.quotes).push(t);
    },
    (e) => seen.links.push(e),
  );
  return seen;
}

const shape = (ts: readonly { price: number; size: number; time: number }[]) => ts.map((t) => `${t.price}x${t.size}@${t.time}`);
const states = (links: LinkEvent[]) => links.map((l) => (l.type === 'state' ? l.state : `resumed`));

/** Stops the venue, waits for the last frames in flight, then checks: delivered = what the venue sent, in order. */
async function expectExactlyPublished(key: string, seen: { trades: Tick[] }) {
  r.fake.pause();
  const published = r.fake.published.get(key)!;
  await until(`${key}: ${published.length} trades`, () => seen.trades.length >= published.length);
  await new Promise((res) => setTimeout(res, 50));
  expect(shape(seen.trades)).toEqual(shape(published));
  expect(new Set(shape(seen.trades)).size).toBe(seen.trades.length);
}

describe('bybit stream against the fake venue', () => {
  it('delivers exactly the tape trades of spot and linear BTCUSDT, with complete L1 quotes', async () => {
    r = await rig({ rate: 40 });
    const spot = listen('btcusdt.spot.bybit');
    const perp = listen('btcusdt.linear.perp.bybit');
    await until('trades on both', () => spot.trades.length > 20 && perp.trades.length > 20);
    await expectExactlyPublished('spot:BTCUSDT', spot);
    await expectExactlyPublished('linear:BTCUSDT', perp);
    // Linear quotes are merged deltas: each frame gives a whole quote, bid below ask.
    for (const seen of [spot, perp]) {
      expect(seen.quotes.length).toBeGreaterThan(4);
      for (let i = 0; i + 1 < seen.quotes.length; i += 2) {
        expect([seen.quotes[i]!.type, seen.quotes[i + 1]!.type]).toEqual(['bid', 'ask']);
        expect(seen.quotes[i]!.price).toBeLessThan(seen.quotes[i + 1]!.price);
      }
    }
    const q = r.fake.tape('linear', 'BTCUSDT').quote!;
    expect(perp.quotes.slice(-2).map((t) => [t.price, t.size])).toEqual([
      [Number(q.bid.toFixed(2)), Number(q.bidSize.toFixed(3))],
      [Number(q.ask.toFixed(2)), Number(q.askSize.toFixed(3))],
    ]);
    expect(states(spot.links)).toContain('live');
    expect(r.backend.stats()).toMatchObject({ rejected: 0, duplicates: 0, dropped: 0 });
    // The client's subscribe requests: one per market, per category connection.
    const subs = r.fake.received.filter((m) => m.msg.op === 'subscribe').map((m) => [m.category, m.msg.args]);
    expect(subs).toEqual([
      ['spot', ['publicTrade.BTCUSDT', 'orderbook.1.BTCUSDT']],
      ['linear', ['publicTrade.BTCUSDT', 'tickers.BTCUSDT']],
    ]);
  });

  it('across a dropped connection: down, reconnect, resumed from the last trade, then exactly the tape again', async () => {
    r = await rig({ rate: 40 });
    const perp = listen('btcusdt.linear.perp.bybit');
    await until('trades', () => perp.trades.length > 10);
    const published = r.fake.published.get('linear:BTCUSDT')!;
    await until('nothing in flight', () => perp.trades.length === published.length);
    const lastBefore = perp.trades[perp.trades.length - 1]!.time;
    r.fake.venue.dropConnections();
    await until('resumed', () => perp.links.some((l) => l.type === 'resumed'));
    expect(perp.links.find((l) => l.type === 'resumed')).toEqual({ type: 'resumed', lastMs: lastBefore });
    const after = perp.trades.length;
    await until('trades after the reconnect', () => perp.trades.length > after + 10);
    await expectExactlyPublished('linear:BTCUSDT', perp);
    expect(states(perp.links)).toEqual(expect.arrayContaining(['live', 'down', 'connecting', 'resumed']));
    expect(r.backend.stats()).toMatchObject({ reconnects: 1, duplicates: 0, rejected: 0 });
  });

  it('across a silence: stale, dropped after twice the window, back live with a resume, nothing duplicated', async () => {
    r = await rig({ rate: 40 }, { pingMs: 100 });
    const spot = listen('btcusdt.spot.bybit');
    await until('trades', () => spot.trades.length > 10);
    r.fake.venue.silence(1_000);
    await until('stale', () => states(spot.links).includes('stale'));
    await until('resumed', () => spot.links.some((l) => l.type === 'resumed'));
    const seq = states(spot.links);
    expect(seq.indexOf('stale')).toBeLessThan(seq.lastIndexOf('down'));
    expect(seq.lastIndexOf('down')).toBeLessThan(seq.lastIndexOf('resumed'));
    const after = spot.trades.length;
    await until('trades after the silence', () => spot.trades.length > after + 10);
    await expectExactlyPublished('spot:BTCUSDT', spot);
    expect(r.backend.stats().reconnects).toBeGreaterThanOrEqual(1);
  });

  it('malformed, truncated, unknown and duplicate frames are counted and the stream goes on', async () => {
    r = await rig({ rate: 40 });
    const perp = listen('btcusdt.linear.perp.bybit');
    await until('trades', () => perp.trades.length > 5);
    const old = r.fake.published.get('linear:BTCUSDT')!.slice(0, 3);
    const fmt = (t: (typeof old)[number]) => ({ id: t.id, price: t.price.toFixed(2), size: t.size.toFixed(3), time: t.time, buy: t.buy });
    const resend = tradeFrame('linear', 'BTCUSDT', old.map(fmt), Date.now(), 1);
    r.fake.sendRaw('linear', '{"topic":"publicTrade.BTCUSDT","type":"snap');
    r.fake.sendRaw('linear', 'garbage');
    r.fake.sendRaw('linear', '{"topic":"kline.1.BTCUSDT","type":"snapshot","ts":1,"data":[]}');
    r.fake.sendRaw('linear', resend);
    await until('counted', () => r.backend.stats().rejected === 3 && r.backend.stats().duplicates === 3);
    const before = perp.trades.length;
    await until('more trades', () => perp.trades.length > before + 10);
    await expectExactlyPublished('linear:BTCUSDT', perp);
    expect(r.logs.filter((l) => l.includes('rejected frame'))).toHaveLength(3);
  });

  it('the frames of one queue drain reach the listener as one batch', async () => {
    r = await rig({ rate: 1 });
    const batches: number[] = [];
    const stop = r.backend.streamQuotes('btcusdt.linear.perp.bybit', Date.now(), (_f, ticks) => batches.push(ticks.length));
    await until('subscribed', () => r.fake.clients.size === 1 && [...r.fake.clients][0]!.topics.size === 2);
    r.fake.pause();
    await new Promise((res) => setTimeout(res, 50));
    batches.length = 0;
    const t0 = Date.now();
    for (let i = 0; i < 40; i++) r.fake.sendRaw('linear', tradeFrame('linear', 'BTCUSDT', [{ id: 9_000_000 + i, price: '30000.10', size: '0.001', time: t0 + i, buy: true }], t0 + i, i));
    await until('40 trades', () => batches.reduce((a, b) => a + b, 0) === 40);
    expect(batches.length).toBeLessThan(10);
    stop();
  });

  it('unsubscribes when the last listener goes, and closes a connection left without topics', async () => {
    r = await rig();
    const a = listen('btcusdt.spot.bybit');
    const b = listen('btcusdt.spot.bybit');
    await until('trades', () => a.trades.length > 2 && b.trades.length > 2);
    a.stop();
    await new Promise((res) => setTimeout(res, 50));
    expect(r.fake.received.some((m) => m.msg.op === 'unsubscribe')).toBe(false);
    b.stop();
    await until('unsubscribed', () => r.fake.received.some((m) => m.msg.op === 'unsubscribe'));
    expect(r.fake.received.find((m) => m.msg.op === 'unsubscribe')!.msg.args).toEqual(['publicTrade.BTCUSDT', 'orderbook.1.BTCUSDT']);
    expect(r.backend.streams.connections('spot')).toHaveLength(0);
    await until('closed at the venue', () => r.fake.clients.size === 0);
    expect(r.backend.stats().received).toBeGreaterThan(0);
  });

  it('a refused subscription reaches its market as a down link with the reason; others on the connection stream on', async () => {
    r = await rig({ refused: ['NOPEUSDT'] });
    const good = listen('btcusdt.spot.bybit');
    const nope = listen('nopeusdt.spot.bybit');
    await until('refusal', () => nope.links.some((l) => l.type === 'state' && l.state === 'down'));
    expect(nope.links.find((l) => l.type === 'state' && l.state === 'down')).toEqual({
      type: 'state',
      state: 'down',
      detail: 'bybit refused the subscription: error:handler not found,topic:publicTrade.NOPEUSDT',
    });
    const n = good.trades.length;
    await until('good trades', () => good.trades.length > n + 5);
    expect(good.links.some((l) => l.type === 'state' && l.state === 'down')).toBe(false);
  });

  it('spot subscribes at most 10 args per request, also when a reconnect resubscribes everything', async () => {
    const symbols = ['AAAUSDT', 'BBBUSDT', 'CCCUSDT', 'DDDUSDT', 'EEEUSDT', 'FFFUSDT'].map((symbol, i) => ({ ...FAKE_BYBIT_SYMBOLS[0]!, symbol, base: 100 + i }));
    r = await rig({ symbols, rate: 10 });
    const seen = symbols.map((s) => listen(`${s.symbol.toLowerCase()}.spot.bybit`));
    await until('all live', () => seen.every((s) => s.trades.length > 0));
    r.fake.venue.dropConnections();
    await until('all resumed', () => seen.every((s) => s.links.some((l) => l.type === 'resumed')));
    const subs = r.fake.received.filter((m) => m.msg.op === 'subscribe').map((m) => (m.msg.args as string[]).length);
    // All six were asked for before the socket opened: one subscribe() on open, chunked; the same after the drop.
    expect(subs).toEqual([10, 2, 10, 2]);
    const counts = seen.map((s) => s.trades.length);
    await until('trades after', () => seen.every((s, i) => s.trades.length > counts[i]!));
  });

  it('topics beyond the per-connection args budget go on another connection', async () => {
    r = await rig({}, { argsBudget: 60 });
    const a = listen('btcusdt.linear.perp.bybit');
    const b = listen('ethusdt.linear.perp.bybit');
    await until('both', () => a.trades.length > 2 && b.trades.length > 2);
    expect(r.backend.streams.connections('linear')).toHaveLength(2);
    expect(r.backend.streams.connections('linear').map((c) => [...c.topics])).toEqual([
      ['publicTrade.BTCUSDT', 'tickers.BTCUSDT'],
      ['publicTrade.ETHUSDT', 'tickers.ETHUSDT'],
    ]);
  });

  it('pings every pingMs as {"op":"ping"}; the pongs are control frames, not rejects', async () => {
    r = await rig({}, { pingMs: 50 });
    listen('btcusdt.spot.bybit');
    await until('pings', () => r.fake.received.filter((m) => m.msg.op === 'ping').length >= 3);
    expect(r.fake.received.find((m) => m.msg.op === 'ping')!.msg).toEqual({ req_id: 'ping', op: 'ping' });
    await until('pongs', () => r.backend.streams.parser('spot').counters.control >= 3);
    expect(r.backend.stats().rejected).toBe(0);
  });
});

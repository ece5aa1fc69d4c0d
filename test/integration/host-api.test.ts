import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RowMirror, startTestHost, until, type TestHost } from './harness.js';
import { ApiError } from '../../core/protocol/client.js';
import type { Tick } from '../../core/protocol/types.js';

let t: TestHost;
beforeAll(async () => {
  t = await startTestHost({ rate: 200, testHooks: true });
});
afterAll(async () => {
  await t.stop();
});

/** A raw WebSocket that records every text reply, for sending what the typed client never would. */
async function rawClient(url: string) {
  const ws = new WebSocket(url.replace('http', 'ws') + 'api/ws');
  const replies: { id: number | null; result?: unknown; error?: { code: string; message: string } }[] = [];
  ws.on('message', (d, bin) => {
    if (!bin) {
      const m = JSON.parse(d.toString());
      if (!('event' in m)) replies.push(m);
    }
  });
  await new Promise((r) => ws.once('open', r));
  return { ws, replies };
}

describe('host API over WebSocket', () => {
  it('streams bars that equal the bars recomputed from the trades the client saw', async () => {
    const c = await t.connect();
    const trades: Tick[] = [];
    c.on('quote', (q) => {
      if (q.fqme === 'xbtusd.spot.sim') for (const tk of q.ticks) if (tk.type === 'trade') trades.push(tk);
    });
    await c.call('quotes.subscribe', { fqme: 'xbtusd.spot.sim' });
    const mirror = new RowMirror(c);
    const sub = await c.call('bars.subscribe', { fqme: 'xbtusd.spot.sim', timeframe: 1, count: 100 });
    mirror.follow(sub.streamId);
    const firstTradeAt = await until(() => trades[0]?.time, 'first trade');
    // Wait for several whole seconds of trades after the first fully observed second.
    const from = Math.ceil(firstTradeAt / 1000) + 1;
    await until(() => trades.length > 0 && trades[trades.length - 1]!.time / 1000 >= from + 4, 'four whole seconds of trades');
    await new Promise((r) => setTimeout(r, 300));
    const expected = new Map<number, { open: number; high: number; low: number; close: number; volume: number }>();
    for (const tk of trades) {
      const sec = Math.floor(tk.time / 1000);
      if (sec < from || sec > from + 3) continue;
      const b = expected.get(sec);
      if (!b) expected.set(sec, { open: tk.price, high: tk.price, low: tk.price, close: tk.price, volume: tk.size });
      else {
        b.high = Math.max(b.high, tk.price);
        b.low = Math.min(b.low, tk.price);
        b.close = tk.price;
        b.volume += tk.size;
      }
    }
    expect(expected.size).toBe(4);
    const got = mirror.byTime();
    for (const [sec, bar] of expected) {
      const row = got.get(sec)!;
      expect(row, `bar ${sec}`).toBeDefined();
      expect(row.open).toBe(bar.open);
      expect(row.high).toBe(bar.high);
      expect(row.low).toBe(bar.low);
      expect(row.close).toBe(bar.close);
      expect(row.volume).toBeCloseTo(bar.volume, 9);
    }
    expect(mirror.frames).toBeGreaterThan(5);
  });

  it('sends a snapshot of the requested range with history below the live rows, in time order', async () => {
    const c = await t.connect();
    const mirror = new RowMirror(c);
    const sub = await c.call('bars.subscribe', { fqme: 'ethusd.spot.sim', timeframe: 60, count: 500 });
    mirror.follow(sub.streamId);
    await until(() => mirror.rows.size >= 500, '500 snapshot rows');
    const idx = [...mirror.rows.keys()].sort((a, b) => a - b);
    const times = idx.map((i) => mirror.rows.get(i)!.time);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBe(60);
    expect(times[times.length - 1]).toBe(Math.floor(Date.now() / 60_000) * 60);
    const page = await c.call('bars.range', { streamId: sub.streamId, from: idx[0]! - 100, to: idx[0]! });
    expect(page.rows).toBe(100);
    await until(() => mirror.rows.has(idx[0]! - 100), 'older page');
    expect(mirror.rows.get(idx[0]! - 1)!.time).toBe(times[0]! - 60);
  });

  it('answers unknown and malformed fqmes with clear errors', async () => {
    const c = await t.connect();
    await expect(c.call('bars.subscribe', { fqme: 'nope.spot.sim', timeframe: 1 })).rejects.toThrow(/unknown symbol 'nope\.spot\.sim'/);
    await expect(c.call('mkt.info', { fqme: 'btc.spot.nowhere' })).rejects.toThrow(/unknown backend 'nowhere'/);
    const err = await c.call('mkt.info', { fqme: 'garbage' }).catch((e: ApiError) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('not_found');
    expect((err as ApiError).message).toMatch(/malformed fqme/);
  });

  it('replies to malformed messages with errors and keeps serving every other client', async () => {
    const good = await t.connect();
    const sub = await good.call('bars.subscribe', { fqme: 'xbtusd.spot.sim', timeframe: 1, count: 10 });
    let frames = 0;
    good.onFrame((f) => {
      if (f.streamId === sub.streamId) frames++;
    });
    const bad = await rawClient(t.server.url);
    bad.ws.send('{{{ not json');
    bad.ws.send(JSON.stringify({ id: 5, method: 'orders.explode', params: {} }));
    bad.ws.send(JSON.stringify({ id: 6, method: 'bars.subscribe', params: { fqme: 'xbtusd.spot.sim', timeframe: 7 } }));
    bad.ws.send(Buffer.from([1, 2, 3]));
    bad.ws.send(JSON.stringify({ id: 7, method: 'bars.unsubscribe', params: { streamId: 999 } }));
    bad.ws.send(JSON.stringify({ id: 8, method: 'services.list' }));
    await until(() => bad.replies.length >= 6, 'six replies');
    const byId = new Map(bad.replies.map((r) => [r.id, r]));
    expect(bad.replies.filter((r) => r.id === null).map((r) => r.error!.code).sort()).toEqual(['bad_request', 'bad_request']);
    expect(byId.get(5)!.error).toMatchObject({ code: 'unknown_method' });
    expect(byId.get(6)!.error!.message).toMatch(/timeframe/);
    expect(byId.get(7)!.error).toMatchObject({ code: 'not_found' });
    expect(Array.isArray(byId.get(8)!.result)).toBe(true);
    const before = frames;
    await until(() => frames > before + 2, 'the good client keeps getting updates');
    expect((await good.call('services.list', {})).length).toBeGreaterThan(0);
    bad.ws.close();
  });

  it('refuses browser connections from foreign origins', async () => {
    const ws = new WebSocket(t.server.url.replace('http', 'ws') + 'api/ws', { headers: { origin: 'https://evil.example' } });
    const outcome = await new Promise<string>((r) => {
      ws.once('open', () => r('open'));
      ws.once('error', (e) => r(e.message));
    });
    expect(outcome).toMatch(/403/);
  });

  it('runs a chart-only session with datad.sim and samplerd and no brokerd', async () => {
    const res = await fetch(new URL('/api/services', t.server.url));
    const list = (await res.json()) as { name: string; state: string }[];
    const names = list.map((s) => s.name);
    expect(names).toContain('datad.sim');
    expect(names).toContain('samplerd');
    expect(names.some((n) => n.startsWith('brokerd'))).toBe(false);
    expect(list.every((s) => s.state === 'running')).toBe(true);
    const health = await (await fetch(new URL('/health', t.server.url))).json();
    expect(health).toMatchObject({ ok: true });
  });

  it('restarts a crashed datad worker, reports it, and resumes the stream', async () => {
    const c = await t.connect();
    const states: string[] = [];
    c.on('services', (list) => {
      const d = list.find((s) => s.name === 'datad.sim');
      if (d) states.push(`${d.state}:${d.restarts}`);
    });
    const sub = await c.call('bars.subscribe', { fqme: 'solusd.spot.sim', timeframe: 1, count: 50 });
    const resets: number[] = [];
    c.on('stream', (e) => {
      if (e.streamId === sub.streamId && e.reason === 'reset') resets.push(e.last);
    });
    let framesAfterReset = 0;
    c.onFrame((f) => {
      if (f.streamId === sub.streamId && resets.length > 0) framesAfterReset++;
    });
    await c.call('debug.crash', { service: 'datad.sim' });
    await until(() => states.some((s) => s.startsWith('restarting:1')), 'restarting reported');
    await until(() => resets.length > 0, 'stream reset after restart');
    await until(() => framesAfterReset > 3, 'updates after the restart');
    const d = (await c.call('services.list', {})).find((s) => s.name === 'datad.sim')!;
    expect(d.state).toBe('running');
    expect(d.restarts).toBeGreaterThanOrEqual(1);
    expect(d.lastError).toMatch(/crash requested by a test hook/);
  });

  it('hides debug hooks from hosts started without them', async () => {
    const plain = await startTestHost({ rate: 5 });
    try {
      const c = await plain.connect();
      await expect(c.call('debug.crash', { service: 'datad.sim' })).rejects.toThrow(/only available when the host runs with test hooks/);
    } finally {
      await plain.stop();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { ApiClient, ApiError } from '../../core/protocol/client.js';
import { FrameKind } from '../../core/protocol/frames.js';
import { BarStream, INITIAL_SNAPSHOT_ROWS, PREFETCH_CHUNK_ROWS } from './bar-stream.js';
import { FakeHost, settle } from './fake-host.js';

function setup(count: number, bounds = { first: 0, last: 1000 }) {
  const host = new FakeHost();
  const client = new ApiClient(host.transport);
  let rowsCalls = 0;
  host.handlers['bars.subscribe'] = (p) => {
    queueMicrotask(() => host.frame(FrameKind.snapshot, 7, bounds.last - (p.count as number), p.count as number, bounds));
    return { streamId: 7, fqme: p.fqme, timeframe: p.timeframe, first: bounds.first, last: bounds.last };
  };
  host.handlers['bars.range'] = (p) => {
    const from = p.from as number;
    const to = p.to as number;
    queueMicrotask(() => host.frame(FrameKind.range, 7, from, to - from, bounds));
    return { rows: to - from };
  };
  const stream = new BarStream(client, 'xbtusd.spot.sim', 60, count, { onRows: () => rowsCalls++ });
  return { host, client, stream, rowsCalls: () => rowsCalls };
}

describe('BarStream', () => {
  it('subscribes, stores the snapshot and reports it as a replacement', async () => {
    const { host, stream, rowsCalls } = setup(300);
    await stream.start();
    await settle();
    expect(host.calls('bars.subscribe')).toEqual([{ fqme: 'xbtusd.spot.sim', timeframe: 60, count: 300 }]);
    expect([stream.store.lo, stream.store.hi]).toEqual([700, 1000]);
    expect(stream.store.time(999)).toBe(999);
    expect(stream.takeDirty()).toEqual({ span: null, replaced: true });
    expect(rowsCalls()).toBeGreaterThan(0);
    // Nothing older is wanted: 300 rows held as asked.
    expect(host.calls('bars.range')).toEqual([]);
  });

  it('applies live updates idempotently and records their receive times', async () => {
    const { host, stream } = setup(300);
    await stream.start();
    await settle();
    stream.takeDirty();
    host.frame(FrameKind.update, 7, 998, 3, { first: 0, last: 1001 }, 50);
    host.frame(FrameKind.update, 7, 999, 2, { first: 0, last: 1001 }, 60);
    host.frame(FrameKind.update, 99, 0, 2, { first: 0, last: 2 }); // another stream: ignored
    expect(stream.store.hi).toBe(1001);
    expect(stream.store.get('close', 998)).toBe(100 + 50 + 1);
    expect(stream.store.get('close', 999)).toBe(100 + 60 + 1);
    expect(stream.takeDirty()).toEqual({ span: { from: 998, to: 1001 }, replaced: false });
    const t = stream.takeReceiveTimes();
    expect(t.received).toHaveLength(2);
    expect(t.ingested).toEqual([0, 0]);
    expect(stream.takeReceiveTimes().received).toHaveLength(0);
  });

  it('holds frames that arrive before the subscribe reply', async () => {
    const host = new FakeHost();
    const client = new ApiClient(host.transport);
    host.handlers['bars.subscribe'] = () => {
      host.frame(FrameKind.snapshot, 3, 90, 10, { first: 0, last: 100 }); // sent before the reply is read
      return { streamId: 3, fqme: 'a.b.sim', timeframe: 1, first: 0, last: 100 };
    };
    const stream = new BarStream(client, 'a.b.sim', 1, 10, { onRows: () => undefined });
    await stream.start();
    expect([stream.store.lo, stream.store.hi]).toEqual([90, 100]);
  });

  it('opens with a capped snapshot and prefetches the rest, newest first, into one allocation', async () => {
    const bounds = { first: 0, last: 1_000_000 };
    const { host, stream } = setup(250_000, bounds);
    await stream.start();
    for (let i = 0; i < 10; i++) await settle();
    expect(host.calls('bars.subscribe')[0]!.count).toBe(INITIAL_SNAPSHOT_ROWS);
    const ranges = host.calls('bars.range').map((p) => [p.from, p.to]);
    expect(ranges[0]).toEqual([980_000 - PREFETCH_CHUNK_ROWS, 980_000]);
    expect(ranges.at(-1)![0]).toBe(750_000);
    expect([stream.store.lo, stream.store.hi]).toEqual([750_000, 1_000_000]);
    expect(stream.prefetching).toBe(false);
    expect(stream.store.allocatedBytes / stream.store.length).toBeLessThan(49);
    for (let i = 750_000; i < 1_000_000; i += 12_345) expect(stream.store.time(i)).toBe(i);
  });

  it('stops prefetching at the host buffer start, and resumes when history arrives', async () => {
    const bounds = { first: 990, last: 1000 };
    const { host, stream } = setup(50, bounds);
    host.handlers['bars.subscribe'] = (p) => {
      queueMicrotask(() => host.frame(FrameKind.snapshot, 7, 995, 5, bounds));
      return { streamId: 7, fqme: p.fqme, timeframe: 60, first: 990, last: 1000 };
    };
    await stream.start();
    for (let i = 0; i < 5; i++) await settle();
    expect(stream.store.lo).toBe(990);
    bounds.first = 900;
    host.event('stream', { streamId: 7, first: 900, last: 1000, reason: 'history' });
    for (let i = 0; i < 5; i++) await settle();
    expect([stream.store.lo, stream.store.hi]).toEqual([950, 1000]);
  });

  it('drops its rows on reset, ignores updates until the new snapshot, then takes it', async () => {
    const { host, stream } = setup(100);
    await stream.start();
    await settle();
    stream.takeDirty();
    host.event('stream', { streamId: 7, first: 0, last: 500, reason: 'reset' });
    expect(stream.store.length).toBe(0);
    expect(stream.takeDirty().replaced).toBe(true);
    host.frame(FrameKind.update, 7, 499, 1, { first: 0, last: 500 });
    expect(stream.store.length).toBe(0);
    host.frame(FrameKind.snapshot, 7, 450, 50, { first: 0, last: 500 });
    expect([stream.store.lo, stream.store.hi]).toEqual([450, 500]);
    expect(stream.takeDirty().replaced).toBe(true);
    stream.close();
  });

  it('ignores a range frame that does not join the held rows', async () => {
    const { host, stream } = setup(100);
    await stream.start();
    await settle();
    host.frame(FrameKind.range, 7, 100, 50, { first: 0, last: 1000 });
    expect([stream.store.lo, stream.store.hi]).toEqual([900, 1000]);
  });

  it('rejects with the host error for an unknown symbol', async () => {
    const { host, stream } = setup(100);
    host.handlers['bars.subscribe'] = () => {
      throw Object.assign(new Error("unknown symbol 'nope.x.sim'"), { code: 'not_found' });
    };
    const err = await stream.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('not_found');
    expect((err as ApiError).message).toContain('nope.x.sim');
  });

  it('unsubscribes on close', async () => {
    const { host, stream } = setup(100);
    await stream.start();
    stream.close();
    expect(host.calls('bars.unsubscribe')).toEqual([{ streamId: 7 }]);
  });

  it('shares one subscription between the charts of one symbol and timeframe, each with its own dirty rows', async () => {
    const { host, client } = setup(300);
    let a = 0;
    let b = 0;
    const one = BarStream.shared(client, 'xbtusd.spot.sim', 60, 300, { onRows: () => a++ });
    const two = BarStream.shared(client, 'xbtusd.spot.sim', 60, 300, { onRows: () => b++ });
    const fast = BarStream.shared(client, 'xbtusd.spot.sim', 1, 300, { onRows: () => undefined });
    await Promise.all([one.start(), two.start(), fast.start()]);
    await settle();
    expect(host.calls('bars.subscribe').map((p) => p.timeframe)).toEqual([60, 1]);
    expect(one.store).toBe(two.store);
    expect(one.sharedBy).toBe(2);
    expect(one.takeDirty().replaced).toBe(true);
    host.frame(FrameKind.update, 7, 999, 2, { first: 0, last: 1001 });
    expect(one.takeDirty()).toEqual({ span: { from: 999, to: 1001 }, replaced: false });
    // The other chart has not drawn anything yet: the snapshot and the update are both still due.
    expect(two.takeDirty()).toEqual({ span: { from: 999, to: 1001 }, replaced: true });
    expect(a).toBe(b);
    // A chart opened later on the same symbol joins with what is held, and draws it at once.
    const late = BarStream.shared(client, 'xbtusd.spot.sim', 60, 300, { onRows: () => undefined });
    await late.start();
    expect(late.takeDirty().replaced).toBe(true);
    expect(host.calls('bars.subscribe')).toHaveLength(2);
    one.close();
    late.close();
    expect(host.calls('bars.unsubscribe')).toEqual([]);
    two.close();
    expect(host.calls('bars.unsubscribe')).toEqual([{ streamId: 7 }]);
    // The last reader gone, the next chart subscribes afresh.
    const again = BarStream.shared(client, 'xbtusd.spot.sim', 60, 300, { onRows: () => undefined });
    await again.start();
    expect(host.calls('bars.subscribe')).toHaveLength(3);
  });

  it('a paused reader keeps what changed for its catch-up, without receive times', async () => {
    const { host, stream } = setup(300);
    await stream.start();
    await settle();
    stream.takeDirty();
    stream.paused = true;
    for (let i = 0; i < 50; i++) host.frame(FrameKind.update, 7, 999 + i, 2, { first: 0, last: 1001 + i });
    expect(stream.takeReceiveTimes().received).toHaveLength(0);
    stream.paused = false;
    expect(stream.takeDirty()).toEqual({ span: { from: 999, to: 1050 }, replaced: false });
  });
});

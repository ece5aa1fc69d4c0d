/**
 * The page side and the worker's engine together (the engine runs in process behind a WorkerLike that delivers
 * messages asynchronously, as postMessage does): values arrive for the rows the chart's store holds, ticks and new
 * bars send only what changed, history pages and replaced stores start over, and stale answers are dropped.
 */
import { describe, expect, it } from 'vitest';
import { computeAll } from '../../../core/indicators/index.js';
import { kernelOf } from '../../../core/indicators/registry.js';
import { BarStore } from '../../lib/bar-store.js';
import { makeRows } from '../../lib/test-rows.js';
import { IndicatorEngine, transferables } from './indicator-engine.js';
import { IndicatorHub, type IndicatorChange, type WorkerLike } from './indicator-hub.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

/** The worker, in process: structured-clones what it is sent (so the page's arrays are not shared) and answers later. */
class InProcessWorker implements WorkerLike {
  onmessage: ((e: { data: FromWorker }) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;
  readonly engine = new IndicatorEngine();
  readonly sent: ToWorker[] = [];
  private queued = false;
  postMessage(msg: ToWorker): void {
    this.sent.push(msg);
    this.engine.handle(structuredClone(msg));
    if (!this.queued) {
      this.queued = true;
      setTimeout(() => {
        this.queued = false;
        for (const m of this.engine.flush()) this.onmessage?.({ data: structuredClone(m, { transfer: transferables(m) }) });
      }, 0);
    }
  }
  terminate(): void {}
}

const tick = () => new Promise((r) => setTimeout(r, 5));

function setup() {
  let worker!: InProcessWorker;
  const hub = new IndicatorHub(() => (worker = new InProcessWorker()));
  const changes: IndicatorChange[][] = [];
  const feed = hub.open({ onValues: (c) => changes.push(c) });
  const store = new BarStore();
  return { hub, feed, store, changes, worker: () => worker };
}

function expected(store: BarStore, kind: 'sma' | 'rsi' | 'vwap' | 'ema' | 'volume', params: Record<string, number | string>): Float64Array {
  return computeAll(kernelOf(kind, params), store.view({ from: store.lo, to: store.hi }), store.length);
}

function valuesOf(feed: { values: Map<string, { get(i: number): number }> }, id: string, store: BarStore): number[] {
  const v = feed.values.get(id)!;
  return Array.from({ length: store.length }, (_, k) => v.get(store.lo + k));
}

describe('IndicatorFeed + IndicatorEngine', () => {
  it('computes the snapshot, then a tick sends one row and brings back one value per indicator', async () => {
    const { feed, store, changes, worker } = setup();
    store.set(1000, makeRows(300, 1_700_000_000, 60));
    feed.setIndicators([
      { id: 'a', kind: 'sma', params: { period: 10 } },
      { id: 'b', kind: 'rsi', params: { period: 14 } },
    ]);
    feed.push(store, null, true);
    await tick();
    expect(valuesOf(feed, 'a', store)).toEqual(Array.from(expected(store, 'sma', { period: 10 })));
    expect(valuesOf(feed, 'b', store)).toEqual(Array.from(expected(store, 'rsi', { period: 14 })));
    expect(changes.at(-1)!.every((c) => c.full)).toBe(true);

    // A trade on the forming bar: the host resends the last two rows, only the last one changed.
    const last = makeRows(2, 1_700_000_000 + 298 * 60, 60, 298);
    last.volume.set([299, 300]); // makeRows numbers volumes from 1 in each call
    last.close[1] = 555;
    const before = worker().sent.length;
    store.set(1298, last);
    feed.push(store, { from: 1298, to: 1300 }, false);
    await tick();
    const rowsMsg = worker().sent.slice(before).find((m) => m.type === 'rows')!;
    expect(rowsMsg.type === 'rows' && rowsMsg.rows.time.length).toBe(2);
    expect(changes.at(-1)).toEqual([
      { id: 'a', from: 1299, to: 1300, full: false },
      { id: 'b', from: 1299, to: 1300, full: false },
    ]);
    expect(valuesOf(feed, 'a', store)).toEqual(Array.from(expected(store, 'sma', { period: 10 })));
    expect(valuesOf(feed, 'b', store)).toEqual(Array.from(expected(store, 'rsi', { period: 14 })));
  });

  it('a new bar brings back the closed bar and the new one; rows resent unchanged bring nothing', async () => {
    const { feed, store, changes } = setup();
    store.set(0, makeRows(50, 1_700_000_000, 60));
    feed.setIndicators([{ id: 'e', kind: 'ema', params: { period: 5 } }]);
    feed.push(store, null, true);
    await tick();
    const next = makeRows(2, 1_700_000_000 + 49 * 60, 60, 49);
    next.volume.set([50, 51]);
    store.set(49, next);
    feed.push(store, { from: 49, to: 51 }, false);
    await tick();
    expect(changes.at(-1)).toEqual([{ id: 'e', from: 49, to: 51, full: false }]);
    const n = changes.length;
    feed.push(store, { from: 49, to: 51 }, false);
    await tick();
    expect(changes.length).toBe(n);
    expect(valuesOf(feed, 'e', store)).toEqual(Array.from(expected(store, 'ema', { period: 5 })));
  });

  it('history pages (rows before the held ones) recompute everything over the longer series', async () => {
    const { feed, store, changes } = setup();
    const all = makeRows(400, 1_700_000_000, 60);
    const part = (from: number, to: number) => Object.fromEntries(Object.entries(all).map(([k, a]) => [k, a.slice(from, to)])) as typeof all;
    store.set(300, part(300, 400));
    feed.setIndicators([{ id: 'v', kind: 'vwap', params: { anchor: 'day' } }]);
    feed.push(store, null, true);
    await tick();
    store.set(100, part(100, 300));
    feed.push(store, { from: 100, to: 300 }, false);
    await tick();
    expect(changes.at(-1)).toEqual([{ id: 'v', from: 100, to: 400, full: true }]);
    expect(valuesOf(feed, 'v', store)).toEqual(Array.from(expected(store, 'vwap', { anchor: 'day' })));
  });

  it('drops answers computed before a replaced store or a parameter change', async () => {
    const { feed, store, changes } = setup();
    store.set(0, makeRows(100, 1_700_000_000, 60));
    feed.setIndicators([{ id: 's', kind: 'sma', params: { period: 3 } }]);
    feed.push(store, null, true);
    // Before the worker answers: new parameters, and a new snapshot (a reset).
    feed.setIndicators([{ id: 's', kind: 'sma', params: { period: 7 } }]);
    store.clear();
    store.set(500, makeRows(60, 1_800_000_000, 60, 7));
    feed.push(store, null, true);
    await tick();
    expect(changes.flat().every((c) => c.from === 500)).toBe(true);
    expect(valuesOf(feed, 's', store)).toEqual(Array.from(expected(store, 'sma', { period: 7 })));
    expect(feed.values.get('s')!.get(10)).toBeNaN();
  });

  it('removes indicators, ignores unknown kinds and normalizes parameters', async () => {
    const { feed, store, worker } = setup();
    store.set(0, makeRows(30, 1_700_000_000, 60));
    feed.setIndicators([
      { id: 'x', kind: 'bollinger', params: {} },
      { id: 'r', kind: 'rsi', params: { period: 0 } },
      { id: 'k', kind: 'volume', params: {} },
    ]);
    feed.push(store, null, true);
    await tick();
    expect(feed.ids).toEqual(['r', 'k']);
    expect(feed.spec('r')).toEqual({ kind: 'rsi', params: { period: 1 } });
    feed.setIndicators([{ id: 'k', kind: 'volume', params: {} }]);
    expect(feed.values.has('r')).toBe(false);
    expect(worker().sent.at(-1)).toEqual({ type: 'remove', series: feed.series, id: 'r' });
    feed.close();
    expect(worker().sent.at(-1)).toEqual({ type: 'drop', series: feed.series });
    expect(worker().engine.rowsOf(feed.series)).toBeNull();
  });

  it('a worker that cannot start leaves the indicators empty and says why, without throwing', () => {
    const hub = new IndicatorHub(() => {
      throw new Error('refused by policy');
    });
    const errors: unknown[] = [];
    const orig = console.error;
    console.error = (...a: unknown[]) => errors.push(a);
    try {
      const feed = hub.open({ onValues: () => undefined });
      const store = new BarStore();
      store.set(0, makeRows(10, 1_700_000_000, 60));
      feed.setIndicators([{ id: 's', kind: 'sma', params: { period: 3 } }]);
      feed.push(store, null, true);
      feed.close();
    } finally {
      console.error = orig;
    }
    expect(hub.stats).toMatchObject({ errors: 1, lastError: 'refused by policy' });
    expect(errors).toHaveLength(1);
  });
});

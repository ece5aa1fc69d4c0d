import { describe, expect, it } from 'vitest';
import type { AppendRecord, JournalEntry } from '../journal/index.js';
import type { Order, Status } from '../../protocol/orders.js';
import { compactionDue, JournalMirror } from './compaction.js';
import { replayOrders } from './recovery.js';

const order = (oid: string, over: Partial<Order> = {}): Order => ({
  action: 'buy',
  execMode: 'paper',
  oid,
  fqme: 'xbtusd.spot.sim',
  account: 'paper',
  price: '100',
  size: '2',
  ...over,
});
const status = (o: Order, resp: Status['resp'], state: string, over: Partial<Status> = {}): AppendRecord => ({
  type: 'status',
  status: { time: 1, oid: o.oid, resp, reqid: null, req: o, src: 'paperd', cancelCalled: false, ...over },
  state,
});
const fill = (oid: string, tid: string, size: string): AppendRecord => ({
  type: 'fill',
  oid,
  fill: { time: 1, brokerTime: 1, reqid: 'r', tid, action: 'buy', size, price: '100', fee: '0' },
});

let seq = 0;
const entries = (records: (AppendRecord | { type: 'snapshot'; state: unknown; index: { oids: [] } })[]): JournalEntry[] =>
  records.map((r) => ({ ...r, seq: ++seq, time: 1 }) as JournalEntry);

/** A few orders' lifecycles: a working paper order with a part fill, a dark order, a canceled alert, a filled order. */
function history(): AppendRecord[] {
  const a = order('a');
  const d = order('d', { execMode: 'dark', price: '50' });
  const al = order('al', { action: 'alert', execMode: 'dark', size: '0' });
  const f = order('f', { size: '1' });
  return [
    { type: 'order', order: a },
    { type: 'ack', oid: 'a', reqid: 'ra', account: 'paper' },
    status(a, 'open', 'open', { reqid: 'ra' }),
    { type: 'dark', order: d },
    status(d, 'dark_open', 'dark_open'),
    fill('a', 't1', '0.5'),
    { type: 'alert', order: al },
    status(al, 'dark_open', 'dark_open'),
    { type: 'cancel', cancel: { action: 'cancel', oid: 'al', fqme: al.fqme } },
    status(al, 'canceled', 'canceled', { cancelCalled: true }),
    { type: 'order', order: f },
    fill('f', 't2', '1'),
    status(f, 'closed', 'filled'),
    { type: 'dark', order: { ...d, price: '55' } },
    status(d, 'dark_open', 'dark_open'),
    fill('a', 't3', '0.25'),
  ];
}

describe('emsd journal compaction', () => {
  it('is due past the threshold and past twice the last snapshot', () => {
    expect(compactionDue(100, 0, { bytes: 100 })).toBe(false);
    expect(compactionDue(101, 0, { bytes: 100 })).toBe(true);
    expect(compactionDue(150, 80, { bytes: 100 })).toBe(false);
    expect(compactionDue(161, 80, { bytes: 100 })).toBe(true);
    expect(compactionDue(64 * 1024 * 1024, 0)).toBe(false);
    expect(compactionDue(64 * 1024 * 1024 + 1, 0)).toBe(true);
  });

  it('a snapshot at any point, plus the records after it, replays to what the whole journal replays to', () => {
    const all = history();
    const whole = replayOrders(entries(all));
    for (let cut = 0; cut <= all.length; cut++) {
      const mirror = new JournalMirror(new Map());
      mirror.append(all.slice(0, cut));
      const state = mirror.snapshot(() => false);
      mirror.append(all.slice(cut));
      const replayed = replayOrders(entries([{ type: 'snapshot', state, index: { oids: [] } }, ...all.slice(cut)]));
      expect(replayed, `snapshot after ${cut} records`).toEqual(whole);
      expect(mirror.orders).toEqual(whole);
    }
    expect(whole.get('a')).toMatchObject({ state: 'open', filled: '0.75', reqid: 'ra', tids: ['t1', 't3'] });
    expect(whole.get('d')?.order.price).toBe('55');
  });

  it('drops fills the ledger holds from the snapshot, keeping their trade ids: a re-sent one still counts once', () => {
    const mirror = new JournalMirror(new Map());
    mirror.append(history());
    const state = mirror.snapshot((_r, tid) => tid !== 't3');
    const a = state.orders.find((r) => r.order.oid === 'a')!;
    expect(a.fills.map((f) => f.tid)).toEqual(['t3']);
    expect(a.tids).toEqual(['t1', 't3']);
    const replayed = replayOrders(entries([{ type: 'snapshot', state, index: { oids: [] } }, fill('a', 't1', '0.5')]));
    expect(replayed.get('a')?.filled).toBe('0.75');
    // The snapshot is a copy: the mirror moving on does not change what is written.
    mirror.append([fill('a', 't4', '0.25')]);
    expect(a.filled).toBe('0.75');
  });

  it('forgets the oldest finished orders beyond the horizon, never a working one', () => {
    const mirror = new JournalMirror(new Map());
    mirror.append(history());
    for (const oid of ['al', 'f']) mirror.finish(oid);
    expect(mirror.prune(5)).toEqual(new Set());
    expect(mirror.prune(1)).toEqual(new Set(['al']));
    expect([...mirror.orders.keys()].sort()).toEqual(['a', 'd', 'f']);
    mirror.append([{ type: 'order', order: order('g') }]);
    mirror.finish('g');
    mirror.finish('f'); // finished again (a late fill): the newest now
    expect(mirror.prune(1)).toEqual(new Set(['g']));
    expect(mirror.finishedCount).toBe(1);
    // Working orders first, then finished ones oldest first: the order a restart restores.
    expect(mirror.snapshot(() => true).orders.map((r) => r.order.oid)).toEqual(['a', 'd', 'f']);
  });

  it('refuses a snapshot it cannot read rather than replay without its orders', () => {
    expect(() => replayOrders(entries([{ type: 'snapshot', state: { applied: 3 }, index: { oids: [] } }]))).toThrow(/not an emsd snapshot/);
  });
});

import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../../../core/protocol/client.js';
import type { ReconcileReport } from '../../../core/protocol/messages.js';
import type { Order, Status, StatusResp } from '../../../core/protocol/orders.js';
import { FakeHost, settle } from '../../client/fake-host.js';
import { EMPTY_ORDERS } from '../../lib/orders-reducer.js';
import { useOrders } from '../../stores/orders.js';
import { attachOrdersFeed, reconcileText } from './orders-feed.js';

const order = (oid: string, over: Partial<Order> = {}): Order => ({
  action: 'buy',
  execMode: 'dark',
  oid,
  fqme: 'xbtusd.spot.sim',
  account: 'paper',
  price: '50000',
  size: '0.025',
  ...over,
});

let t = 1;
const status = (resp: StatusResp, req: Order, extra: Partial<Status> = {}): Status => ({
  time: t++,
  oid: req.oid,
  resp,
  reqid: null,
  req,
  src: 'dark',
  cancelCalled: false,
  ...extra,
});

function host(active: Status[]) {
  const h = new FakeHost();
  h.handlers['orders.active'] = () => active;
  h.handlers['accounts.list'] = () => [
    { broker: 'sim', account: 'paper', mode: 'paper' },
    { broker: 'sim', account: 'live', mode: 'live' },
  ];
  h.handlers['positions.list'] = () => [
    { broker: 'sim', account: 'paper', fqme: 'xbtusd.spot.sim', size: '0.05', ppu: '50000', realizedPnl: '0', fees: '0', updatedAt: 1 },
  ];
  h.handlers['fills.recent'] = () => [];
  return { h, client: new ApiClient(h.transport) };
}

const notified: string[] = [];
const opts = { resyncAfterErrorMs: 5, notify: (title: string) => void notified.push(title) };

describe('orders feed', () => {
  beforeEach(() => {
    useOrders.setState({ ...EMPTY_ORDERS, known: false, accounts: [], positions: {}, toasts: [], alertMarks: [], notices: [] });
    notified.length = 0;
  });

  it('loads active orders, accounts and positions, then follows status, position, fill and alert events', async () => {
    const { h, client } = host([status('dark_open', order('a'))]);
    const off = attachOrdersFeed(client, opts);
    await settle();
    const s = useOrders.getState();
    expect(Object.keys(s.working)).toEqual(['a']);
    expect(s.known).toBe(true);
    expect(s.accounts.map((a) => a.account)).toEqual(['paper', 'live']);
    expect(Object.values(s.positions)[0]).toMatchObject({ size: '0.05' });
    expect(h.calls('fills.recent')).toEqual([{ limit: 200 }]);

    h.event('status', status('pending', order('b', { execMode: 'paper' })));
    h.event('status', status('open', order('b', { execMode: 'paper' })));
    h.event('status', status('canceled', order('a')));
    expect(Object.keys(useOrders.getState().working)).toEqual(['b']);

    h.event('position', { broker: 'sim', account: 'paper', fqme: 'xbtusd.spot.sim', size: '0', ppu: '0', realizedPnl: '1', fees: '0', updatedAt: 2 });
    expect(useOrders.getState().positions).toEqual({});

    h.event('fill', { oid: 'b', fqme: 'xbtusd.spot.sim', account: 'paper', action: 'buy', size: '0.01', price: '50000', fee: '0', tid: 't1', time: 5 });
    expect(useOrders.getState().fills.map((f) => f.tid)).toEqual(['t1']);

    h.event('alert', { oid: 'al', fqme: 'xbtusd.spot.sim', price: '50100', time: 6 });
    expect(useOrders.getState().toasts).toHaveLength(1);
    expect(useOrders.getState().alertMarks).toHaveLength(1);
    expect(notified).toEqual(['alert xbtusd.spot.sim']);
    off();
    h.event('status', status('canceled', order('b')));
    expect(Object.keys(useOrders.getState().working)).toEqual(['b']);
  });

  it('a reconnect redraws from the new connection`s orders.active', async () => {
    const first = host([status('dark_open', order('a')), status('dark_open', order('b'))]);
    const off = attachOrdersFeed(first.client, opts);
    await settle();
    expect(Object.keys(useOrders.getState().working).sort()).toEqual(['a', 'b']);
    first.h.drop();
    off();
    // While away, b was canceled and c placed from another window.
    const second = host([status('dark_open', order('a')), status('dark_open', order('c'))]);
    attachOrdersFeed(second.client, opts);
    await settle();
    expect(Object.keys(useOrders.getState().working).sort()).toEqual(['a', 'c']);
  });

  it('an error Status re-reads the active list (the host`s rollback wins)', async () => {
    const { h, client } = host([status('open', order('a', { execMode: 'paper' }))]);
    attachOrdersFeed(client, opts);
    await settle();
    useOrders.getState().beginModify(order('a', { execMode: 'paper', price: '49000' }));
    h.handlers['orders.active'] = () => [status('open', order('a', { execMode: 'paper', price: '50000' }))];
    h.event('status', status('error', order('a', { execMode: 'paper', price: '49000' }), { reason: 'venue says no' }));
    expect(useOrders.getState().working.a!.order.price).toBe('50000');
    expect(useOrders.getState().notices.map((n) => n.text)).toEqual(['order refused: venue says no']);
    await new Promise((r) => setTimeout(r, 20));
    expect(h.calls('orders.active')).toHaveLength(2);
    expect(useOrders.getState().working.a).toMatchObject({ order: { price: '50000' }, prev: null });
  });
});

describe('reconciliation notices', () => {
  beforeEach(() => useOrders.setState({ notices: [] }));
  const report = (id: string, differ: boolean): ReconcileReport => ({
    id,
    broker: 'binance',
    account: 'live',
    time: 1,
    orders: [{ oid: 'a', outcome: 'filled at the venue (filled 0.02 of 0.02)' }],
    differences: differ ? [{ fqme: 'btcusdt.spot.binance', asset: 'btc', ledger: '0.02', venue: '0.52' }] : [],
  });
  const texts = () => useOrders.getState().notices.map((n) => n.text);

  it('a report sent again (a reconnect, the catch-up after orders.active) is shown once, and once dismissed not again', async () => {
    const first = host([]);
    const off = attachOrdersFeed(first.client, opts);
    await settle();
    first.h.event('reconcile', report('binance.live@100', true));
    first.h.event('reconcile', report('binance.live@100', true));
    expect(texts()).toEqual(['binance: 1 order reconciled with the venue; positions differ: btc ledger 0.02, venue 0.52']);
    useOrders.getState().dismissNotice(useOrders.getState().notices[0]!.id);
    off();

    const second = host([]);
    attachOrdersFeed(second.client, opts);
    await settle();
    second.h.event('reconcile', report('binance.live@100', true));
    expect(texts()).toEqual([]);
    // The next start's reconciliation is another report.
    second.h.event('reconcile', report('binance.live@200', false));
    expect(texts()).toEqual(['binance: 1 order reconciled with the venue; positions match']);
  });

  it('positions that differ stay on screen until clicked away; a match goes after a glance', async () => {
    const { h, client } = host([]);
    attachOrdersFeed(client, opts);
    await settle();
    vi.useFakeTimers();
    try {
      h.event('reconcile', report('binance.live@300', true));
      h.event('reconcile', report('kraken.live@300', false));
      vi.advanceTimersByTime(60_000);
    } finally {
      vi.useRealTimers();
    }
    expect(useOrders.getState().notices.map((n) => [n.tone, n.key])).toEqual([['warn', 'reconcile:binance.live@300']]);
  });

  it('positions that differ are not pushed out by later notices', async () => {
    const { h, client } = host([]);
    attachOrdersFeed(client, opts);
    await settle();
    h.event('reconcile', report('binance.live@400', true));
    for (let i = 0; i < 6; i++) useOrders.getState().notify(`refused ${i}`, 'error');
    const shown = useOrders.getState().notices;
    expect(shown).toHaveLength(4);
    expect(shown.map((n) => n.key ?? n.text)).toEqual(['reconcile:binance.live@400', 'refused 3', 'refused 4', 'refused 5']);
  });
});

describe('reconcileText', () => {
  it('says how many orders the venue settled, and each position that differs', () => {
    const base = { id: 'binance.live@0', broker: 'binance', account: 'live', time: 0, orders: [{ oid: 'a', outcome: 'filled' }, { oid: 'b', outcome: 'adopted' }] };
    expect(reconcileText({ ...base, differences: [] })).toBe('binance: 2 orders reconciled with the venue; positions match');
    expect(reconcileText({ ...base, orders: [base.orders[0]!], differences: [{ fqme: 'btcusdt.spot.binance', asset: 'btc', ledger: '0.02', venue: '0.51998' }] })).toBe(
      'binance: 1 order reconciled with the venue; positions differ: btc ledger 0.02, venue 0.51998',
    );
  });
});

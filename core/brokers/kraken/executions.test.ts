import { describe, expect, it } from 'vitest';
import type { BrokerdMsg } from '../../protocol/orders.js';
import { parseExact } from './exact-json.js';
import { Executions } from './executions.js';
import { fqmeOfSymbol } from './symbols.js';

// The documented lifecycle (K7): pending_new -> new -> trade, verbatim but for whitespace.
const PENDING = `{"channel":"executions","type":"update","data":[{"order_id":"OK4GJX-KSTLS-7DZZO5","order_userref":3,"symbol":"BTC/USD","order_qty":0.005,"cum_cost":0.0,"time_in_force":"GTC","exec_type":"pending_new","side":"sell","order_type":"limit","limit_price_type":"static","limit_price":26500.0,"stop_price":0.0,"order_status":"pending_new","fee_usd_equiv":0.0,"fee_ccy_pref":"fciq","timestamp":"2023-09-22T10:33:05.709950Z"}],"sequence":8}`;
const NEW = `{"channel":"executions","type":"update","data":[{"timestamp":"2023-09-22T10:33:05.709982Z","order_status":"new","exec_type":"new","order_userref":3,"order_id":"OK4GJX-KSTLS-7DZZO5"}],"sequence":9}`;
const TRADE = `{"channel":"executions","type":"update","data":[{"order_id":"OK4GJX-KSTLS-7DZZO5","order_userref":3,"exec_id":"TGBB7L-HT5LX-J3BZ4A","exec_type":"trade","trade_id":62887576,"symbol":"BTC/USD","side":"sell","last_qty":0.005,"last_price":26599.9,"liquidity_ind":"t","cost":132.9995,"order_type":"limit","timestamp":"2023-09-22T10:33:05.709993Z","order_status":"partially_filled","cum_qty":0.005,"cum_cost":132.9995,"avg_price":26599.9,"fee_usd_equiv":0.3458,"fees":[{"asset":"USD","qty":0.3458}]}],"sequence":10}`;

function harness() {
  const msgs: BrokerdMsg[] = [];
  const logs: string[] = [];
  const x = new Executions({ account: 'live', emit: (m) => msgs.push(m), fqmeOf: fqmeOfSymbol, now: () => 1_000, log: (l) => logs.push(l) });
  const feed = (raw: string) => {
    const m = parseExact(raw) as { type: 'snapshot' | 'update'; data: Record<string, unknown>[] };
    x.apply(m.type, m.data, 0);
  };
  return { x, msgs, logs, feed };
}

describe('kraken executions', () => {
  it('maps the documented lifecycle: an order placed elsewhere (no cl_ord_id) opens, fills exactly, then completes', () => {
    const h = harness();
    for (const f of [PENDING, NEW, TRADE]) h.feed(f);
    h.feed(`{"channel":"executions","type":"update","data":[{"timestamp":"2023-09-22T10:33:05.710000Z","order_status":"filled","exec_type":"filled","order_id":"OK4GJX-KSTLS-7DZZO5","cum_qty":0.005}],"sequence":11}`);
    expect(h.msgs).toEqual([
      { type: 'status', time: 1_000, reqid: 'OK4GJX-KSTLS-7DZZO5', status: 'open', oid: null, account: 'live', filled: '0', remaining: '0.005', reason: '' },
      { type: 'fill', time: 1_000, brokerTime: Date.UTC(2023, 8, 22, 10, 33, 5, 709), reqid: 'OK4GJX-KSTLS-7DZZO5', tid: 'TGBB7L-HT5LX-J3BZ4A', action: 'sell', size: '0.005', price: '26599.9', fee: '0.3458' },
      // The documented trade says partially_filled although it filled the order: completion is the `filled` event.
      { type: 'status', time: 1_000, reqid: 'OK4GJX-KSTLS-7DZZO5', status: 'open', oid: null, account: 'live', filled: '0.005', remaining: '0', reason: '' },
      { type: 'status', time: 1_000, reqid: 'OK4GJX-KSTLS-7DZZO5', status: 'closed', oid: null, account: 'live', filled: '0.005', remaining: '0', reason: '' },
    ]);
    expect(h.x.orders.get('OK4GJX-KSTLS-7DZZO5')).toMatchObject({ symbol: 'BTC/USD', side: 'sell', qty: '0.005', limit: '26500' });
  });

  it('acks once when cl_ord_id first appears, books a fill once per exec_id, reports cancels with their reason', () => {
    const h = harness();
    const withId = PENDING.replace('"order_userref":3', '"cl_ord_id":"my-oid-1"');
    h.feed(withId);
    h.x.learn('OK4GJX-KSTLS-7DZZO5', { oid: 'my-oid-1' });
    h.feed(TRADE);
    h.feed(TRADE.replace('"sequence":10', '"sequence":11'));
    h.feed(`{"channel":"executions","type":"update","data":[{"timestamp":"2023-09-22T10:34:00.000000Z","order_status":"canceled","exec_type":"canceled","order_id":"OK4GJX-KSTLS-7DZZO5","reason":"User requested"}],"sequence":12}`);
    h.feed(NEW);
    expect(h.msgs.map((m) => m.type)).toEqual(['ack', 'fill', 'status', 'status', 'status']);
    expect(h.msgs[0]).toEqual({ type: 'ack', reqid: 'OK4GJX-KSTLS-7DZZO5', oid: 'my-oid-1', account: 'live' });
    expect(h.msgs.at(-1)).toMatchObject({ status: 'canceled', reason: 'User requested', oid: 'my-oid-1', remaining: '0' });
  });

  it('logs and skips entries that are not objects or lack an order_id', () => {
    const h = harness();
    h.x.apply('update', [null, 5, 'x', { exec_type: 'new' }] as unknown as Record<string, unknown>[], 0);
    expect(h.msgs).toEqual([]);
    expect(h.logs).toHaveLength(4);
  });

  it('values a fee charged in the base asset at the fill price', () => {
    const h = harness();
    h.feed(TRADE.replace('"fees":[{"asset":"USD","qty":0.3458}]', '"fees":[{"asset":"BTC","qty":0.00001},{"asset":"USD","qty":0.01}]'));
    expect(h.msgs.find((m) => m.type === 'fill')).toMatchObject({ fee: '0.275999' });
  });
});

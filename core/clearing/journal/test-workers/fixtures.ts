import type { Order, Status } from '../../../protocol/orders.js';
import type { FillRecord, StatusRecord } from '../records.js';

/** Realistic records for the journal's tests, its crash writer and its benchmark. */
export function sampleOrder(oid: string, over: Partial<Order> = {}): Order {
  return { action: 'buy', execMode: 'paper', oid, fqme: 'btcusdt.spot.sim', account: 'paper', price: '64250.5', size: '0.015', ...over };
}

export function openStatus(order: Order, reqid: string): StatusRecord {
  const status: Status = { time: 1, oid: order.oid, resp: 'open', reqid, req: order, src: 'paperd', cancelCalled: false, filled: '0', remaining: order.size };
  return { type: 'status', status };
}

export function fillOf(order: Order, reqid: string, tid: string): FillRecord {
  const side = order.action === 'sell' ? 'sell' : 'buy';
  return { type: 'fill', oid: order.oid, fill: { time: 2, brokerTime: 2, reqid, tid, action: side, size: order.size, price: order.price, fee: '0.01' } };
}

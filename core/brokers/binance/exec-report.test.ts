import { describe, expect, it } from 'vitest';
import type { BrokerdMsg } from '../../protocol/orders.js';
import type { MktPair } from '../../protocol/types.js';
import { parseExecReport, type ExecReport } from './exec-report.js';
import { LiveOrders, feeIn } from './live-orders.js';

// The documented executionReport (B4, NEW), comments stripped; TRADE and CANCELED built from the documented fields.
const DOC_NEW = {
  e: 'executionReport', E: 1499405658658, s: 'ETHBTC', c: 'mUvoqJxFIILMdfAW5iGSOW', S: 'BUY', o: 'LIMIT', f: 'GTC', q: '1.00000000', p: '0.10264410',
  P: '0.00000000', F: '0.00000000', g: -1, C: '', x: 'NEW', X: 'NEW', r: 'NONE', i: 4293153, l: '0.00000000', z: '0.00000000', L: '0.00000000',
  n: '0', N: null, T: 1499405658657, t: -1, v: 3, I: 8641984, w: true, m: false, M: false, O: 1499405658657, Z: '0.00000000', Y: '0.00000000',
  Q: '0.00000000', W: 1499405658657, V: 'NONE',
};
const TRADE = { ...DOC_NEW, x: 'TRADE', X: 'PARTIALLY_FILLED', l: '0.40000000', z: '0.40000000', L: '0.10264410', n: '0.00040000', N: 'ETH', t: 77, T: 1499405659000 };
const CANCELED = { ...DOC_NEW, c: 'cancelRequestId', C: 'mUvoqJxFIILMdfAW5iGSOW', x: 'CANCELED', X: 'CANCELED', z: '0.40000000' };

const ETHBTC = { fqme: 'ethbtc.spot.binance', dst: { name: 'eth' }, src: { name: 'btc' } } as MktPair;

describe('executionReport', () => {
  it('reads the documented NEW report with normalized decimals', () => {
    expect(parseExecReport(DOC_NEW)).toMatchObject({ symbol: 'ETHBTC', oid: 'mUvoqJxFIILMdfAW5iGSOW', side: 'buy', orderId: '4293153', execType: 'NEW', quantity: '1', price: '0.1026441', filled: '0', tradeId: null, commission: '0' });
  });

  it("takes a cancel's oid from C (its own c is the cancel request's id)", () => {
    expect((parseExecReport(CANCELED) as ExecReport).oid).toBe('mUvoqJxFIILMdfAW5iGSOW');
  });

  it('refuses malformed reports with a reason', () => {
    expect(parseExecReport({ ...DOC_NEW, S: 'HOLD' })).toMatch(/without symbol/);
    expect(parseExecReport({ ...DOC_NEW, q: 1 })).toMatch(/malformed quantity/);
    expect(parseExecReport({ ...TRADE, t: -1 })).toMatch(/TRADE without trade id/);
  });

  it('becomes ack, open, fill with the fee in the quote asset, partial status, then one canceled status', () => {
    const out: BrokerdMsg[] = [];
    const orders = new LiveOrders((m) => out.push(m), 'live', () => 5, () => ETHBTC, () => {});
    const o = orders.track('mUvoqJxFIILMdfAW5iGSOW', ETHBTC.fqme, 'ETHBTC', 'buy', '1');
    o.expectNew = true;
    for (const r of [DOC_NEW, TRADE, TRADE, CANCELED, CANCELED]) orders.onReport(parseExecReport(r) as ExecReport, ETHBTC.fqme);
    expect(out).toEqual([
      { type: 'ack', reqid: '4293153', oid: o.oid, account: 'live' },
      { type: 'status', time: 5, reqid: '4293153', status: 'open', oid: o.oid, account: 'live', filled: '0', remaining: '1', reason: 'open at Binance' },
      { type: 'fill', time: 5, brokerTime: 1499405659000, reqid: '4293153', tid: '77', action: 'buy', size: '0.4', price: '0.1026441', fee: '0.00004105764', brokerDetails: { commission: '0.0004', commissionAsset: 'ETH' } },
      { type: 'status', time: 5, reqid: '4293153', status: 'open', oid: o.oid, account: 'live', filled: '0.4', remaining: '0.6', reason: 'partially filled' },
      // The same trade again (a resend) is not a second fill; its status repeats harmlessly.
      { type: 'status', time: 5, reqid: '4293153', status: 'open', oid: o.oid, account: 'live', filled: '0.4', remaining: '0.6', reason: 'partially filled' },
      { type: 'status', time: 5, reqid: '4293153', status: 'canceled', oid: o.oid, account: 'live', filled: '0.4', remaining: '0.6', reason: 'canceled at Binance' },
    ]);
  });

  it('values commission in the quote asset as is, the base asset at the fill price, another asset as 0', () => {
    expect(feeIn(ETHBTC, '0.0001', 'BTC', '0.05')).toBe('0.0001');
    expect(feeIn(ETHBTC, '0.002', 'ETH', '0.05')).toBe('0.0001');
    expect(feeIn(ETHBTC, '0.01', 'BNB', '0.05')).toBe('0');
  });
});

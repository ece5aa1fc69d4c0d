import { describe, expect, it } from 'vitest';
import { isoMs } from './iso-time.js';
import { newScan, scanTrades } from './trade-scan.js';

const DOC_SNAPSHOT = `{"channel":"trade","type":"snapshot","data":[{"symbol":"MATIC/USD","side":"buy","price":0.5147,"qty":6423.46326,"ord_type":"limit","trade_id":4665846,"timestamp":"2023-09-25T07:48:36.925533Z"},{"symbol":"MATIC/USD","side":"buy","price":0.5147,"qty":1136.19677815,"ord_type":"limit","trade_id":4665847,"timestamp":"2023-09-25T07:49:36.925603Z"}]}`;
const DOC_UPDATE = `{"channel":"trade","type":"update","data":[{"symbol":"MATIC/USD","side":"sell","price":0.5117,"qty":40.0,"ord_type":"market","trade_id":4665906,"timestamp":"2023-09-25T07:49:37.708706Z"}]}`;

/** What JSON.parse makes of a trade frame, in the scanner's layout. */
function viaJson(raw: string) {
  const m = JSON.parse(raw) as { type: string; data: { symbol: string; trade_id: number; price: number; qty: number; timestamp: string }[] };
  return { type: m.type, n: m.data.length, symbol: m.data.map((d) => d.symbol), id: m.data.map((d) => d.trade_id), price: m.data.map((d) => d.price), qty: m.data.map((d) => d.qty), time: m.data.map((d) => isoMs(d.timestamp)) };
}

describe('kraken trade frame scanner', () => {
  it('reads the documented frames exactly as JSON.parse does', () => {
    for (const raw of [DOC_SNAPSHOT, DOC_UPDATE]) {
      const out = newScan();
      expect(scanTrades(raw, out)).toBe(true);
      expect(out).toEqual(viaJson(raw));
    }
  });

  it('gives the same doubles as Number() for trailing zeros and many digits', () => {
    const prices = ['79932.5', '0.00001234', '123456789.12345', '1.10000000', '0.5660'];
    for (const p of prices) {
      const raw = `{"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","side":"buy","price":${p},"qty":${p},"ord_type":"limit","trade_id":7,"timestamp":"2026-01-05T14:30:00.123456Z"}]}`;
      const out = newScan();
      expect(scanTrades(raw, out)).toBe(true);
      expect(out.price[0]).toBe(Number(p));
      expect(out.qty[0]).toBe(Number(p));
      expect(out.time[0]).toBe(Date.UTC(2026, 0, 5, 14, 30, 0, 123));
    }
  });

  it('declines shapes it does not know, so JSON.parse handles them', () => {
    const declined = [
      DOC_UPDATE.slice(0, 120),
      DOC_UPDATE.replace('"price":0.5117', '"price":5.117e-1'),
      DOC_UPDATE.replace('"side":"sell","price":0.5117', '"price":0.5117,"side":"sell"'),
      DOC_UPDATE.replace('"trade_id":4665906', '"trade_id":4665906.5'),
      DOC_UPDATE.replace('"price":0.5117', '"price":0.1234567890123456'),
      DOC_UPDATE.replace('MATIC/USD', 'MA\\"TIC'),
      DOC_UPDATE + ' ',
      DOC_UPDATE.replace('"type":"update"', '"type":"delta"'),
    ];
    for (const raw of declined) expect(scanTrades(raw, newScan())).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import type { Tick } from '../../protocol/types.js';
import { PublicFrames, type SubscribeAck } from './frames.js';
import { isoMs } from './iso-time.js';

// Documented frames (K1-K3), verbatim but for whitespace.
const TRADE_SNAPSHOT = `{"channel":"trade","type":"snapshot","data":[{"symbol":"MATIC/USD","side":"buy","price":0.5147,"qty":6423.46326,"ord_type":"limit","trade_id":4665846,"timestamp":"2023-09-25T07:48:36.925533Z"},{"symbol":"MATIC/USD","side":"buy","price":0.5147,"qty":1136.19677815,"ord_type":"limit","trade_id":4665847,"timestamp":"2023-09-25T07:49:36.925603Z"}]}`;
const TRADE_UPDATE = `{"channel":"trade","type":"update","data":[{"symbol":"MATIC/USD","side":"sell","price":0.5117,"qty":40.0,"ord_type":"market","trade_id":4665906,"timestamp":"2023-09-25T07:49:37.708706Z"}]}`;
const TICKER_SNAPSHOT = `{"channel":"ticker","type":"snapshot","data":[{"symbol":"ALGO/USD","bid":0.10025,"bid_qty":740.0,"ask":0.10036,"ask_qty":1361.44813783,"last":0.10035,"volume":997038.98383185,"vwap":0.10148,"low":0.09979,"high":0.10285,"change":-0.00017,"change_pct":-0.17,"timestamp":"2023-09-25T09:04:31.742648Z"}]}`;
const TICKER_UPDATE = `{"channel":"ticker","type":"update","data":[{"symbol":"ALGO/USD","bid":0.10025,"bid_qty":740.0,"ask":0.10035,"ask_qty":740.0,"last":0.10035,"volume":997038.98383185,"vwap":0.10148,"low":0.09979,"high":0.10285,"change":-0.00017,"change_pct":-0.17,"timestamp":"2023-09-25T09:04:31.742648Z"}]}`;
const SUB_ACK = `{"method":"subscribe","result":{"channel":"trade","snapshot":true,"symbol":"MATIC/USD"},"success":true,"time_in":"2023-09-25T09:21:10.428340Z","time_out":"2023-09-25T09:21:10.428375Z"}`;
const STATUS = `{"channel":"status","data":[{"api_version":"v2","connection_id":13834774380200032777,"system":"online","version":"2.0.0"}],"type":"update"}`;
const PONG = `{"method":"pong","req_id":101,"time_in":"2023-09-24T14:10:23.799685Z","time_out":"2023-09-24T14:10:23.799703Z"}`;

function harness(fromMs = 0) {
  const ticks: { fqme: string; ticks: Tick[] }[] = [];
  const acks: SubscribeAck[] = [];
  const statuses: string[] = [];
  const errors: string[] = [];
  const rejects: string[] = [];
  const f = new PublicFrames({
    ticks: (fqme, t) => ticks.push({ fqme, ticks: t }),
    ack: (a) => acks.push(a),
    status: (s, id) => statuses.push(`${s} ${id}`),
    venueError: (e) => errors.push(e),
    reject: (r) => rejects.push(r),
  });
  f.track('MATIC/USD', 'maticusd.spot.kraken', fromMs);
  f.track('ALGO/USD', 'algousd.spot.kraken', fromMs);
  return { f, ticks, acks, statuses, errors, rejects };
}

describe('kraken public frames', () => {
  it('turns the documented trade snapshot and update into trade ticks', () => {
    const h = harness();
    h.f.handle(TRADE_SNAPSHOT);
    h.f.handle(TRADE_UPDATE);
    expect(h.ticks).toEqual([
      {
        fqme: 'maticusd.spot.kraken',
        ticks: [
          { type: 'trade', price: 0.5147, size: 6423.46326, time: Date.UTC(2023, 8, 25, 7, 48, 36, 925) },
          { type: 'trade', price: 0.5147, size: 1136.19677815, time: Date.UTC(2023, 8, 25, 7, 49, 36, 925) },
        ],
      },
      { fqme: 'maticusd.spot.kraken', ticks: [{ type: 'trade', price: 0.5117, size: 40, time: Date.UTC(2023, 8, 25, 7, 49, 37, 708) }] },
    ]);
    expect(h.f.counters).toEqual({ rejected: 0, duplicates: 0 });
  });

  it('counts a re-sent snapshot (reconnect) and older ids as duplicates, not as trades', () => {
    const h = harness();
    h.f.handle(TRADE_SNAPSHOT);
    h.f.handle(TRADE_UPDATE);
    h.f.handle(TRADE_SNAPSHOT);
    h.f.handle(TRADE_UPDATE);
    expect(h.ticks.flatMap((t) => t.ticks)).toHaveLength(3);
    expect(h.f.counters.duplicates).toBe(3);
  });

  it('skips snapshot trades older than the subscription start (history has them) but remembers their ids', () => {
    const h = harness(Date.UTC(2023, 8, 25, 7, 49));
    h.f.handle(TRADE_SNAPSHOT);
    expect(h.ticks.flatMap((t) => t.ticks).map((t) => t.size)).toEqual([1136.19677815]);
    h.f.handle(TRADE_SNAPSHOT);
    expect(h.f.counters.duplicates).toBe(2);
  });

  it('turns the documented ticker frames into bid/ask then asize ticks', () => {
    const h = harness();
    h.f.handle(TICKER_SNAPSHOT);
    h.f.handle(TICKER_UPDATE);
    h.f.handle(TICKER_UPDATE);
    const time = Date.UTC(2023, 8, 25, 9, 4, 31, 742);
    expect(h.ticks).toEqual([
      {
        fqme: 'algousd.spot.kraken',
        ticks: [
          { type: 'bid', price: 0.10025, size: 740, time },
          { type: 'ask', price: 0.10036, size: 1361.44813783, time },
        ],
      },
      { fqme: 'algousd.spot.kraken', ticks: [{ type: 'ask', price: 0.10035, size: 740, time }] },
    ]);
  });

  it('handles acks, status (exact connection id), heartbeat and pong', () => {
    const h = harness();
    h.f.handle(SUB_ACK);
    h.f.handle('{"error":"Currency pair not supported XBT/USD","method":"subscribe","success":false,"symbol":"XBT/USD","time_in":"x","time_out":"y"}');
    h.f.handle(STATUS);
    h.f.handle('{"channel":"heartbeat"}');
    h.f.handle(PONG);
    h.f.handle('{"error":"Exceeded msg rate","success":false}');
    expect(h.acks).toEqual([
      { method: 'subscribe', channel: 'trade', symbol: 'MATIC/USD', success: true, error: null },
      { method: 'subscribe', channel: '?', symbol: 'XBT/USD', success: false, error: 'Currency pair not supported XBT/USD' },
    ]);
    expect(h.statuses).toEqual(['online 13834774380200032777']);
    expect(h.errors).toEqual(['Exceeded msg rate']);
    expect(h.f.counters.rejected).toBe(0);
  });

  it('counts malformed, truncated and unknown frames as rejected and keeps going', () => {
    const h = harness();
    const bad = [
      TRADE_UPDATE.slice(0, 60),
      'not json',
      '[1,2]',
      '{"channel":"book","type":"update","data":[]}',
      '{"channel":"trade","type":"update"}',
      '{"channel":"trade","type":"update","data":[{"symbol":"MATIC/USD","price":"x","qty":1,"trade_id":1,"timestamp":"2023-09-25T07:49:37.708706Z"}]}',
      '{"channel":"trade","type":"update","data":[{"symbol":"DOGE/USD","price":1,"qty":1,"trade_id":1,"timestamp":"2023-09-25T07:49:37.708706Z"}]}',
      '{"channel":"ticker","type":"update","data":[{"symbol":"ALGO/USD","bid":null}]}',
      '{"channel":"status","type":"update","data":[]}',
    ];
    for (const b of bad) h.f.handle(b);
    h.f.handle(TRADE_UPDATE);
    expect(h.f.counters.rejected).toBe(bad.length);
    expect(h.rejects).toHaveLength(bad.length);
    expect(h.ticks.flatMap((t) => t.ticks)).toHaveLength(1);
  });

  it('reads RFC 3339 timestamps with 0, 3, 6 and 9 fraction digits', () => {
    expect(isoMs('2023-10-04T16:25:00.000000000Z')).toBe(Date.UTC(2023, 9, 4, 16, 25));
    expect(isoMs('2023-10-04T16:25:00Z')).toBe(Date.UTC(2023, 9, 4, 16, 25));
    expect(isoMs('2023-10-04T16:25:00.5Z')).toBe(Date.UTC(2023, 9, 4, 16, 25, 0, 500));
    expect(isoMs('2023-10-04T16:25:00.123456Z')).toBe(Date.UTC(2023, 9, 4, 16, 25, 0, 123));
    expect(isoMs('nope')).toBeNaN();
    expect(isoMs(5)).toBeNaN();
  });
});

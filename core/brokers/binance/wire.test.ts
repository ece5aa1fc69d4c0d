import { describe, expect, it } from 'vitest';
import { combined, spotBookTickerFrame, spotTradeFrame } from '../../../test/fakes/binance-frames.js';
import { F_ACK, F_ERROR, F_QUOTE, F_REJECT, F_SHUTDOWN, F_TRADE, WireFrame, WireParser, parseSlow } from './wire.js';

// The documented samples (exchange-protocols.md B1/F1) with their `//` comments stripped.
const DOC_TRADE = '{"e":"trade","E":1672515782136,"s":"BNBBTC","t":12345,"p":"0.001","q":"100","T":1672515782136,"m":true,"M":true}';
const DOC_AGG = '{"e":"aggTrade","E":1672515782136,"s":"BNBBTC","a":12345,"p":"0.001","q":"100","f":100,"l":105,"T":1672515782136,"m":true,"M":true}';
const DOC_FUT_AGG = '{"e": "aggTrade", "E": 123456789, "s": "BNBUSDT", "a": 5933014, "p": "0.001", "q": "100", "nq": "100", "f": 100, "l": 105, "T": 123456785, "m": true, "st": 1}';
const DOC_BOOK = '{"u":400900217,"s":"BNBUSDT","b":"25.35190000","B":"31.21000000","a":"25.36520000","A":"40.66000000"}';
const DOC_FUT_BOOK =
  '{"e":"bookTicker","u":400900217,"E":1568014460893,"T":1568014460891,"s":"BNBUSDT","b":"25.35190000","B":"31.21000000","a":"25.36520000","A":"40.66000000","ps":"BNBUSDT","st":1}';

function parse(raw: string) {
  const out = new WireFrame();
  const kind = new WireParser().parse(raw, out);
  return { kind, out };
}

describe('Binance wire parser', () => {
  it('reads the documented trade sample, raw and on a combined stream, with exact decimals', () => {
    for (const raw of [DOC_TRADE, combined('bnbbtc@trade', DOC_TRADE)]) {
      const { kind, out } = parse(raw);
      expect(kind).toBe(F_TRADE);
      expect(out).toMatchObject({ symbol: 'BNBBTC', id: 12345, price: 0.001, size: 100, time: 1672515782136, buyerMaker: true });
    }
  });

  it('reads the documented aggTrade samples (spot, and USD-M with nq/st) with the aggregate id', () => {
    expect(parse(combined('bnbbtc@aggTrade', DOC_AGG)).out).toMatchObject({ kind: F_TRADE, symbol: 'BNBBTC', id: 12345, price: 0.001 });
    const fut = parse(combined('bnbusdt@aggTrade', DOC_FUT_AGG));
    expect(fut.kind).toBe(F_TRADE);
    expect(fut.out).toMatchObject({ symbol: 'BNBUSDT', id: 5933014, size: 100, time: 123456785, buyerMaker: true });
  });

  it('reads spot bookTicker by its shape and the USD-M one by its event type', () => {
    const spot = parse(combined('bnbusdt@bookTicker', DOC_BOOK));
    expect(spot.kind).toBe(F_QUOTE);
    expect(spot.out).toMatchObject({ symbol: 'BNBUSDT', id: 400900217, bid: 25.3519, bidSize: 31.21, ask: 25.3652, askSize: 40.66, time: 0 });
    const fut = parse(combined('bnbusdt@bookTicker', DOC_FUT_BOOK));
    expect(fut.out).toMatchObject({ kind: F_QUOTE, bid: 25.3519, askSize: 40.66, time: 1568014460891 });
  });

  it('reads control answers, venue errors and the shutdown notice', () => {
    expect(parse('{"result":null,"id":1}')).toMatchObject({ kind: F_ACK, out: { reqId: 1 } });
    expect(parse('{"result":["btcusdt@aggTrade"],"id":3}').kind).toBe(F_ACK);
    expect(parse('{"code": 2, "msg": "Invalid request: unknown variant", "id": 7}')).toMatchObject({
      kind: F_ERROR,
      out: { code: 2, msg: 'Invalid request: unknown variant', reqId: 7 },
    });
    expect(parse('{"stream":"!serverShutdown","data":{"e":"serverShutdown","E":1700000000000}}')).toMatchObject({ kind: F_SHUTDOWN, out: { time: 1700000000000 } });
  });

  it('rejects malformed, truncated and unknown frames with a reason, never throwing', () => {
    const good = spotTradeFrame('BTCUSDT', { id: 9, price: '50000.10', size: '0.0100', time: 1_700_000_000_000, buyerMaker: false });
    const bad = [
      good.slice(0, -2), // truncated: the templated scan must not accept a frame missing its closing braces
      good.slice(0, 60),
      good.replace('"p":"50000.10"', '"p":"5e4"'),
      good.replace('"p":"50000.10"', '"p":"-1"'),
      good.replace('"p":"50000.10"', '"p":50000.10'),
      good.replace('"t":9', '"t":"9"'),
      good.replace('"m":false', '"m":0'),
      good + ' x',
      '',
      'null',
      '[1,2]',
      '{"stream":"btcusdt@trade"}',
      '{"e":"kline","E":1,"s":"BTCUSDT","k":{}}',
      '{"u":1,"s":"BTCUSDT","b":"1","B":"x","a":"2","A":"1"}',
      '{"hello":"world"}',
    ];
    for (const raw of bad) {
      const { kind, out } = parse(raw);
      expect(kind, raw).toBe(F_REJECT);
      expect(out.msg.length, raw).toBeGreaterThan(0);
    }
  });

  it('scans templated trades to the same numbers JSON.parse gives, and falls back for other shapes', () => {
    const parser = new WireParser();
    const out = new WireFrame();
    const viaJson = new WireFrame();
    const prices = ['0.00000001', '1', '50000.10', '96123.45678901', '123456789012.345', '0.1', '1234567890123456789'];
    for (const [i, p] of prices.entries()) {
      const raw = spotTradeFrame('ETHUSDT', { id: 1000 + i, price: p, size: '0.00420000', time: 1_700_000_000_000 + i, buyerMaker: i % 2 === 0 });
      expect(parser.parse(raw, out)).toBe(F_TRADE);
      expect(parseSlow(raw, viaJson)).toBe(F_TRADE);
      expect(out.price).toBe(Number(p));
      expect(out.size).toBe(0.0042);
      expect({ ...out }).toEqual({ ...viaJson });
    }
    // Another field order and whitespace: not the template, same result through the fallback.
    const reordered = '{"stream":"ethusdt@trade","data":{"s":"ETHUSDT","e":"trade","t":77,"p":"1.5","q":"2","T":5,"m":false, "E":6}}';
    expect(parser.parse(reordered, out)).toBe(F_TRADE);
    expect(out).toMatchObject({ symbol: 'ETHUSDT', id: 77, price: 1.5, size: 2, time: 5 });
  });

  it('scans spot bookTicker frames to the JSON.parse result, and rejects truncated ones', () => {
    const parser = new WireParser();
    for (const [u, bid] of [[400900217, '25.35190000'], [400900218, '0.00000000']] as const) {
      const out = new WireFrame();
      const viaJson = new WireFrame();
      const raw = spotBookTickerFrame('BNBUSDT', { updateId: u, bid, bidSize: '31.21000000', ask: '25.36520000', askSize: '40.66000000', time: 0 });
      expect(parser.parse(raw, out)).toBe(F_QUOTE);
      expect(parseSlow(raw, viaJson)).toBe(F_QUOTE);
      expect({ ...out }).toEqual({ ...viaJson });
      expect(out).toMatchObject({ id: u, bid: Number(bid), askSize: 40.66 });
      expect(parser.parse(raw.slice(0, -1), out)).toBe(F_REJECT);
      expect(parser.parse(raw.replace('"A":"40.66000000"', '"A":"-1"'), out)).toBe(F_REJECT);
    }
  });
});

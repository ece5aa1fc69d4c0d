import { describe, expect, it } from 'vitest';
import { minuteBars } from './klines.js';
import { BybitApiError, BybitRest } from './rest.js';

type Reply = { status?: number; body: unknown; headers?: Record<string, string> };

/** A fetch that answers from `route` and records the URLs asked. */
function stubFetch(route: (url: URL) => Reply): { fetch: typeof fetch; urls: URL[] } {
  const urls: URL[] = [];
  const f = (async (input: string | URL | Request) => {
    const url = new URL(String(input));
    urls.push(url);
    const r = route(url);
    return new Response(typeof r.body === 'string' ? r.body : JSON.stringify(r.body), { status: r.status ?? 200, headers: r.headers });
  }) as typeof fetch;
  return { fetch: f, urls };
}

const ok = (result: unknown) => ({ body: { retCode: 0, retMsg: 'OK', result, retExtInfo: {}, time: 1 } });
const rest = (f: typeof fetch, retries = 3) => new BybitRest({ baseUrl: 'http://bybit.test', fetch: f, retries, backoff: { minMs: 1, maxMs: 5 } });

describe('bybit REST: errors and rate limits', () => {
  it('retCode 10006 and HTTP 403 "access too frequent" are retried; the result comes through', async () => {
    const replies: Reply[] = [
      { body: { retCode: 10006, retMsg: 'Too many visits!', result: {} } },
      { status: 403, body: 'access too frequent' },
      ok({ list: [] }),
    ];
    const s = stubFetch(() => replies.shift()!);
    await expect(rest(s.fetch).get('/v5/market/kline', { category: 'spot', symbol: 'BTCUSDT' })).resolves.toEqual({ list: [] });
    expect(s.urls).toHaveLength(3);
    expect(s.urls[0]!.searchParams.get('symbol')).toBe('BTCUSDT');
  });

  it('a rate limit that outlasts the retries surfaces as an error naming it', async () => {
    const s = stubFetch(() => ({ status: 429, body: '{}' }));
    await expect(rest(s.fetch, 2).get('/v5/market/kline', {})).rejects.toThrow('bybit GET /v5/market/kline: rate limited (HTTP 429 {}) (gave up after 3 attempts)');
    expect(s.urls).toHaveLength(3);
  });

  it('another retCode is an API error at once (HTTP 200, no retry)', async () => {
    const s = stubFetch(() => ({ body: { retCode: 10001, retMsg: 'params error: symbol invalid', result: {} } }));
    const e = await rest(s.fetch).get('/v5/market/kline', {}).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(BybitApiError);
    expect((e as BybitApiError).retCode).toBe(10001);
    expect((e as Error).message).toBe('bybit GET /v5/market/kline: retCode 10001: params error: symbol invalid');
    expect(s.urls).toHaveLength(1);
  });

  it('a reply that is not JSON or has no retCode is an error', async () => {
    await expect(rest(stubFetch(() => ({ body: '<html>' })).fetch).get('/x', {})).rejects.toThrow('not JSON: <html>');
    await expect(rest(stubFetch(() => ({ body: { result: {} } })).fetch).get('/x', {})).rejects.toThrow('no retCode');
  });
});

/** A venue with 1 m candles from `firstMin` to `lastMin` (minute numbers), paging newest-first like Bybit. */
function klineVenue(firstMin: number, lastMin: number) {
  return stubFetch((url) => {
    const end = Number(url.searchParams.get('end'));
    const limit = Number(url.searchParams.get('limit'));
    if (!(limit >= 1 && limit <= 1000)) return { body: { retCode: 10001, retMsg: `limit ${limit}`, result: {} } };
    const list: string[][] = [];
    for (let m = Math.min(lastMin, Math.floor(end / 60_000)); m >= firstMin && list.length < limit; m--) {
      list.push([String(m * 60_000), String(m), String(m + 2), String(m - 1), String(m + 1), '1.5', '0']);
    }
    return ok({ symbol: url.searchParams.get('symbol'), category: url.searchParams.get('category'), list });
  });
}

describe('bybit klines: paging', () => {
  it('2,300 rows come as pages of 1000, 1000 and 300, newest page first, returned ascending before endTime', async () => {
    const v = klineVenue(10_000, 20_000);
    const endTime = 15_000 * 60; // exclusive: the candle starting at minute 15000 is not included
    const rows = await minuteBars(rest(v.fetch), 'linear', 'BTCUSDT', endTime, 2_300);
    expect(v.urls.map((u) => [u.searchParams.get('limit'), u.searchParams.get('end')])).toEqual([
      ['1000', String(15_000 * 60_000 - 1)],
      ['1000', String(14_000 * 60_000 - 1)],
      ['300', String(13_000 * 60_000 - 1)],
    ]);
    expect(v.urls[0]!.searchParams.get('interval')).toBe('1');
    expect(v.urls[0]!.searchParams.get('category')).toBe('linear');
    expect(rows.length).toBe(2_300);
    expect(rows.time[0]).toBe((15_000 - 2_300) * 60);
    expect(rows.time[rows.length - 1]).toBe(14_999 * 60);
    expect([...rows.time].every((t, i) => i === 0 || t - rows.time[i - 1]! === 60)).toBe(true);
    expect([rows.open[0], rows.high[0], rows.low[0], rows.close[0], rows.volume[0]]).toEqual([12_700, 12_702, 12_699, 12_701, 1.5]);
  });

  it('the listing start ends the paging: a short page, then nothing older is asked for', async () => {
    const v = klineVenue(10_000, 20_000);
    const rows = await minuteBars(rest(v.fetch), 'spot', 'BTCUSDT', 10_500 * 60, 2_000);
    expect(rows.length).toBe(500);
    expect(v.urls).toHaveLength(1);
    const none = await minuteBars(rest(v.fetch), 'spot', 'BTCUSDT', 10_000 * 60, 100);
    expect(none.length).toBe(0);
  });

  it('a malformed candle row fails the request with the row in the message', async () => {
    const v = stubFetch(() => ok({ list: [['1670608800000', '17071', 'x', '17027', '17055.5', '268611', '15.7']] }));
    await expect(minuteBars(rest(v.fetch), 'spot', 'BTCUSDT', 1670608900, 10)).rejects.toThrow(/malformed row/);
  });
});

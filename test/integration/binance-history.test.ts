import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError, type BackendContext } from '../../core/brokers/backend.js';
import { BinanceBackend } from '../../core/brokers/binance/backend.js';
import { FakeBinance } from '../fakes/binance-server.js';
import type { TapeBar } from '../fakes/trade-tape.js';

function ctxFor(fake: FakeBinance, cacheDir = mkdtempSync(join(tmpdir(), 'cw-bn-')), logs: string[] = []): BackendContext {
  return { seed: 1, rate: 1, cacheDir, config: fake.config(), log: (l) => logs.push(l) };
}

function rowsOf(h: { time: Float64Array; open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array; volume: Float64Array; length: number }) {
  return Array.from({ length: h.length }, (_, i) => ({ time: h.time[i]!, open: h.open[i]!, high: h.high[i]!, low: h.low[i]!, close: h.close[i]!, volume: h.volume[i]! }));
}

function expectBars(got: ReturnType<typeof rowsOf>, want: TapeBar[]): void {
  expect(got.map((r) => r.time)).toEqual(want.map((b) => b.time));
  for (const [i, b] of want.entries()) {
    expect([got[i]!.open, got[i]!.high, got[i]!.low, got[i]!.close]).toEqual([b.open, b.high, b.low, b.close]);
    expect(got[i]!.volume).toBeCloseTo(b.volume, 6);
  }
}

describe('Binance backend: markets and history against the fake venue', () => {
  let fake: FakeBinance;
  let backend: BinanceBackend;
  const cacheDir = mkdtempSync(join(tmpdir(), 'cw-bn-cache-'));

  beforeAll(async () => {
    fake = await FakeBinance.start({ rate: 4, historyMs: 50 * 60_000 });
    backend = new BinanceBackend(ctxFor(fake, cacheDir), { rest: { retryBaseMs: 10 } });
  });
  afterAll(async () => {
    backend.close();
    await fake.close();
  });

  it('maps exchangeInfo to exact market metadata for spot and USD-M, and caches it on disk', async () => {
    const spot = await backend.getMktInfo('BTCUSDT.SPOT.BINANCE');
    expect(spot).toMatchObject({ fqme: 'btcusdt.spot.binance', venue: 'spot', expiry: null, bsMktid: 'BTCUSDT', priceTick: '0.01', sizeTick: '0.00001', minSize: '0.00001', minNotional: '5' });
    expect(spot.dst).toEqual({ name: 'btc', atype: 'crypto', txTick: '0.00000001' });
    expect(spot.src.atype).toBe('stable');
    const perp = await backend.getMktInfo('btcusdt.usdtm.perp.binance');
    expect(perp).toMatchObject({ venue: 'usdtm', expiry: 'perp', bsMktid: 'BTCUSDT', priceTick: '0.1', sizeTick: '0.001', minNotional: '5' });
    const cached = JSON.parse(readFileSync(join(cacheDir, 'instruments.json'), 'utf8'));
    expect(cached.data.spot.map((m: { symbol: string }) => m.symbol)).toEqual(['BTCUSDT', 'ETHUSDT']);
  });

  it('says not found, with suggestions, for an unknown symbol', async () => {
    await expect(backend.getMktInfo('btcusdx.spot.binance')).rejects.toBeInstanceOf(NotFoundError);
    await expect(backend.getMktInfo('btcusdx.spot.binance')).rejects.toThrow(/unknown symbol 'btcusdx.spot.binance'.*did you mean btcusdt/);
    await expect(backend.getMktInfo('not-an-fqme')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('searches spot and perpetual markets', async () => {
    const found = await backend.searchSymbols('eth', 10);
    expect(found.map((m) => m.fqme).sort()).toEqual(['ethusdt.spot.binance', 'ethusdt.usdtm.perp.binance']);
    expect(found[0]!.description).toMatch(/ETH\/USDT/);
  });

  it('pages 1 s klines backwards, 1000 per request, and equals the tape', async () => {
    const end = Math.floor(Date.now() / 1000) - 5;
    const before = fake.spot.httpLog.filter((r) => r.path === '/api/v3/klines').length;
    const h = await backend.history('btcusdt.spot.binance', 1, end, 2_500);
    const reqs = fake.spot.httpLog.filter((r) => r.path === '/api/v3/klines').slice(before);
    expect(reqs.map((r) => r.query.get('limit'))).toEqual(['1000', '1000', '500']);
    expect(reqs.map((r) => r.query.get('interval'))).toEqual(['1s', '1s', '1s']);
    // Newest window first, then backwards without overlap.
    expect(Number(reqs[0]!.query.get('endTime'))).toBe((end - 1) * 1000);
    expect(Number(reqs[1]!.query.get('endTime'))).toBe(Number(reqs[0]!.query.get('startTime')) - 1000);
    expect(h.length).toBe(2_500);
    expectBars(rowsOf(h), fake.tape('spot', 'BTCUSDT').bars(1, end - 2_500, end));
  });

  it('stops at the start of the venue history, and 1 m / USD-M candles match their tapes', async () => {
    const end = Math.floor(Date.now() / 60_000) * 60;
    const spot = await backend.history('ethusdt.spot.binance', 60, end, 5_000);
    expect(spot.length).toBeGreaterThan(40);
    expect(spot.length).toBeLessThan(60);
    expectBars(rowsOf(spot), fake.tape('spot', 'ETHUSDT').bars(60, end - 5_000 * 60, end));
    const perp = await backend.history('btcusdt.usdtm.perp.binance', 60, end, 20);
    expectBars(rowsOf(perp), fake.tape('usdtm', 'BTCUSDT').bars(60, end - 20 * 60, end));
    expect(fake.futures.httpLog.some((r) => r.path === '/fapi/v1/klines')).toBe(true);
  });

  it('has no 1 s candles for USD-M futures: an empty result, no request', async () => {
    const n = fake.futures.httpLog.length;
    const h = await backend.history('btcusdt.usdtm.perp.binance', 1, Math.floor(Date.now() / 1000), 100);
    expect(h.length).toBe(0);
    expect(fake.futures.httpLog.length).toBe(n);
  });

  it('retries a 429 after Retry-After, then gives up after a bounded number of attempts', async () => {
    const tooMany = { status: 429, body: { code: -1003, msg: 'Too many requests; current limit is 6000 request weight per 1 MINUTE.' }, headers: { 'retry-after': '0' } };
    fake.spot.failHttp({ path: '/api/v3/klines', count: 2, reply: tooMany });
    const end = Math.floor(Date.now() / 60_000) * 60;
    const h = await backend.history('btcusdt.spot.binance', 60, end, 10);
    expect(h.length).toBe(10);
    fake.spot.failHttp({ path: '/api/v3/klines', count: 5, reply: tooMany }); // the first try and 4 retries
    await expect(backend.history('btcusdt.spot.binance', 60, end, 10)).rejects.toThrow(/HTTP 429 -1003 .*gave up after 4 retries/);
  });

  it('surfaces a 418 ban at once and sends nothing more until it ends', async () => {
    const own = new BinanceBackend(ctxFor(fake));
    await own.getMktInfo('btcusdt.spot.binance');
    fake.spot.failHttp({ path: '/api/v3/klines', count: 1, reply: { status: 418, body: { code: -1003, msg: 'Way too many requests; IP banned.' }, headers: { 'retry-after': '120' } } });
    const end = Math.floor(Date.now() / 60_000) * 60;
    await expect(own.history('btcusdt.spot.binance', 60, end, 10)).rejects.toThrow(/418.*banned for 120 s/);
    const n = fake.spot.httpLog.length;
    await expect(own.history('btcusdt.spot.binance', 60, end, 10)).rejects.toThrow(/banned this IP \(418\) for another 1[12]\d s/);
    expect(fake.spot.httpLog.length).toBe(n);
    own.close();
  });

  it('resolves markets from the disk cache when the venue is unreachable', async () => {
    const logs: string[] = [];
    const offline = new BinanceBackend({ seed: 1, rate: 1, cacheDir, config: { ...fake.config(), rest_url: 'http://127.0.0.1:9', futures_rest_url: 'http://127.0.0.1:9' }, log: (l) => logs.push(l) }, { rest: { maxRetries: 0 } });
    expect((await offline.getMktInfo('ethusdt.usdtm.perp.binance')).priceTick).toBe('0.01');
    for (let i = 0; i < 100 && !logs.some((l) => /instrument refresh failed \(keeping the cached table\)/.test(l)); i++) await new Promise((r) => setTimeout(r, 20));
    expect(logs.some((l) => /instrument refresh failed \(keeping the cached table\)/.test(l))).toBe(true);
    offline.close();
  });
});

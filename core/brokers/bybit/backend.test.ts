import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NotFoundError } from '../backend.js';
import { BACKENDS, createDataBackend } from '../index.js';
import { BybitBackend } from './backend.js';
import { rig, until, type Rig } from './fake-backend.test-util.js';

let r: Rig;
afterEach(async () => r?.close());

describe('bybit registration', () => {
  it('is a datad-only backend (no brokerd: emsd answers paper), created by createDataBackend', async () => {
    expect(BACKENDS.bybit).toEqual({ datad: true, brokerd: false });
    r = await rig();
    const b = createDataBackend('bybit', { seed: 1, rate: 1, cacheDir: r.dir, config: { rest_url: r.fake.restUrl, ws_url: r.fake.wsUrl }, log: () => {} });
    expect(b).toBeInstanceOf(BybitBackend);
    expect((await b.getMktInfo('ethusdt.linear.perp.bybit')).broker).toBe('bybit');
    b.close();
  });
});

describe('bybit backend against the fake venue: instruments', () => {
  it('getMktInfo maps spot and linear BTCUSDT with exact ticks and minimums, and writes the cache', async () => {
    r = await rig({ linearPageSize: 1 });
    expect(await r.backend.getMktInfo('btcusdt.spot.bybit')).toMatchObject({ fqme: 'btcusdt.spot.bybit', venue: 'spot', bsMktid: 'BTCUSDT', priceTick: '0.1', sizeTick: '0.000001', minSize: '0.000001', minNotional: '5' });
    expect(await r.backend.getMktInfo('BTCUSDT.LINEAR.PERP.BYBIT')).toMatchObject({ fqme: 'btcusdt.linear.perp.bybit', venue: 'linear', expiry: 'perp', priceTick: '0.10', sizeTick: '0.001', minNotional: '5' });
    // Linear came in pages of one: every contract is there.
    expect((await r.backend.getMktInfo('ethusdt.linear.perp.bybit')).sizeTick).toBe('0.01');
    const cursors = r.fake.venue.httpLog.filter((q) => q.query.get('category') === 'linear').map((q) => q.query.get('cursor'));
    expect(cursors).toEqual([null, '1']);
    const file = join(r.dir, 'instruments.json');
    expect(existsSync(file)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8')).data.spot).toHaveLength(2);
  });

  it('an unknown symbol is NotFoundError with the naming and near matches in the message', async () => {
    r = await rig();
    const e = await r.backend.getMktInfo('btcusd.spot.bybit').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NotFoundError);
    expect((e as Error).message).toMatch(/^unknown symbol 'btcusd.spot.bybit': bybit lists 2 spot and 2 linear markets, named like btcusdt.spot.bybit, btcusdt.linear.perp.bybit/);
    expect((e as Error).message).toMatch(/did you mean .*btcusdt/);
    await expect(r.backend.getMktInfo('not an fqme')).rejects.toBeInstanceOf(NotFoundError);
    await expect(r.backend.history('xyzusdt.spot.bybit', 60, 1e9, 10)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('a cached table answers when the venue fails, and the failed refresh keeps it', async () => {
    r = await rig();
    await r.backend.getMktInfo('btcusdt.spot.bybit');
    r.fake.venue.failHttp({ path: '/v5/market/instruments-info', count: 1_000, reply: { status: 500, body: 'down' } });
    const offline = r.another({ restRetries: 0 });
    expect((await offline.getMktInfo('ethusdt.spot.bybit')).priceTick).toBe('0.01');
    expect((await offline.searchSymbols('eth', 10)).map((m) => m.fqme).sort()).toEqual(['ethusdt.linear.perp.bybit', 'ethusdt.spot.bybit']);
    await until('the failed refresh', () => r.logs.some((l) => /instrument refresh failed \(keeping the cached table\)/.test(l)));
    expect((await offline.getMktInfo('btcusdt.linear.perp.bybit')).priceTick).toBe('0.10');
  });

  it('search ranks by the fqme and description; without any table and no venue it fails fast', async () => {
    r = await rig();
    const found = await r.backend.searchSymbols('btc perp', 5);
    expect(found[0]).toMatchObject({ fqme: 'btcusdt.linear.perp.bybit', broker: 'bybit', name: 'btcusdt', description: 'BTC/USDT linear perpetual (Bybit)' });
    const dir = mkdtempSync(join(tmpdir(), 'bybit-dead-'));
    const dead = new BybitBackend({ seed: 1, rate: 1, cacheDir: dir, config: { rest_url: 'http://127.0.0.1:9' }, log: () => {} }, { restRetries: 0, searchWaitMs: 200 });
    const t0 = Date.now();
    await expect(dead.searchSymbols('eth', 5)).rejects.toThrow('bybit instruments are not loaded yet (venue unreachable?)');
    expect(Date.now() - t0).toBeLessThan(1_000);
    // Right after a failed download a search does not wait on the venue again.
    const t1 = Date.now();
    await expect(dead.searchSymbols('btc', 5)).rejects.toThrow('not loaded yet');
    expect(Date.now() - t1).toBeLessThan(100);
    dead.close();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('bybit backend against the fake venue: history', () => {
  it('1 m history equals the tape bars for the same range, ascending, before endTime', async () => {
    r = await rig({ historyMinutes: 90, rate: 5 });
    const endTime = Math.floor(Date.now() / 60_000) * 60 - 60;
    const rows = await r.backend.history('btcusdt.linear.perp.bybit', 60, endTime, 60);
    const bars = r.fake.tape('linear', 'BTCUSDT').bars(60, endTime - 3_600, endTime);
    expect(rows.length).toBe(60);
    expect([...rows.time]).toEqual(bars.map((b) => b.time));
    expect([...rows.open]).toEqual(bars.map((b) => b.open));
    expect([...rows.high]).toEqual(bars.map((b) => b.high));
    expect([...rows.low]).toEqual(bars.map((b) => b.low));
    expect([...rows.close]).toEqual(bars.map((b) => b.close));
    rows.volume.forEach((v, i) => expect(v).toBeCloseTo(bars[i]!.volume, 9));
  });

  it('more than 1000 rows page backwards from the newest; the listing start ends it', async () => {
    r = await rig({ historyMinutes: 2_500, rate: 0.05 });
    const endTime = Math.floor(Date.now() / 60_000) * 60;
    const rows = await r.backend.history('ethusdt.spot.bybit', 60, endTime, 3_000);
    const bars = r.fake.tape('spot', 'ETHUSDT').bars(60, 0, endTime);
    expect(rows.length).toBe(bars.length);
    expect(rows.length).toBeGreaterThan(2_000);
    expect([...rows.time]).toEqual(bars.map((b) => b.time));
    expect([...rows.close]).toEqual(bars.map((b) => b.close));
    const limits = r.fake.venue.httpLog.filter((q) => q.path === '/v5/market/kline').map((q) => q.query.get('limit'));
    expect(limits).toEqual(['1000', '1000', '1000']);
  });

  it('rate limits on klines (retCode 10006, HTTP 403) are retried; past the retries the error surfaces', async () => {
    r = await rig({ rate: 5, historyMinutes: 15 });
    const endTime = Math.floor(Date.now() / 60_000) * 60;
    r.fake.rateLimitKlines(1, 'retCode');
    r.fake.rateLimitKlines(1, 'http403');
    expect((await r.backend.history('btcusdt.spot.bybit', 60, endTime, 10)).length).toBe(10);
    expect(r.fake.venue.httpLog.filter((q) => q.path === '/v5/market/kline')).toHaveLength(3);
    r.fake.rateLimitKlines(10, 'retCode');
    await expect(r.backend.history('btcusdt.spot.bybit', 60, endTime, 10)).rejects.toThrow(/rate limited \(retCode 10006 Too many visits!\) \(gave up after 4 attempts\)/);
  });

  it('there are no 1 s candles: history at 1 s is empty without asking the venue', async () => {
    r = await rig();
    const rows = await r.backend.history('btcusdt.spot.bybit', 1, Math.floor(Date.now() / 1000), 100);
    expect(rows.length).toBe(0);
    expect(r.fake.venue.httpLog.filter((q) => q.path === '/v5/market/kline')).toHaveLength(0);
  });
});

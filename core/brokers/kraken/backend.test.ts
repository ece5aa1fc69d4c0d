import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError } from '../backend.js';
import { FakeKraken } from '../../../test/fakes/kraken-server.js';
import { KrakenBackend } from './backend.js';

const RATE_LIMITED = { body: { error: ['EAPI:Rate limit exceeded'] } };
const FAST_RETRY = { attempts: 3, backoff: { minMs: 10, maxMs: 20 } };

let fake: FakeKraken;
let dir: string;
const logs: string[] = [];
const backends: KrakenBackend[] = [];

function backend(extra: Record<string, string | number> = {}): KrakenBackend {
  const b = new KrakenBackend(
    {
      seed: 1,
      rate: 1,
      cacheDir: dir,
      config: { rest_url: fake.restUrl, ws_url: fake.wsUrl, stale_ms: 400, reconnect_min_ms: 50, reconnect_max_ms: 100, ...extra },
      log: (l) => logs.push(l),
    },
    { retry: FAST_RETRY, pingMs: 100 },
  );
  backends.push(b);
  return b;
}

beforeEach(async () => {
  fake = await FakeKraken.start({ historyMinutes: 40 });
  dir = mkdtempSync(join(tmpdir(), 'kraken-'));
  logs.length = 0;
});

afterEach(async () => {
  for (const b of backends.splice(0)) b.close();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('kraken datad: instruments', () => {
  it('maps AssetPairs to exact MktPairs, caches them on disk and says what is listed for an unknown symbol', async () => {
    const b = backend();
    expect(await b.getMktInfo('xbtusd.spot.kraken')).toEqual({
      fqme: 'xbtusd.spot.kraken',
      broker: 'kraken',
      venue: 'spot',
      expiry: null,
      bsMktid: 'BTC/USD',
      dst: { name: 'xbt', atype: 'crypto', txTick: '0.00000001' },
      src: { name: 'usd', atype: 'fiat', txTick: '0.00001' },
      priceTick: '0.1',
      sizeTick: '0.00000001',
      minSize: '0.0001',
      minNotional: '0.5',
    });
    expect((await b.getMktInfo('ETHUSD.SPOT.KRAKEN')).priceTick).toBe('0.01');
    await expect(b.getMktInfo('btcusd.spot.kraken')).rejects.toThrow(NotFoundError);
    await expect(b.getMktInfo('btcusd.spot.kraken')).rejects.toThrow(/no pair with altname 'BTCUSD'.*xbtusd\.spot\.kraken/);
    await expect(b.getMktInfo('garbage')).rejects.toThrow(NotFoundError);
    const found = await b.searchSymbols('xbt', 5);
    expect(found[0]).toMatchObject({ fqme: 'xbtusd.spot.kraken', broker: 'kraken', name: 'xbtusd' });
    expect(JSON.parse(readFileSync(join(dir, 'instruments.json'), 'utf8')).data.XXBTZUSD.altname).toBe('XBTUSD');
  });

  it('starts from the cache when the venue fails, and a failed refresh keeps it', async () => {
    await backend().getMktInfo('xbtusd.spot.kraken');
    fake.venue.failHttp({ path: '/0/public/AssetPairs', count: 100, reply: { status: 503, body: 'down' } });
    const b = backend();
    expect((await b.getMktInfo('xbtusd.spot.kraken')).minSize).toBe('0.0001');
    await new Promise((r) => setTimeout(r, 50));
    expect(logs.some((l) => l.includes('instrument refresh failed (keeping the cached table)'))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'instruments.json'), 'utf8')).data.XETHZUSD).toBeDefined();
  });
});

describe('kraken datad: history', () => {
  it('returns 1 m candles equal to the tape, ascending, time < endTime; no 1 s candles', async () => {
    const b = backend();
    const end = Math.floor(Date.now() / 60_000) * 60;
    const rows = await b.history('xbtusd.spot.kraken', 60, end, 30);
    const bars = fake.tape().bars(60, end - 30 * 60, end);
    expect(rows.length).toBe(30);
    expect(Array.from(rows.time)).toEqual(bars.map((x) => x.time));
    expect(Array.from(rows.open)).toEqual(bars.map((x) => Number(fake.tape().fmt(x.open))));
    expect(Array.from(rows.high)).toEqual(bars.map((x) => Number(fake.tape().fmt(x.high))));
    expect(Array.from(rows.low)).toEqual(bars.map((x) => Number(fake.tape().fmt(x.low))));
    expect(Array.from(rows.close)).toEqual(bars.map((x) => Number(fake.tape().fmt(x.close))));
    rows.volume.forEach((v, i) => expect(v).toBeCloseTo(bars[i]!.volume, 7));
    expect((await b.history('xbtusd.spot.kraken', 1, end, 100)).length).toBe(0);
    const calls = fake.venue.httpLog.filter((r) => r.path === '/0/public/OHLC');
    expect(calls.at(-1)!.query.get('pair')).toBe('XBTUSD');
    expect(calls.at(-1)!.query.get('since')).toBe(String(end - 31 * 60));
  });

  it('gives no rows before the newest 720 candles (the venue keeps no older ones): the backfill ends', async () => {
    const b = backend();
    const end = Math.floor(Date.now() / 60_000) * 60 - 721 * 60;
    expect((await b.history('xbtusd.spot.kraken', 60, end, 100)).length).toBe(0);
  });

  it('retries a rate-limited OHLC call, then surfaces the venue error when it persists', async () => {
    const b = backend();
    await b.getMktInfo('xbtusd.spot.kraken');
    const end = Math.floor(Date.now() / 60_000) * 60;
    fake.venue.failHttp({ path: '/0/public/OHLC', count: 2, reply: RATE_LIMITED });
    expect((await b.history('xbtusd.spot.kraken', 60, end, 10)).length).toBe(10);
    expect(fake.venue.httpLog.filter((r) => r.path === '/0/public/OHLC')).toHaveLength(3);
    fake.venue.failHttp({ path: '/0/public/OHLC', count: 3, reply: { status: 429, body: '' } });
    await expect(b.history('xbtusd.spot.kraken', 60, end, 10)).rejects.toThrow(/HTTP 429/);
    fake.venue.failHttp({ path: '/0/public/OHLC', count: 1, reply: { body: { error: ['EGeneral:Too many requests'] } } });
    expect((await b.history('xbtusd.spot.kraken', 60, end, 10)).length).toBe(10);
    expect(logs.filter((l) => l.includes('rate limited')).length).toBeGreaterThanOrEqual(5);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrokerdMsg, BrokerdOrder } from '../../protocol/orders.js';
import { mulDec, roundDec } from '../../protocol/decimal.js';
import type { MktPair } from '../../protocol/types.js';
import { FakeKraken } from '../../../test/fakes/kraken-server.js';
import { KrakenPrivate } from '../../../test/fakes/kraken-private.js';
import { KrakenBackend } from './backend.js';
import { KrakenDialog } from './dialog.js';
import { canon } from './executions.js';

/** A fake Kraken with its private side, the markets it lists, and dialogs that record what they emit and log. */
export const API_KEY = 'kR4kenTestKey+abc/DEF0123456789xyzXYZ';
export const API_SECRET = Buffer.from('a test secret that must never be logged, 64 bytes of it!!!!!!!!').toString('base64');

export interface Harness {
  fake: FakeKraken;
  priv: KrakenPrivate;
  markets: Map<string, MktPair>;
  logs: string[];
  dialogs: KrakenDialog[];
  dialog(o?: { apiKey?: string; apiSecret?: string }): { d: KrakenDialog; msgs: BrokerdMsg[] };
  close(): Promise<void>;
}

export async function startHarness(balances?: Record<string, string>): Promise<Harness> {
  const fake = await FakeKraken.start({ historyMinutes: 1, rate: 20 });
  const priv = new KrakenPrivate(fake, { apiKey: API_KEY, apiSecret: API_SECRET }, balances);
  const dir = mkdtempSync(join(tmpdir(), 'kraken-dialog-'));
  const logs: string[] = [];
  const backend = new KrakenBackend({ seed: 1, rate: 1, cacheDir: dir, config: { rest_url: fake.restUrl, ws_url: fake.wsUrl }, log: (l) => logs.push(l) });
  const markets = new Map<string, MktPair>();
  for (const f of ['xbtusd.spot.kraken', 'ethusd.spot.kraken']) markets.set(f, await backend.getMktInfo(f));
  backend.close();
  const h: Harness = {
    fake,
    priv,
    markets,
    logs,
    dialogs: [],
    dialog(o = {}) {
      const msgs: BrokerdMsg[] = [];
      const d = new KrakenDialog({
        restUrl: fake.restUrl,
        wsAuthUrl: fake.wsAuthUrl,
        apiKey: o.apiKey ?? API_KEY,
        apiSecret: o.apiSecret ?? API_SECRET,
        market: (f) => markets.get(f),
        log: (l) => logs.push(l),
        retry: { attempts: 3, backoff: { minMs: 10, maxMs: 20 } },
        staleMs: 300,
        backoff: { minMs: 30, maxMs: 60 },
        pingMs: 200,
        answerTimeoutMs: 600,
      });
      h.dialogs.push(d);
      return { d, msgs };
    },
    async close() {
      for (const d of h.dialogs) await d.close();
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

/** A connected dialog once the tape quotes (orders are priced off the quote). */
export async function connected(h: Harness): Promise<{ d: KrakenDialog; msgs: BrokerdMsg[] }> {
  const x = h.dialog();
  await x.d.connect((m) => x.msgs.push(m));
  await until('quote', () => h.fake.tape().quote !== null);
  return x;
}

/** The tape's bid or ask times `factor`, on the BTC/USD tick (0.1): a resting price away from the market. */
export function offQuote(h: Harness, side: 'bid' | 'ask', factor: string): string {
  const t = h.fake.tape();
  const px = t.fmt(side === 'bid' ? t.quote!.bid : t.quote!.ask);
  return canon(roundDec(mulDec(px, factor), 1, side === 'bid' ? 'down' : 'up'));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(what: string, cond: () => boolean, ms = 4_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

let n = 0;
export function order(fields: Partial<BrokerdOrder> & Pick<BrokerdOrder, 'price' | 'size' | 'action'>): BrokerdOrder {
  return { oid: `0b5e${String(++n).padStart(4, '0')}-8d1c-4c2e-9a41-${Date.now().toString(16).padStart(12, '0').slice(-12)}`, account: 'live', time: Date.now(), fqme: 'xbtusd.spot.kraken', reqid: null, ...fields };
}

/** Messages of one type, narrowed. */
export function of<T extends BrokerdMsg['type']>(msgs: BrokerdMsg[], type: T): Extract<BrokerdMsg, { type: T }>[] {
  return msgs.filter((m): m is Extract<BrokerdMsg, { type: T }> => m.type === type);
}

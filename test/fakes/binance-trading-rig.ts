import { BinanceDialog } from '../../core/brokers/binance/dialog.js';
import { marketsFromInfo } from '../../core/brokers/binance/markets.js';
import type { BrokerdMsg, BrokerdOrder } from '../../core/protocol/orders.js';
import type { MktPair } from '../../core/protocol/types.js';
import { exchangeInfo } from './binance-rest.js';
import { FakeBinance } from './binance-server.js';
import { FakeBinancePrivate } from './binance-private.js';

export { until } from './binance-stream-rig.js';

/** A fake Binance with its private side, and dialogs against it: what the brokerd tests share. */
export const API_KEY = 'rigKey-7Hq2vXcN0pLmA9sD3fG5jK8';
export const API_SECRET = 'rigSecret-Zx4Cv6Bn8Mq1Wr3Ty5Ui7Op9';
export const BTC = 'btcusdt.spot.binance';

export interface Rig {
  fake: FakeBinance;
  priv: FakeBinancePrivate;
  markets: Map<string, MktPair>;
  logs: string[];
  dialog(opts?: { secret?: string; now?: () => number }): BinanceDialog;
  close(): Promise<void>;
}

export async function startRig(balances: Record<string, string> = { USDT: '100000', BTC: '1' }): Promise<Rig> {
  const fake = await FakeBinance.start({ rate: 40, historyMs: 10_000 });
  const priv = new FakeBinancePrivate(fake, { apiKey: API_KEY, apiSecret: API_SECRET, balances });
  const markets = new Map(marketsFromInfo('spot', exchangeInfo('spot', fake.tapes.spot)).markets.map((m) => [m.mkt.fqme, m.mkt]));
  const logs: string[] = [];
  const dialogs: BinanceDialog[] = [];
  return {
    fake,
    priv,
    markets,
    logs,
    dialog: (opts = {}) => {
      const d = new BinanceDialog({
        restUrl: fake.spot.httpUrl,
        wsApiUrl: `${fake.spot.wsUrl}/ws-api/v3`,
        apiKey: API_KEY,
        apiSecret: opts.secret ?? API_SECRET,
        market: (f) => markets.get(f),
        log: (l) => logs.push(l),
        now: opts.now,
        staleMs: 2_000,
        backoff: { minMs: 20, maxMs: 60 },
        rest: { retryBaseMs: 10 },
      });
      dialogs.push(d);
      return d;
    },
    close: async () => {
      await Promise.all(dialogs.map((d) => d.close()));
      await fake.close();
    },
  };
}

let n = 0;
export function order(fields: Partial<BrokerdOrder> & { price: string; size: string }): BrokerdOrder {
  return { oid: `oid-${Date.now()}-${n++}`, account: 'live', time: Date.now(), fqme: BTC, action: 'buy', reqid: null, ...fields };
}

/** The messages about one oid / its venue orders, in order. */
export function about(msgs: BrokerdMsg[], oid: string): BrokerdMsg[] {
  const reqids = new Set(msgs.filter((m) => m.type === 'ack' && m.oid === oid).map((m) => (m as { reqid: string }).reqid));
  return msgs.filter((m) => ('oid' in m && m.oid === oid) || ('reqid' in m && m.reqid !== null && reqids.has(m.reqid)));
}

/** The newest BTCUSDT trade price on the fake's tape, as a decimal string. */
export function lastPrice(rig: Rig): string {
  const tape = rig.fake.tape('spot', 'BTCUSDT');
  return tape.fmt(tape.trades[tape.trades.length - 1]!.price);
}

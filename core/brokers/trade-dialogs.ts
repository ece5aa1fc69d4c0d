import type { MktPair } from '../protocol/types.js';
import type { TradeDialog } from './trade-dialog.js';
import { createBinanceDialog } from './binance/index.js';
import { createKrakenDialog } from './kraken/index.js';

export interface DialogInit {
  /** The venue's config section (URLs); `api_key`/`api_secret` hold the resolved (decrypted) keys. */
  section: Record<string, string | number>;
  market: (fqme: string) => MktPair | undefined;
  log: (line: string) => void;
}

/** brokerd trade dialogs this build has, by broker: each returns null without keys. */
const FACTORIES: Record<string, (init: DialogInit) => TradeDialog | null> = {
  binance: (i) => createBinanceDialog(i.section, i.market, i.log),
  kraken: (i) => createKrakenDialog(i.section, i.market, i.log),
};

export function createTradeDialog(broker: string, init: DialogInit): TradeDialog | null {
  return FACTORIES[broker]?.(init) ?? null;
}

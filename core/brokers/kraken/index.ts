import type { MktPair } from '../../protocol/types.js';
import { krakenSection } from './backend.js';
import { KrakenDialog } from './dialog.js';

export { KrakenBackend } from './backend.js';
export { KrakenDialog } from './dialog.js';

/**
 * brokerd.kraken's dialog from the `[kraken]` config section (with api_key/api_secret), or null when either
 * credential is empty: the account then trades paper only.
 */
export function createKrakenDialog(section: Record<string, string | number>, market: (fqme: string) => MktPair | undefined, log: (line: string) => void): KrakenDialog | null {
  const apiKey = String(section.api_key ?? '');
  const apiSecret = String(section.api_secret ?? '');
  if (!apiKey || !apiSecret) return null;
  const cfg = krakenSection(section);
  return new KrakenDialog({
    restUrl: cfg.rest_url,
    wsAuthUrl: String(section.ws_auth_url ?? 'wss://ws-auth.kraken.com/v2'),
    apiKey,
    apiSecret,
    market,
    log,
    staleMs: cfg.stale_ms,
    backoff: { minMs: cfg.reconnect_min_ms, maxMs: cfg.reconnect_max_ms },
  });
}

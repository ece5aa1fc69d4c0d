import { ApiError, type ApiClient } from '../../core/protocol/client.js';
import type { HistoryGap } from '../../core/protocol/messages.js';
import type { Timeframe } from '../../core/protocol/types.js';

/** A burst of `gaps` events (a repair recording several runs) costs one history.gaps request. */
export const GAPS_DEBOUNCE_MS = 200;
/** A failed request (datad restarting, say) is asked again after this, doubling up to GAPS_RETRY_MAX_MS. */
export const GAPS_RETRY_MS = 1_000;
const GAPS_RETRY_MAX_MS = 30_000;

/**
 * Keeps `onGaps` told the recorded history gaps of one market in one timeframe: asked once, then again after the host
 * says that market's gaps changed (the `gaps` event, sent when datad records, extends or forgets one). One request in
 * flight at a time, so an older answer never overwrites a newer one. A backend whose history is not stored (the sim
 * by default) has none: not_found is an empty list. Other failures keep the last list and ask again with backoff
 * (no event may come to trigger it).
 * Returns the stop function.
 */
export function watchHistoryGaps(
  client: ApiClient,
  fqme: string,
  timeframe: Timeframe,
  onGaps: (gaps: HistoryGap[]) => void,
  debounceMs = GAPS_DEBOUNCE_MS,
  retryMs = GAPS_RETRY_MS,
): () => void {
  let stopped = false;
  let backoff = retryMs;
  let retry: ReturnType<typeof setTimeout> | null = null;
  let inFlight = false;
  let again = false;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const ask = (): void => {
    if (stopped) return;
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    again = false;
    client.call('history.gaps', { fqme }).then(
      (all) => {
        backoff = retryMs;
        if (!stopped) onGaps(all.filter((g) => g.timeframe === timeframe));
      },
      (e: unknown) => {
        if (stopped) return;
        if (e instanceof ApiError && e.code === 'not_found') return onGaps([]);
        if (retry) return;
        retry = setTimeout(() => {
          retry = null;
          ask();
        }, backoff);
        backoff = Math.min(backoff * 2, GAPS_RETRY_MAX_MS);
      },
    ).finally(() => {
      inFlight = false;
      if (again) ask();
    });
  };

  const off = client.on('gaps', (e) => {
    if (e.fqme !== fqme || e.timeframe !== timeframe || stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      ask();
    }, debounceMs);
  });
  ask();
  return () => {
    stopped = true;
    off();
    if (timer) clearTimeout(timer);
    if (retry) clearTimeout(retry);
  };
}

import { ApiError, type ApiClient } from '../../core/protocol/client.js';
import type { HistoryGap } from '../../core/protocol/messages.js';
import type { Timeframe } from '../../core/protocol/types.js';

/** A burst of `gaps` events (a repair recording several runs) costs one history.gaps request. */
export const GAPS_DEBOUNCE_MS = 200;

/**
 * Keeps `onGaps` told the recorded history gaps of one market in one timeframe: asked once, then again after the host
 * says that market's gaps changed (the `gaps` event, sent when datad records, extends or forgets one). One request in
 * flight at a time, so an older answer never overwrites a newer one. A backend whose history is not stored (the sim
 * by default) has none: not_found is an empty list. Other failures keep the last list until the next event.
 * Returns the stop function.
 */
export function watchHistoryGaps(
  client: ApiClient,
  fqme: string,
  timeframe: Timeframe,
  onGaps: (gaps: HistoryGap[]) => void,
  debounceMs = GAPS_DEBOUNCE_MS,
): () => void {
  let stopped = false;
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
        if (!stopped) onGaps(all.filter((g) => g.timeframe === timeframe));
      },
      (e: unknown) => {
        if (!stopped && e instanceof ApiError && e.code === 'not_found') onGaps([]);
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
  };
}

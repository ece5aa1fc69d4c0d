import { NotFoundError } from '../backend.js';
import { normalizeFqme } from '../../protocol/fqme.js';

/**
 * Small pieces every venue backend needs around its instrument table (generic: nothing venue-specific here).
 */

/** The normalized fqme, or a NotFoundError (the API's not_found) for a malformed one. */
export function fqmeKeyOrNotFound(fqme: string): string {
  try {
    return normalizeFqme(fqme);
  } catch (e) {
    throw new NotFoundError((e as Error).message);
  }
}

/**
 * streamQuotes for a market that must be looked up first (the instrument table may still be loading): starts the
 * stream once `lookup` resolves, unless the caller stopped it meanwhile; a failed lookup goes to `fail`. Returns
 * the stop function DataBackend.streamQuotes promises.
 */
export function streamWhenKnown<T>(lookup: Promise<T>, start: (market: T) => () => void, fail: (e: Error) => void): () => void {
  let stop: (() => void) | null = null;
  let stopped = false;
  lookup.then(
    (m) => {
      if (!stopped) stop = start(m);
    },
    (e: Error) => {
      if (!stopped) fail(e);
    },
  );
  return () => {
    stopped = true;
    stop?.();
  };
}

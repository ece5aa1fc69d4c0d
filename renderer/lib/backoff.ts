/**
 * Reconnect delays: quick first retries (a host restart takes well under a second), then capped so a
 * terminal left disconnected overnight still comes back within seconds of the host returning.
 * Jitter keeps many windows of one host from reconnecting in lockstep.
 */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** Fraction of the delay randomized either way. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 250, maxMs: 5000, jitter: 0.2 };

/** Delay before reconnect attempt number `attempt` (1-based). `random` is injectable for tests. */
export function backoffDelay(attempt: number, opts: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const exp = opts.baseMs * 2 ** Math.max(0, attempt - 1);
  const capped = Math.min(opts.maxMs, exp);
  const spread = capped * opts.jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(capped + spread));
}

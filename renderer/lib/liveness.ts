/** A feed is stale when it has been quiet this long: the sim ticks many times a second, real venues about as often. */
export const STALE_AFTER_MS = 5000;

export type Liveness = 'live' | 'stale' | 'down' | 'waiting';

/**
 * Liveness from what the renderer saw. `lastTickAt` is the renderer's own receive time (Date.now() when the
 * quote arrived), not the host's tick time: the host may run on another machine with another clock.
 * `hostLive` is the host's own verdict from `feed` events (null until one arrives).
 */
export function liveness(now: number, lastTickAt: number | null, hostLive: boolean | null): Liveness {
  if (hostLive === false) return 'down';
  if (lastTickAt === null) return 'waiting';
  return now - lastTickAt > STALE_AFTER_MS ? 'stale' : 'live';
}

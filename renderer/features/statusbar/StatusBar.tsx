import { useEffect, useState } from 'react';
import { formatPrice, priceFormatOf } from '../../lib/format.js';
import { liveness, type Liveness } from '../../lib/liveness.js';
import { useConnection, type ConnState } from '../../stores/connection.js';
import { useFeed } from '../../stores/feed.js';
import { useSession } from '../../stores/session.js';

/** Re-renders every `ms` so time-based state (staleness, retry countdown) moves without new data. */
function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

function connectionText(state: ConnState, attempt: number, retryAt: number | null, now: number): string {
  if (state === 'connected') return 'connected';
  if (state === 'connecting') return attempt > 0 ? `reconnecting (attempt ${attempt})` : 'connecting';
  const wait = retryAt === null ? 0 : Math.max(0, Math.ceil((retryAt - now) / 1000));
  return wait > 0 ? `disconnected, retry in ${wait}s` : 'disconnected';
}

const LIVENESS_TEXT: Record<Liveness, string> = { live: 'live', stale: 'stale', down: 'feed down', waiting: 'no ticks yet' };

/** What a venue engine status means for the trader's live orders (emsd refuses what the engine would). */
const ENGINE_TITLE: Record<string, string> = {
  maintenance: 'the matching engine is in maintenance: new live orders and changes are refused until it is online',
  cancel_only: 'the matching engine takes only cancels: new live orders and changes are refused until it is online',
  post_only: 'the matching engine takes only orders that rest on the book: a live order that would cross is refused',
};

/** Connection state, loaded symbol, feed liveness and last price: what a trader glances at. */
export function StatusBar() {
  const now = useNow(1000);
  const { state, attempt, retryAt, lastError, serverVersion } = useConnection();
  const fqme = useSession((s) => s.fqme);
  const mkt = useSession((s) => s.mkt);
  const feed = useFeed();
  const live = liveness(now, feed.lastTickAt, feed.hostLive);
  const digits = priceFormatOf(mkt && mkt.fqme === fqme ? mkt.priceTick : null).digits;
  const price = (v: number | null) => (v === null ? '-' : formatPrice(v, digits));

  return (
    <footer className="status-bar" data-testid="status-bar" data-connection={state}>
      <span className={`conn conn-${state}`} title={state === 'connected' ? `host ${serverVersion ?? ''}` : (lastError ?? '')}>
        <span className="dot" aria-hidden />
        {connectionText(state, attempt, retryAt, now)}
      </span>
      <span className="sep" />
      <span className="fqme" data-testid="status-fqme">
        {fqme}
      </span>
      <span className={`feed feed-${live}`} data-testid="feed-liveness" data-liveness={live} data-link={feed.link ?? ''} title={feed.linkDetail}>
        {feed.link === 'stale' || feed.link === 'down' ? `${feed.link === 'down' ? 'venue down' : 'venue stale'}: ${feed.linkDetail}` : LIVENESS_TEXT[live]}
      </span>
      {feed.engine && feed.engine.status !== 'online' && (
        <span
          className={`feed feed-engine ${feed.engine.status === 'maintenance' ? 'feed-down' : 'feed-stale'}`}
          data-testid="venue-engine"
          data-engine={feed.engine.status}
          title={ENGINE_TITLE[feed.engine.status] ?? `the venue's matching engine says ${feed.engine.status}`}
        >
          {feed.engine.broker}: {feed.engine.status}
        </span>
      )}
      {feed.backup && (
        <span className="feed feed-backup" data-testid="feed-source" data-source={feed.backup}>
          via backup {feed.backup}
        </span>
      )}
      <span className="last" data-testid="last-price">
        last {price(feed.lastPrice)}
      </span>
      <span className="quote">
        bid {price(feed.bid)} ask {price(feed.ask)}
      </span>
      <span className="spacer" />
      <span className="clock">{new Date(now).toLocaleTimeString([], { hour12: false })}</span>
    </footer>
  );
}

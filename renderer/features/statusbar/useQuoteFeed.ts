import { useEffect } from 'react';
import type { FeedStatus, Tick } from '../../../core/protocol/types.js';
import { useConnection } from '../../stores/connection.js';
import { useFeed } from '../../stores/feed.js';
import { useSession } from '../../stores/session.js';

/** The status bar needs a readable price, not every tick: publish at most this often. */
const PUBLISH_MS = 200;

/**
 * Subscribes to the loaded symbol's quotes and `feed` events, folding them into the feed store. Quotes
 * can arrive thousands of times a second; they are folded into locals and published on a timer.
 */
export function useQuoteFeed(): void {
  const client = useConnection((s) => s.client);
  const fqme = useSession((s) => s.fqme);
  const fqmeError = useSession((s) => s.fqmeError);

  useEffect(() => {
    useFeed.setState({ fqme, lastPrice: null, lastTickAt: null, hostLive: null, bid: null, ask: null, link: null, linkDetail: '', backup: null, engine: null });
  }, [fqme]);

  useEffect(() => {
    if (!client || fqmeError) return;
    let pending: Partial<{ lastPrice: number; bid: number; ask: number }> | null = null;
    let lastTickAt: number | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const publish = () => {
      timer = null;
      useFeed.setState({ ...pending, lastTickAt });
      pending = null;
    };
    const fold = (t: Tick) => {
      pending ??= {};
      if (t.type === 'trade' || t.type === 'last') pending.lastPrice = t.price;
      else if (t.type === 'bid') pending.bid = t.price;
      else if (t.type === 'ask') pending.ask = t.price;
    };
    const offQuote = client.on('quote', (q) => {
      if (q.fqme !== fqme) return;
      for (const t of q.ticks) fold(t);
      lastTickAt = Date.now();
      timer ??= setTimeout(publish, PUBLISH_MS);
    });
    const applyStatus = (f: FeedStatus) => {
      if (f.fqme !== fqme) return;
      useFeed.setState({
        hostLive: f.live,
        link: f.link,
        linkDetail: f.detail,
        backup: f.source !== f.fqme ? f.source : null,
        engine: f.engine ? { broker: f.broker, status: f.engine } : null,
      });
    };
    const offFeed = client.on('feed', applyStatus);
    // The link may have changed state before this client looked: ask once, then follow the events.
    client
      .call('quotes.subscribe', { fqme })
      .then(() => client.call('feeds.status', {}))
      .then((all) => all.forEach(applyStatus))
      .catch(() => undefined);
    return () => {
      offQuote();
      offFeed();
      if (timer) clearTimeout(timer);
      if (!client.isClosed) client.call('quotes.unsubscribe', { fqme }).catch(() => undefined);
    };
  }, [client, fqme, fqmeError]);
}

import { useEffect } from 'react';
import { formatPrice, priceFormatOf } from '../../lib/format.js';
import { useFeed } from '../../stores/feed.js';
import { useSession } from '../../stores/session.js';

/** "xbtusd.spot.sim 46109.0 · Candlewick": the price stays readable from the task bar or a background tab. */
export function useDocumentTitle(): void {
  useEffect(() => {
    const update = () => {
      const { fqme, mkt } = useSession.getState();
      const { lastPrice } = useFeed.getState();
      const digits = priceFormatOf(mkt && mkt.fqme === fqme ? mkt.priceTick : null).digits;
      const price = lastPrice === null ? '' : ` ${formatPrice(lastPrice, digits)}`;
      const title = `${fqme}${price} · Candlewick`;
      if (document.title !== title) document.title = title;
    };
    update();
    const offs = [useSession.subscribe(update), useFeed.subscribe(update)];
    return () => offs.forEach((off) => off());
  }, []);
}

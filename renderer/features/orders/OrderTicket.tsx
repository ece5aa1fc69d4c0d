import { useState } from 'react';
import { isDecimal, onTick } from '../../../core/protocol/decimal.js';
import type { Action } from '../../../core/protocol/orders.js';
import { snapPrice } from '../../lib/price-snap.js';
import { useFeed } from '../../stores/feed.js';
import { useOrders } from '../../stores/orders.js';
import { useSession } from '../../stores/session.js';
import { liveModeFor, nextSize, placeOrder } from './order-actions.js';

/**
 * The order form: price (default: the last price), size (default: the allocator's next order, which differs by side
 * once there is a position: an entry slot one way, an exit slice the other), mode, Buy/Sell/Alert.
 */
export function OrderTicket() {
  const mkt = useSession((s) => s.mkt);
  const fqme = useSession((s) => s.fqme);
  const account = useOrders((s) => s.account);
  const alloc = useOrders((s) => s.alloc);
  // Subscribed so the default sizes follow the position (nextSize reads it from the store).
  useOrders((s) => s.positions);
  const lastPrice = useFeed((s) => s.lastPrice);
  const [price, setPrice] = useState('');
  const [size, setSize] = useState('');
  const [mode, setMode] = useState<'dark' | 'live'>('live');
  const [error, setError] = useState<string | null>(null);
  const ready = mkt && mkt.fqme === fqme ? mkt : null;
  const last = ready && lastPrice !== null ? snapPrice(lastPrice, ready.priceTick) : null;
  const effPrice = price.trim() || last || '';
  const priced = ready !== null && isDecimal(effPrice) && Number(effPrice) > 0;
  const autoBuy = priced ? (nextSize('buy', effPrice, account)?.size ?? null) : null;
  const autoSell = priced ? (nextSize('sell', effPrice, account)?.size ?? null) : null;
  const autoHint = autoBuy === autoSell ? autoBuy : `buy ${autoBuy ?? '-'} / sell ${autoSell ?? '-'}`;
  const liveMode = liveModeFor(account);

  const send = (action: Action) => {
    if (!ready) return setError('market not loaded');
    const p = effPrice;
    if (!isDecimal(p) || Number(p) <= 0 || !onTick(p, ready.priceTick)) return setError(`price must be a multiple of ${ready.priceTick}`);
    const s = action === 'alert' ? '0' : size.trim() || (action === 'buy' ? autoBuy : autoSell);
    if (action !== 'alert' && !size.trim() && s === '0') return setError(`the ${alloc.limit} limit is used up by the position`);
    if (action !== 'alert' && (!s || !isDecimal(s) || Number(s) <= 0 || !onTick(s, ready.sizeTick))) {
      return setError(`size must be a multiple of ${ready.sizeTick}`);
    }
    setError(null);
    void placeOrder({ action, live: mode === 'live', price: p, size: s ?? undefined });
  };

  return (
    <section className="op-section op-ticket" data-testid="order-ticket">
      <div className="op-row">
        <span>price</span>
        <input
          data-testid="ticket-price"
          aria-label="price"
          placeholder={last ?? 'price'}
          value={price}
          onChange={(e) => setPrice(e.target.value)}
        />
        <button type="button" className="mini" title="use the last price" onClick={() => last && setPrice(last)}>
          last
        </button>
      </div>
      <div className="op-row">
        <span>size</span>
        <input data-testid="ticket-size" aria-label="size" placeholder={autoHint ?? 'size'} value={size} onChange={(e) => setSize(e.target.value)} />
        <select data-testid="ticket-mode" aria-label="exec mode" value={mode} onChange={(e) => setMode(e.target.value === 'dark' ? 'dark' : 'live')}>
          <option value="live">{liveMode}</option>
          <option value="dark">dark</option>
        </select>
      </div>
      <div className="op-row buttons">
        <button type="button" className="buy" data-testid="ticket-buy" onClick={() => send('buy')}>
          Buy
        </button>
        <button type="button" className="sell" data-testid="ticket-sell" onClick={() => send('sell')}>
          Sell
        </button>
        <button type="button" className="alert" data-testid="ticket-alert" onClick={() => send('alert')}>
          Alert
        </button>
      </div>
      {error && <div className="op-note error">{error}</div>}
    </section>
  );
}

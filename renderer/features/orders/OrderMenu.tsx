import { useEffect } from 'react';
import { compareDec } from '../../../core/protocol/decimal.js';
import type { Action } from '../../../core/protocol/orders.js';
import { lastPriceDec } from './useChartOrders.js';
import { useOrderMenu } from './menu-store.js';
import { placeOrder } from './order-actions.js';

interface Item {
  kind: string;
  label: string;
  action: Action;
  live: boolean;
  /** Why it is not offered at this price. */
  disabled?: string;
}

/**
 * The chart's right-click menu: limits (live or paper by account) and stops (dark orders on the far side of the
 * market: a buy stop above the last price, a sell stop below) and an alert, all at the clicked, snapped price.
 */
export function OrderMenu() {
  const menu = useOrderMenu((s) => s.menu);
  const close = useOrderMenu((s) => s.close);

  useEffect(() => {
    if (!menu) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && close();
    const onDown = (e: PointerEvent) => {
      if (!(e.target instanceof Element) || !e.target.closest('.order-menu')) close();
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('pointerdown', onDown, { capture: true });
    window.addEventListener('blur', close);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('pointerdown', onDown, { capture: true });
      window.removeEventListener('blur', close);
    };
  }, [menu, close]);

  if (!menu) return null;
  const last = lastPriceDec();
  const side = last === null ? 0 : compareDec(menu.price, last);
  const items: Item[] = [
    { kind: 'buy-limit', label: 'buy limit', action: 'buy', live: true },
    { kind: 'sell-limit', label: 'sell limit', action: 'sell', live: true },
    { kind: 'buy-stop', label: 'buy stop', action: 'buy', live: false, disabled: side > 0 ? undefined : 'a buy stop goes above the last price' },
    { kind: 'sell-stop', label: 'sell stop', action: 'sell', live: false, disabled: side < 0 ? undefined : 'a sell stop goes below the last price' },
    { kind: 'alert', label: 'alert', action: 'alert', live: false },
  ];
  const left = Math.min(menu.x, window.innerWidth - 190);
  const top = Math.min(menu.y, window.innerHeight - 180);
  return (
    <div className="order-menu" data-testid="order-menu" role="menu" style={{ left, top }} data-price={menu.price}>
      <div className="order-menu-title">{menu.price}</div>
      {items.map((it) => (
        <button
          key={it.kind}
          type="button"
          role="menuitem"
          className={`order-menu-item ${it.action}`}
          data-testid="order-menu-item"
          data-kind={it.kind}
          disabled={!!it.disabled}
          title={it.disabled}
          onClick={() => {
            close();
            void placeOrder({ action: it.action, live: it.live, price: menu.price });
          }}
        >
          {it.label} <span className="at">@ {menu.price}</span>
        </button>
      ))}
    </div>
  );
}

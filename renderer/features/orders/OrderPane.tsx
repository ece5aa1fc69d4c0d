import { useState } from 'react';
import { compareDec } from '../../../core/protocol/decimal.js';
import { avgPrice, money, pnlPercent, signed, signedMoney, unrealizedPnl } from '../../lib/order-format.js';
import { snapPrice } from '../../lib/price-snap.js';
import { changeAlloc, positionSlots, slotsOrNull } from '../../lib/sizing.js';
import { useFeed } from '../../stores/feed.js';
import { positionOf, useOrders } from '../../stores/orders.js';
import { useSession } from '../../stores/session.js';
import { OrderTicket } from './OrderTicket.js';
import { RecentFills, WorkingOrders } from './WorkingOrders.js';

/** The order side pane: account, allocator, position with live PnL, the ticket, working orders and fills. */
export function OrderPane() {
  const [open, setOpen] = useState(true);
  return (
    <aside className={open ? 'side-pane order-pane' : 'side-pane order-pane collapsed'} data-testid="order-pane" aria-label="orders">
      <header>
        <button type="button" className="pane-toggle" onClick={() => setOpen(!open)} title={open ? 'collapse' : 'expand'}>
          {open ? '›' : '‹'}
        </button>
        {open && <span>Orders</span>}
      </header>
      {open && (
        <div className="order-pane-body">
          <AccountAlloc />
          <PositionView />
          <OrderTicket />
          <WorkingOrders />
          <RecentFills />
        </div>
      )}
    </aside>
  );
}

function useCurrentPosition() {
  const positions = useOrders((s) => s.positions);
  const account = useOrders((s) => s.account);
  const fqme = useSession((s) => s.fqme);
  return positionOf(positions, account, fqme);
}

function AccountAlloc() {
  const accounts = useOrders((s) => s.accounts);
  const account = useOrders((s) => s.account);
  const alloc = useOrders((s) => s.alloc);
  const { setAccount, setAlloc } = useOrders.getState();
  const pos = useCurrentPosition();
  const [limitText, setLimitText] = useState(alloc.limit);
  const [limitError, setLimitError] = useState<string | null>(null);
  const info = accounts.find((a) => a.account === account);
  // Slots the position fills, as the host's allocator counts them (exits are sized from it too).
  const used = positionSlots(alloc, pos);
  const usedFrac = used === null ? 0 : Math.min(1, Number(used) / alloc.slots);

  /** A limit or unit change goes through the shared allocator's check: refused below the position, with why. */
  const change = (patch: Parameters<typeof changeAlloc>[1]) => {
    const r = changeAlloc(alloc, patch, pos);
    if ('error' in r) return setLimitError(r.error);
    setLimitError(null);
    setAlloc(r.alloc);
  };
  const commitLimit = () => change({ limit: limitText });

  return (
    <section className="op-section op-account">
      <label className="op-row">
        <span>account</span>
        <select data-testid="account-select" value={account} onChange={(e) => setAccount(e.target.value)}>
          {(accounts.length > 0 ? accounts : [{ broker: 'sim', account: 'paper', mode: 'paper' as const }]).map((a) => (
            <option key={`${a.broker}.${a.account}`} value={a.account}>
              {a.account} ({a.mode === 'paper' ? 'paper' : a.broker})
            </option>
          ))}
        </select>
      </label>
      {info?.note && <div className="op-note">{info.note}</div>}
      <div className="op-row">
        <span>alloc</span>
        <select aria-label="size unit" className="unit" title="the limit is in money ($) or in units" value={alloc.sizeUnit} onChange={(e) => change({ sizeUnit: e.target.value === 'units' ? 'units' : 'currency' })}>
          <option value="currency">$</option>
          <option value="units">units</option>
        </select>
        <input
          aria-label="limit"
          data-testid="alloc-limit"
          className={limitError ? 'invalid' : ''}
          title={limitError ?? 'position limit (k/M/B)'}
          value={limitText}
          onChange={(e) => setLimitText(e.target.value)}
          onBlur={commitLimit}
          onKeyDown={(e) => e.key === 'Enter' && commitLimit()}
        />
        <input
          aria-label="slots"
          data-testid="alloc-slots"
          className="slots"
          type="number"
          min={1}
          max={99}
          value={alloc.slots}
          onChange={(e) => {
            const n = slotsOrNull(e.target.value);
            if (n !== null) setAlloc({ slots: n });
          }}
        />
      </div>
      {limitError && (
        <div className="op-note error" data-testid="alloc-error" role="alert">
          {limitError}
        </div>
      )}
      <div className="op-row slots-used" title="slots used by the position">
        <span>slots</span>
        <span className="bar">
          <span className="fill" style={{ width: `${usedFrac * 100}%` }} />
        </span>
        <span className="num">
          {used ?? '-'}/{alloc.slots}
        </span>
      </div>
    </section>
  );
}

function PositionView() {
  const pos = useCurrentPosition();
  const lastPrice = useFeed((s) => s.lastPrice);
  const mkt = useSession((s) => s.mkt);
  const last = lastPrice !== null && mkt ? snapPrice(lastPrice, mkt.priceTick) : null;
  if (!pos) {
    return (
      <section className="op-section op-position" data-testid="position" data-size="0">
        <span className="flat">flat</span>
      </section>
    );
  }
  const upnl = last ? unrealizedPnl(pos.size, pos.ppu, last) : null;
  const pct = last ? pnlPercent(pos.size, pos.ppu, last) : null;
  const tone = upnl === null ? '' : compareDec(upnl, '0') >= 0 ? 'up' : 'down';
  return (
    <section className="op-section op-position" data-testid="position" data-size={pos.size} data-ppu={pos.ppu} data-account={pos.account}>
      <div className="op-row">
        <span className={pos.size.startsWith('-') ? 'down' : 'up'}>{pos.size}</span>
        <span title={pos.ppu}>@ {avgPrice(pos.ppu, mkt?.priceTick ?? null)}</span>
      </div>
      <div className="op-row">
        <span>uPnL</span>
        <span className={`pnl ${tone}`} data-testid="position-pnl">
          {upnl === null ? '-' : signedMoney(upnl)}
          {pct !== null && ` (${signed(pct)}%)`}
        </span>
      </div>
      <div className="op-row dim">
        <span>realized {signedMoney(pos.realizedPnl)}</span>
        <span>fees {money(pos.fees)}</span>
      </div>
    </section>
  );
}

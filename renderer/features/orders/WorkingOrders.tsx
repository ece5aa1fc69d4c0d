import { useMemo } from 'react';
import { formatTime } from '../../lib/format.js';
import { useOrders } from '../../stores/orders.js';
import { cancelOrders } from './order-actions.js';

/** Every working order (all markets), with a cancel button each. */
export function WorkingOrders() {
  const working = useOrders((s) => s.working);
  const rows = useMemo(() => Object.values(working).sort((a, b) => a.order.fqme.localeCompare(b.order.fqme) || Number(b.order.price) - Number(a.order.price)), [working]);
  return (
    <section className="op-section op-working">
      <h3>working ({rows.length})</h3>
      <table>
        <tbody>
          {rows.map((w) => (
            <tr
              key={w.oid}
              data-testid="working-order"
              data-oid={w.oid}
              data-action={w.order.action}
              data-exec-mode={w.order.execMode}
              data-price={w.order.price}
              data-resp={w.resp}
              className={`${w.order.action}${w.prev ? ' unconfirmed' : ''}`}
              title={`${w.order.fqme} ${w.order.account} ${w.resp}${w.reason ? `: ${w.reason}` : ''}`}
            >
              <td className="side">{w.order.action}</td>
              <td className="mode">{w.order.execMode}</td>
              <td className="num">{w.order.price}</td>
              <td className="num">{w.order.action === 'alert' ? '' : w.order.size}</td>
              <td className="sym">{w.order.fqme.split('.')[0]}</td>
              <td>
                <button type="button" className="cancel" data-testid="cancel-order" title="cancel" onClick={() => void cancelOrders([w.oid])}>
                  ×
                </button>
              </td>
            </tr>
          ))}
          {rows.length === 0 && (
            <tr className="empty">
              <td colSpan={6}>no working orders</td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}

export function RecentFills() {
  const fills = useOrders((s) => s.fills);
  const rows = fills.slice(0, 12);
  return (
    <section className="op-section op-fills">
      <h3>fills</h3>
      <table>
        <tbody>
          {rows.map((f) => (
            <tr key={f.tid} data-testid="fill-row" data-oid={f.oid} className={f.action}>
              <td className="time">{formatTime(Math.floor(f.time / 1000), true)}</td>
              <td className="side">{f.action}</td>
              <td className="num">{f.size}</td>
              <td className="num">@ {f.price}</td>
              <td className="sym">{f.fqme.split('.')[0]}</td>
            </tr>
          ))}
          {rows.length === 0 && (
            <tr className="empty">
              <td colSpan={5}>no fills yet</td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}

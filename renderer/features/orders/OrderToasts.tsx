import { useEffect } from 'react';
import { formatTime } from '../../lib/format.js';
import { useOrders, type AlertToast } from '../../stores/orders.js';

const TOAST_MS = 15_000;

/** Fired alerts (data-testid alert-toast) and order notices (refusals, cancel-all counts), bottom right. */
export function OrderToasts() {
  const toasts = useOrders((s) => s.toasts);
  const notices = useOrders((s) => s.notices);
  const { dismissNotice } = useOrders.getState();
  if (toasts.length === 0 && notices.length === 0) return null;
  return (
    <div className="toasts">
      {notices.map((n) => (
        <div key={n.id} className={`toast notice ${n.tone}`} data-testid="order-notice" role="status" onClick={() => dismissNotice(n.id)}>
          {n.text}
          {n.action && (
            <button
              type="button"
              data-testid="notice-action"
              onClick={(e) => {
                e.stopPropagation();
                dismissNotice(n.id);
                n.action!.run();
              }}
            >
              {n.action.label}
            </button>
          )}
        </div>
      ))}
      {toasts.map((t) => (
        <Toast key={t.id} toast={t} />
      ))}
    </div>
  );
}

function Toast({ toast }: { toast: AlertToast }) {
  const dismiss = useOrders((s) => s.dismissToast);
  useEffect(() => {
    const t = setTimeout(() => dismiss(toast.id), TOAST_MS);
    return () => clearTimeout(t);
  }, [toast.id, dismiss]);
  return (
    <div className="toast alert" data-testid="alert-toast" data-fqme={toast.fqme} data-price={toast.price} role="alert" onClick={() => dismiss(toast.id)}>
      <span className="what">alert</span> {toast.fqme} crossed <b>{toast.price}</b>
      <span className="when">{formatTime(Math.floor(toast.time / 1000), true)}</span>
    </div>
  );
}

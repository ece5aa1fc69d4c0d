import type { Staged } from '../../lib/order-keys.js';
import { orderLabel } from '../../lib/order-format.js';
import { snapOrderPrice } from '../../lib/price-snap.js';
import { lineSlots } from '../../lib/sizing.js';
import { useOrders } from '../../stores/orders.js';
import type { ChartController } from '../chart/chart-controller.js';
import { useOrderMenu } from './menu-store.js';
import type { MktPair } from '../../../core/protocol/types.js';
import { cancelAll, cancelOrders, liveModeFor, modifyPrice, nextSize, placeOrder } from './order-actions.js';
import { isHovered, registerKeyTarget, setHoveredTarget, type KeyTarget } from './order-keyboard.js';
import type { ChartOrderLines, LineSpec } from './order-lines.js';

interface Drag {
  oid: string;
  pointerId: number;
  /** The order's price when the drag began. */
  from: string;
  price: string;
}

/**
 * Order mode on one chart: the staged line that follows the cursor (keys from order-keyboard.ts), click to
 * submit, c/Delete under the cursor, dragging a line to modify it, and the right-click menu. The chart's own
 * scroll/scale is switched off for the length of a drag (lightweight-charts' documented route).
 */
export class ChartOrderMode implements KeyTarget {
  private cursor: { x: number; y: number } | null = null;
  private staged: Staged | null = null;
  private drag: Drag | null = null;
  private swallowMouse = false;
  private readonly offKeys: () => void;

  constructor(
    private readonly ctl: ChartController,
    private readonly host: HTMLElement,
    private readonly lines: ChartOrderLines,
    /** The chart's own market (null while unknown): what its clicks and keys trade. */
    private readonly market: () => MktPair | null,
  ) {
    host.addEventListener('pointerenter', this.onEnter);
    host.addEventListener('pointerleave', this.onLeave);
    host.addEventListener('pointermove', this.onMove);
    host.addEventListener('pointerdown', this.onDown, { capture: true });
    host.addEventListener('mousedown', this.onMouseDown, { capture: true });
    host.addEventListener('pointerup', this.onUp);
    host.addEventListener('pointercancel', this.onCancel);
    host.addEventListener('contextmenu', this.onContextMenu);
    this.offKeys = registerKeyTarget(this);
  }

  destroy(): void {
    this.offKeys();
    this.endDrag(false);
    setHoveredTarget(null);
    const h = this.host;
    h.removeEventListener('pointerenter', this.onEnter);
    h.removeEventListener('pointerleave', this.onLeave);
    h.removeEventListener('pointermove', this.onMove);
    h.removeEventListener('pointerdown', this.onDown, { capture: true });
    h.removeEventListener('mousedown', this.onMouseDown, { capture: true });
    h.removeEventListener('pointerup', this.onUp);
    h.removeEventListener('pointercancel', this.onCancel);
    h.removeEventListener('contextmenu', this.onContextMenu);
  }

  /** The price a dragged line is at (the store sync draws it there instead of the order's price). */
  dragged(): { oid: string; price: string } | null {
    return this.drag ? { oid: this.drag.oid, price: this.drag.price } : null;
  }

  // ---- KeyTarget ----

  setStaged(s: Staged | null): void {
    this.staged = s;
    this.drawStaged();
  }

  cancelUnder(): void {
    if (!this.cursor) return;
    const ids = this.lines.hit(this.cursor.y).map((s) => s.id);
    if (ids.length > 0) void cancelOrders(ids);
  }

  cancelAll(): void {
    const mkt = this.market();
    if (mkt) void cancelAll(mkt.fqme);
  }

  // ---- staged line ----

  /** The tick-snapped price at `y`, null off the scale or before the market is known. */
  private priceAt(y: number): string | null {
    const mkt = this.market();
    const v = this.ctl.yToPrice(y);
    return mkt && v !== null ? snapOrderPrice(v, mkt.priceTick) : null;
  }

  /** Redraws the staged line (its size and label follow the allocator, the account and its position). */
  refreshStaged(): void {
    if (this.staged) this.drawStaged();
  }

  private drawStaged(): void {
    const s = this.staged;
    const price = s && this.cursor && isHovered(this) && !this.drag ? this.priceAt(this.cursor.y) : null;
    const mkt = this.market();
    if (!s || !price || !mkt) return this.lines.setStaged(null);
    const { account, alloc } = useOrders.getState();
    // Against the position, the allocator sizes an exit: what a click here would send.
    const size = s.action === 'alert' ? '0' : (nextSize(s.action, price, account, mkt)?.size ?? '0');
    const execMode = s.action === 'alert' || !s.live ? 'dark' : liveModeFor(account);
    const spec: LineSpec = {
      id: 'staged',
      kind: 'staged',
      action: s.action,
      execMode,
      price,
      label: orderLabel({ action: s.action, account, size, price }, lineSlots(alloc, size, price)),
    };
    this.lines.setStaged(spec);
  }

  // ---- pointer ----

  private local(e: MouseEvent): { x: number; y: number } {
    const r = this.host.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  }

  private readonly onEnter = (e: PointerEvent) => {
    this.cursor = this.local(e);
    setHoveredTarget(this);
    this.drawStaged();
  };

  private readonly onLeave = () => {
    if (this.drag) return;
    this.cursor = null;
    if (isHovered(this)) setHoveredTarget(null);
    this.host.classList.remove('over-order-line');
    this.drawStaged();
  };

  private readonly onMove = (e: PointerEvent) => {
    this.cursor = this.local(e);
    if (!isHovered(this)) setHoveredTarget(this);
    const d = this.drag;
    if (d) {
      const price = this.priceAt(this.cursor.y);
      if (price && price !== d.price) {
        d.price = price;
        this.lines.moveTo(d.oid, price);
      }
      return;
    }
    this.drawStaged();
    this.host.classList.toggle('over-order-line', !this.staged && this.lines.hit(this.cursor.y).length > 0);
  };

  private readonly onDown = (e: PointerEvent) => {
    if (e.button !== 0) return;
    this.cursor = this.local(e);
    const s = this.staged;
    if (s) {
      const price = this.priceAt(this.cursor.y);
      this.swallow(e);
      if (price) void placeOrder({ action: s.action, live: s.live, price, mkt: this.market() });
      return;
    }
    const hit = this.lines.hit(this.cursor.y)[0];
    const w = hit ? useOrders.getState().working[hit.id] : undefined;
    if (!w) return;
    this.swallow(e);
    this.drag = { oid: w.oid, pointerId: e.pointerId, from: w.order.price, price: w.order.price };
    this.ctl.chart.applyOptions({ handleScroll: false, handleScale: false });
    try {
      this.host.setPointerCapture(e.pointerId);
    } catch {}
    this.host.classList.add('dragging-order-line');
  };

  private swallow(e: PointerEvent): void {
    e.preventDefault();
    e.stopPropagation();
    this.swallowMouse = true;
  }

  /** The mousedown that follows a claimed pointerdown must not reach the chart (it would start a pan). */
  private readonly onMouseDown = (e: MouseEvent) => {
    if (!this.swallowMouse) return;
    this.swallowMouse = false;
    e.preventDefault();
    e.stopPropagation();
  };

  private readonly onUp = (e: PointerEvent) => {
    if (this.drag && e.pointerId === this.drag.pointerId) this.endDrag(true);
    this.swallowMouse = false;
  };

  private readonly onCancel = () => this.endDrag(false);

  private endDrag(commit: boolean): void {
    const d = this.drag;
    if (!d) return;
    this.drag = null;
    this.ctl.chart.applyOptions({ handleScroll: true, handleScale: true });
    try {
      this.host.releasePointerCapture(d.pointerId);
    } catch {}
    this.host.classList.remove('dragging-order-line');
    const w = useOrders.getState().working[d.oid];
    if (!w) return;
    if (commit && d.price !== d.from) void modifyPrice(w, d.price);
    else this.lines.moveTo(d.oid, w.order.price);
  }

  private readonly onContextMenu = (e: MouseEvent) => {
    e.preventDefault();
    const mkt = this.market();
    const price = this.priceAt(this.local(e).y);
    if (!mkt || !price) return;
    useOrderMenu.getState().open({ x: e.clientX, y: e.clientY, fqme: mkt.fqme, price });
  };
}

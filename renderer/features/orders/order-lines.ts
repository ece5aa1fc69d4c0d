import { LineStyle, type IPriceLine } from 'lightweight-charts';
import type { Action, ExecMode } from '../../../core/protocol/orders.js';
import type { ChartController } from '../chart/chart-controller.js';
import { MarksPrimitive, type Mark } from './marks-primitive.js';
import { ORDER_COLORS } from './order-colors.js';

export type LineKind = 'order' | 'staged' | 'position';

export interface LineSpec {
  /** The oid for orders; 'staged' and 'position' for the others. */
  id: string;
  kind: LineKind;
  action: Action;
  execMode: ExecMode;
  /** Exact decimal: the price the order carries. */
  price: string;
  label: string;
  /** Sent but not confirmed yet (drawn fainter). */
  unconfirmed?: boolean;
}

interface Line {
  spec: LineSpec;
  line: IPriceLine;
  el: HTMLDivElement;
  label: HTMLSpanElement;
  y: number | null;
}

/** Pixels from a line within which the pointer is "on" it (lightweight-charts' own hit test uses lineWidth + 7). */
export const HIT_PX = 6;

/**
 * The order lines of one chart: a lightweight-charts price line each (colour, dark dotted, axis label) plus a
 * DOM element at the line's height (data-testid="order-line", with the oid, action, exec mode and price) that
 * carries the label and is what users and tests grab to drag. The DOM follows the price scale in an animation
 * frame loop that runs only while there are lines.
 */
export class ChartOrderLines {
  private readonly lines = new Map<string, Line>();
  private readonly layer: HTMLDivElement;
  private readonly marks = new MarksPrimitive();
  private marksAttached = false;
  private raf = 0;

  constructor(
    private readonly ctl: ChartController,
    host: HTMLElement,
  ) {
    this.layer = document.createElement('div');
    this.layer.className = 'order-layer';
    host.appendChild(this.layer);
  }

  /** Replaces the order lines (kind 'order') with `specs`; staged and position lines are left alone. */
  setOrders(specs: readonly LineSpec[]): void {
    const keep = new Set(specs.map((s) => s.id));
    for (const [id, l] of this.lines) if (l.spec.kind === 'order' && !keep.has(id)) this.remove(id);
    for (const s of specs) this.upsert(s);
  }

  setStaged(spec: LineSpec | null): void {
    if (spec) this.upsert({ ...spec, id: 'staged', kind: 'staged' });
    else this.remove('staged');
  }

  setPosition(spec: LineSpec | null): void {
    if (spec) this.upsert({ ...spec, id: 'position', kind: 'position' });
    else this.remove('position');
  }

  setMarks(marks: readonly Mark[]): void {
    if (marks.length > 0 && !this.marksAttached) {
      this.ctl.priceSeries.attachPrimitive(this.marks);
      this.marksAttached = true;
    }
    this.marks.set(marks);
  }

  /** Moves a line while it is dragged (the order itself is unchanged until the modify is answered). */
  moveTo(id: string, price: string): void {
    const l = this.lines.get(id);
    if (!l || l.spec.price === price) return;
    this.upsert({ ...l.spec, price });
  }

  spec(id: string): LineSpec | null {
    return this.lines.get(id)?.spec ?? null;
  }

  /** Order lines within HIT_PX of `y` (px from the chart's top), nearest first. */
  hit(y: number, px = HIT_PX): LineSpec[] {
    const out: Array<{ d: number; spec: LineSpec }> = [];
    for (const l of this.lines.values()) {
      if (l.spec.kind !== 'order') continue;
      const ly = this.ctl.priceToY(Number(l.spec.price));
      if (ly !== null && Math.abs(ly - y) <= px) out.push({ d: Math.abs(ly - y), spec: l.spec });
    }
    return out.sort((a, b) => a.d - b.d).map((o) => o.spec);
  }

  destroy(): void {
    cancelAnimationFrame(this.raf);
    this.raf = 0;
    for (const id of [...this.lines.keys()]) this.remove(id);
    if (this.marksAttached) this.ctl.priceSeries.detachPrimitive(this.marks);
    this.layer.remove();
  }

  private upsert(spec: LineSpec): void {
    const cur = this.lines.get(spec.id);
    const opts = lineOptions(spec);
    if (cur) {
      if (!sameSpec(cur.spec, spec)) {
        cur.line.applyOptions(opts);
        cur.spec = spec;
        decorate(cur.el, cur.label, spec);
        cur.y = null; // re-place at once
        this.place(cur);
      }
      return;
    }
    const line = this.ctl.priceSeries.createPriceLine(opts);
    const el = document.createElement('div');
    const label = document.createElement('span');
    label.className = 'order-handle';
    el.style.display = 'none'; // until place() finds the line on the scale
    el.appendChild(label);
    decorate(el, label, spec);
    this.layer.appendChild(el);
    const l: Line = { spec, line, el, label, y: null };
    this.lines.set(spec.id, l);
    this.place(l);
    this.loop();
  }

  private remove(id: string): void {
    const l = this.lines.get(id);
    if (!l) return;
    this.ctl.priceSeries.removePriceLine(l.line);
    l.el.remove();
    this.lines.delete(id);
  }

  private place(l: Line, h = this.layer.clientHeight): void {
    const y = this.ctl.priceToY(Number(l.spec.price));
    const shown = y !== null && y >= 0 && (h === 0 || y <= h);
    if (!shown) {
      l.el.style.display = 'none';
      l.y = null;
      return;
    }
    if (l.y === y) return;
    if (l.y === null) l.el.style.display = '';
    l.el.style.transform = `translateY(${Math.round(y)}px)`;
    l.y = y;
  }

  /** Keeps the DOM at the lines' heights as the price scale moves (autoscale, zoom, resize). */
  private loop(): void {
    if (this.raf) return;
    const tick = () => {
      this.raf = 0;
      if (this.lines.size === 0) return;
      // One layout read per frame, before the writes.
      const h = this.layer.clientHeight;
      for (const l of this.lines.values()) this.place(l, h);
      this.raf = requestAnimationFrame(tick);
    };
    this.raf = requestAnimationFrame(tick);
  }
}

function lineOptions(s: LineSpec) {
  const color = s.kind === 'position' ? ORDER_COLORS.position : ORDER_COLORS[s.action];
  const dark = s.execMode === 'dark' || s.action === 'alert';
  return {
    id: s.id,
    price: Number(s.price),
    color: s.unconfirmed || s.kind === 'staged' ? `${color}99` : color,
    lineWidth: s.kind === 'position' ? 1 : 2,
    lineStyle: s.kind === 'position' ? LineStyle.Dashed : dark ? LineStyle.Dotted : LineStyle.Solid,
    axisLabelVisible: true,
    title: '',
  } as const;
}

function decorate(el: HTMLDivElement, label: HTMLSpanElement, s: LineSpec): void {
  el.className = `order-line ${s.kind} ${s.action} ${s.execMode}${s.unconfirmed ? ' unconfirmed' : ''}`;
  el.dataset.testid = s.kind === 'order' ? 'order-line' : s.kind === 'staged' ? 'order-line-staged' : 'position-line';
  el.dataset.oid = s.kind === 'order' ? s.id : '';
  el.dataset.action = s.action;
  el.dataset.execMode = s.execMode;
  el.dataset.price = s.price;
  label.textContent = s.label;
}

function sameSpec(a: LineSpec, b: LineSpec): boolean {
  return (
    a.price === b.price &&
    a.label === b.label &&
    a.action === b.action &&
    a.execMode === b.execMode &&
    a.kind === b.kind &&
    !!a.unconfirmed === !!b.unconfirmed
  );
}

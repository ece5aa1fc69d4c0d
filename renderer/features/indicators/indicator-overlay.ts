import type { IChartApi, MouseEventParams } from 'lightweight-charts';
import { formatDateTime } from '../../lib/format.js';
import { rowAt } from '../../lib/windowing.js';
import { formatIndicatorValue } from './indicator-format.js';
import type { IndicatorLayer, IndicatorReading } from './indicator-layer.js';
import { isQHeld, onQHold } from './q-key.js';

/**
 * The DOM over one chart for its indicators: a label per indicator (name and value at the hovered bar, else the
 * newest; lines over the candles at the top left, pane indicators at the top of their pane) and, while `q` is held
 * with the pointer over the chart, a box by the cursor with every indicator's value at the bar under it. Written
 * directly (values change on every tick), at most once per animation frame.
 */
export class IndicatorOverlay {
  private readonly root: HTMLDivElement;
  private readonly priceLabels: HTMLDivElement;
  private readonly qBox: HTMLDivElement;
  private hoverIndex: number | null = null;
  private pointer: { x: number; y: number } | null = null;
  private frame = 0;
  private readonly offQ: () => void;

  constructor(
    private readonly host: HTMLElement,
    private readonly chart: IChartApi,
    private readonly layer: IndicatorLayer,
    private readonly digits: () => number,
    private readonly onRemove: (id: string) => void,
  ) {
    this.root = div('ind-overlay');
    this.priceLabels = div('ind-labels');
    this.qBox = div('ind-values');
    this.qBox.dataset.testid = 'indicator-values';
    this.qBox.hidden = true;
    this.root.append(this.priceLabels, this.qBox);
    host.append(this.root);
    chart.subscribeCrosshairMove(this.onCrosshair);
    host.addEventListener('pointermove', this.onPointer);
    host.addEventListener('pointerleave', this.onLeave);
    this.offQ = onQHold(() => this.request());
  }

  /** Something changed (values, the set, the market's digits): redraw in the next frame. */
  readonly request = (): void => {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  };

  /** The bar the q box reads: the hovered one, or null. */
  get hovered(): number | null {
    return this.hoverIndex;
  }

  destroy(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.chart.unsubscribeCrosshairMove(this.onCrosshair);
    this.host.removeEventListener('pointermove', this.onPointer);
    this.host.removeEventListener('pointerleave', this.onLeave);
    this.offQ();
    this.root.remove();
  }

  render(): void {
    const rows = this.layer.rows;
    const at = this.hoverIndex ?? (rows ? rows.store.hi - 1 : -1);
    const readings = this.layer.readings(at);
    const panes = this.layer.paneElements();
    const hostTop = this.host.getBoundingClientRect().top;
    const labels: HTMLElement[] = [];
    const paneLabels: HTMLElement[] = [];
    for (const r of readings) {
      const label = this.label(r);
      if (r.placement === 'price') labels.push(label);
      else {
        const el = panes.get(r.id);
        label.classList.add('pane');
        label.style.top = `${el ? el.getBoundingClientRect().top - hostTop + 3 : 0}px`;
        paneLabels.push(label);
      }
    }
    this.priceLabels.replaceChildren(...labels);
    for (const old of this.root.querySelectorAll(':scope > .ind-label.pane')) old.remove();
    this.root.append(...paneLabels);
    this.renderQBox(rows ? at : -1, readings);
  }

  private label(r: IndicatorReading): HTMLElement {
    const el = div('ind-label');
    Object.assign(el.dataset, { testid: 'indicator-label', kind: r.kind, indicatorId: r.id, value: Number.isNaN(r.value) ? '' : String(r.value) });
    const swatch = div('swatch');
    swatch.style.background = r.color;
    const name = span('name', r.label);
    const value = span('value', formatIndicatorValue(r.value, r.kind, r.valueIsPrice, this.digits()));
    const x = document.createElement('button');
    x.type = 'button';
    x.className = 'x';
    x.textContent = '×';
    x.title = `remove ${r.label}`;
    x.dataset.testid = 'indicator-label-remove';
    x.addEventListener('pointerdown', (e) => e.stopPropagation());
    x.addEventListener('click', () => this.onRemove(r.id));
    el.append(swatch, name, value, x);
    return el;
  }

  private renderQBox(at: number, readings: IndicatorReading[]): void {
    const box = this.qBox;
    const rows = this.layer.rows;
    const show = isQHeld() && this.pointer !== null && rows !== null && at >= rows.store.lo && at < rows.store.hi && readings.length > 0;
    box.hidden = !show;
    if (!show) return;
    const time = rows!.store.time(at);
    const head = div('head');
    head.textContent = formatDateTime(time, this.chart.options().timeScale.secondsVisible);
    const lines = readings.map((r) => {
      const line = div('line');
      Object.assign(line.dataset, { testid: 'indicator-value', kind: r.kind, indicatorId: r.id, value: Number.isNaN(r.value) ? '' : String(r.value) });
      const swatch = div('swatch');
      swatch.style.background = r.color;
      line.append(swatch, span('name', r.label), span('value', formatIndicatorValue(r.value, r.kind, r.valueIsPrice, this.digits())));
      return line;
    });
    box.replaceChildren(head, ...lines);
    Object.assign(box.dataset, { index: String(at), time: String(time) });
    const p = this.pointer!;
    const w = this.host.clientWidth;
    const left = p.x + 16 + 200 > w ? p.x - 16 - box.offsetWidth : p.x + 16;
    box.style.left = `${Math.max(0, left)}px`;
    box.style.top = `${Math.max(0, Math.min(this.host.clientHeight - box.offsetHeight - 4, p.y + 12))}px`;
  }

  private readonly onCrosshair = (p: MouseEventParams): void => {
    const rows = this.layer.rows;
    // No bar under the cursor (the empty space of a wide zoom-out): the labels show the newest bar, as the legend.
    const next = p.point && p.time !== undefined && p.logical !== undefined && rows ? rowAt(rows.window, p.logical) : null;
    if (next === this.hoverIndex) return;
    this.hoverIndex = next;
    this.request();
  };

  private readonly onPointer = (e: PointerEvent): void => {
    const r = this.host.getBoundingClientRect();
    this.pointer = { x: e.clientX - r.left, y: e.clientY - r.top };
    if (isQHeld()) this.request();
  };

  private readonly onLeave = (): void => {
    // The chart may not send a crosshair leave when its series is replaced under the pointer (a re-window).
    this.pointer = null;
    this.hoverIndex = null;
    this.request();
  };
}

function div(cls: string): HTMLDivElement {
  const e = document.createElement('div');
  e.className = cls;
  return e;
}

function span(cls: string, text: string): HTMLSpanElement {
  const e = document.createElement('span');
  e.className = cls;
  e.textContent = text;
  return e;
}

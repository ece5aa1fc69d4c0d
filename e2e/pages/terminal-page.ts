/**
 * The Candlewick terminal as the e2e tests see it, through the data-testids of DESIGN.md §5 only. One class for both
 * targets: constructed on a Chromium page served by `candlewick serve`, or on the first window of the Electron app
 * (same UI, loaded from app://). `entryUrl` is the UI's index for that target; `open(fqme)` adds `?fqme=`.
 */
import { expect, type Locator, type Page } from '@playwright/test';

export type Timeframe = 1 | 60;

export interface Ohlcv {
  open: number;
  high: number;
  low: number;
  close: number;
  /** The legend compacts volumes (1.2K, 3.4M): this is the displayed text, not a number. */
  volume: string;
}

export interface ServiceRow {
  name: string;
  state: string;
  /** From the row's restart counter (↻N); 0 when it shows none. */
  restarts: number;
  /** The row's tooltip: the service's last error, if any. */
  lastError: string | null;
}

export interface ApiReply {
  result?: unknown;
  error?: { code: string; message: string };
}

const NUM = String.raw`(-?[\d,]*\.?\d+(?:e[-+]?\d+)?)`;
const LEGEND_RE = new RegExp(String.raw`O\s+${NUM}\s+H\s+${NUM}\s+L\s+${NUM}\s+C\s+${NUM}\s+V\s+(\S+)`, 'i');

/** The O H L C V of a legend text, or null while it shows no bar ("O - H - ..."). */
export function parseLegend(text: string): Ohlcv | null {
  const m = LEGEND_RE.exec(text);
  if (!m) return null;
  const n = (s: string) => Number(s.replace(/,/g, ''));
  return { open: n(m[1]!), high: n(m[2]!), low: n(m[3]!), close: n(m[4]!), volume: m[5]! };
}

export interface IndicatorValuesBox {
  /** The bar's absolute row in the chart's store, and its time (epoch s). */
  index: number;
  time: number;
  text: string;
  values: Record<string, { kind: string; value: number | null }>;
}

export interface SelectionStats {
  text: string;
  changePct: number;
  range: number;
  bars: number;
  max: number;
  min: number;
  sigma: number;
  /** Absolute rows of the first and last selected bars. */
  first: number;
  last: number;
}

/** features/chart/gap-markers.ts DrawnGap, as the chart's stats report it. */
export interface GapMarkerStats {
  start: number;
  end: number;
  bars: number;
  gaps: number;
  reasons: string[];
  label: string;
  before: number;
  after: number;
  beforeTime: number;
  afterTime: number;
  x0: number | null;
  x1: number | null;
  beforeX: number | null;
  afterX: number | null;
  hovered: boolean;
}

export interface IndicatorBars {
  lo: number;
  hi: number;
  from: number;
  to: number;
  time: number[];
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
}

export class TerminalPage {
  constructor(
    readonly page: Page,
    /** The UI's entry page: http://127.0.0.1:P/ under serve, app://.../index.html under Electron. */
    readonly entryUrl: string,
  ) {}

  /**
   * Loads the UI, optionally on a given symbol (`?fqme=`) and with more query parameters (e.g. `bars`: rows of the
   * 1 m chart), and waits until it is connected to the host.
   */
  async open(fqme?: string, query: Record<string, string> = {}): Promise<void> {
    const url = new URL(this.entryUrl);
    if (fqme !== undefined) url.searchParams.set('fqme', fqme);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    await this.page.goto(url.toString());
    await expect(this.statusBar).toHaveAttribute('data-connection', 'connected', { timeout: 15_000 });
  }

  // ---- charts ----

  /**
   * The focused chart view: one symbol with its 1 m and 1 s charts, what the search loads into and order mode and the
   * order pane act on. With one chart in the window it is the only one.
   */
  get focusedView(): Locator {
    return this.page.locator('[data-testid="chart-view"][data-focused="true"]');
  }

  /** The chart views of the active tab, in layout order (left to right, top to bottom). */
  get views(): Locator {
    return this.page.locator('[data-testid="tab-body"]:not([aria-hidden="true"]) [data-testid="chart-view"]');
  }

  /** The charts of the focused view (two for a symbol shown in 1 m and 1 s). */
  get charts(): Locator {
    return this.focusedView.getByTestId('chart');
  }

  /** The slow (60: 1 m) or fast (1: 1 s) chart of the focused view, or of `view`. */
  chart(timeframe: Timeframe, view: Locator = this.focusedView): Locator {
    return view.locator(`[data-testid="chart"][data-timeframe="${timeframe}"]`);
  }

  /** The legend of a chart: the chart-legend sharing the chart's pane. */
  legend(timeframe: Timeframe, view: Locator = this.focusedView): Locator {
    return this.chart(timeframe, view).locator('xpath=..').getByTestId('chart-legend');
  }

  async legendText(timeframe: Timeframe, view: Locator = this.focusedView): Promise<string> {
    return (await this.legend(timeframe, view).innerText()).replace(/\s+/g, ' ').trim();
  }

  async legendBar(timeframe: Timeframe, view: Locator = this.focusedView): Promise<Ohlcv | null> {
    return parseLegend(await this.legendText(timeframe, view));
  }

  /** data-fqme of every chart of the focused view, top to bottom. */
  async chartFqmes(): Promise<string[]> {
    return this.charts.evaluateAll((els) => els.map((e) => e.getAttribute('data-fqme') ?? ''));
  }

  /** Waits until both charts exist for `fqme` (when given) and both legends show a bar with prices. */
  async waitForCandles(fqme?: string, timeout = 20_000, view: Locator = this.focusedView): Promise<void> {
    for (const tf of [60, 1] as const) {
      await expect(this.chart(tf, view)).toBeVisible({ timeout });
      if (fqme) await expect(this.chart(tf, view)).toHaveAttribute('data-fqme', fqme, { timeout });
      await expect.poll(() => this.legendBar(tf, view), { timeout, message: `legend of the ${tf} s chart shows a bar` }).not.toBeNull();
    }
  }

  /**
   * Waits until the legend of a chart shows something other than `before` (a new trade or a new bar), and returns
   * the new text. Fails after `timeout`.
   */
  async waitForLegendChange(timeframe: Timeframe, before: string, timeout = 15_000): Promise<string> {
    let now = before;
    await expect
      .poll(
        async () => {
          now = await this.legendText(timeframe);
          return now !== before && parseLegend(now) !== null;
        },
        { timeout, message: `legend of the ${timeframe} s chart changes from "${before}"` },
      )
      .toBe(true);
    return now;
  }

  /** The focused view's error banner. */
  get chartError(): Locator {
    return this.focusedView.getByTestId('chart-error');
  }

  /**
   * The recorded history gaps a chart draws, as its hidden text list (one item per marker, with data-start, data-end,
   * data-bars, data-gaps, data-before-time and data-after-time: the run and the bars either side of it).
   */
  gapItems(timeframe: Timeframe, view: Locator = this.focusedView): Locator {
    return this.chart(timeframe, view).getByTestId('chart-gap');
  }

  /** The focused chart's drawn gap markers (chart stats `gaps`: rows, times, x in px from the chart's left). */
  async gapMarkers(timeframe: Timeframe): Promise<GapMarkerStats[]> {
    const role = timeframe === 60 ? 'slow' : 'fast';
    return this.page.evaluate((r) => ((globalThis as any).__candlewick.stats()[r]?.gaps ?? []) as GapMarkerStats[], role);
  }

  // ---- layout: tabs, splits, overlays ----

  get tabs(): Locator {
    return this.page.getByTestId('layout-tab');
  }

  get activeTab(): Locator {
    return this.page.locator('[data-testid="layout-tab"][aria-selected="true"]');
  }

  /** data-fqme of each chart view of the active tab, in layout order. */
  async viewFqmes(): Promise<string[]> {
    return this.views.evaluateAll((els) => els.map((e) => e.getAttribute('data-fqme') ?? ''));
  }

  /** Splits the focused chart: a new chart beside it ('row') or below it ('column'), which takes the focus. */
  async split(dir: 'row' | 'column'): Promise<void> {
    const before = await this.views.count();
    await this.focusedView.getByTestId(`chart-split-${dir}`).click();
    await expect(this.views).toHaveCount(before + 1);
  }

  /** Focuses the `index`-th chart view of the active tab (a click on its toolbar). */
  async focusView(index: number): Promise<Locator> {
    const view = this.views.nth(index);
    await view.getByTestId('chart-symbol').click();
    await expect(view).toHaveAttribute('data-focused', 'true');
    return view;
  }

  /** Opens a new tab (on the focused symbol, with the search open) and loads `fqme` into it from the keyboard. */
  async newTab(fqme: string): Promise<void> {
    const before = await this.tabs.count();
    await this.page.getByTestId('tab-new').click();
    await expect(this.tabs).toHaveCount(before + 1);
    await expect(this.searchBox).toBeFocused();
    await this.loadFromSearch(fqme);
  }

  async activateTab(index: number): Promise<void> {
    await this.tabs.nth(index).click();
    await expect(this.tabs.nth(index)).toHaveAttribute('aria-selected', 'true');
  }

  /** Overlays `fqme` on the focused chart (its "+ overlay" button, then the search). */
  async addOverlay(fqme: string): Promise<void> {
    await this.focusedView.getByTestId('overlay-add').click();
    await expect(this.searchBox).toBeFocused();
    await this.loadFromSearch(fqme);
    await expect(this.focusedView.locator(`[data-testid="overlay"][data-fqme="${fqme}"]`)).toBeVisible();
  }

  /**
   * What the 1 m chart `chartId` draws for its first overlay, read from lightweight-charts itself: the scale mode, the
   * axis text at its first visible candle and 1% of log return above it, and in pixels: where the overlay is drawn at
   * that candle against the candle's close, where its newest point is drawn against where the candle scale puts the
   * overlay's own log return from there (its stream's closes), and whether every visible point is inside the pane.
   * "Drawn" is read off the pane's canvas: the pixels around each spot are looked at for the line's colour.
   */
  async overlayScale(chartId: string) {
    return this.page.evaluate((id) => {
      const c = (globalThis as any).__candlewick.chartsById.get(id)?.slow;
      const ov = c?.overlays?.[0];
      const range = c?.chart.timeScale().getVisibleLogicalRange();
      if (!c || !ov || !range || ov.scale === null) return null;
      const first = Math.max(0, Math.ceil(range.from));
      const last = Math.min(c.priceSeries.data().length - 1, Math.floor(range.to));
      // The value the line draws at a candle, in the candles' units, and where the candles' scale puts it.
      const drawnY = (l: number): number | null => {
        const v = ov.valueAt(l);
        return v === null ? null : c.priceSeries.priceToCoordinate(v);
      };
      const color = ov.color as string;
      const [cr, cg, cb] = [1, 3, 5].map((k) => parseInt(color.slice(k, k + 2), 16)) as [number, number, number];
      const root = c.chart.chartElement();
      /** Whether a pixel of the line's colour is painted within 2 css px of pane point (x, y). */
      const painted = (x: number, y: number): boolean => {
        const at = { x: root.getBoundingClientRect().left + x, y: root.getBoundingClientRect().top + y };
        for (const canvas of root.querySelectorAll('canvas') as Iterable<any>) {
          const r = canvas.getBoundingClientRect();
          if (at.x < r.left || at.x > r.right || at.y < r.top || at.y > r.bottom) continue;
          const k = canvas.width / r.width;
          const px = canvas.getContext('2d')!.getImageData(Math.round((at.x - r.left - 2) * k), Math.round((at.y - r.top - 2) * k), Math.ceil(4 * k), Math.ceil(4 * k)).data;
          for (let i = 0; i < px.length; i += 4) {
            if (Math.abs(px[i]! - cr) < 24 && Math.abs(px[i + 1]! - cg) < 24 && Math.abs(px[i + 2]! - cb) < 24) return true;
          }
        }
        return false;
      };
      const xOf = (l: number): number => c.chart.timeScale().logicalToCoordinate(l);
      const store = ov.stream.store;
      const ownClose = (l: number): number | null => {
        // A candle stands for its bucket's last row: the overlay's close is the one at or before that row's time.
        const i = store.indexAtOrBefore(c.stream.store.time(c.series.rowAt(l)));
        return i < 0 ? null : store.get('close', i);
      };
      const ref = c.priceSeries.dataByIndex(first).close as number;
      const [a, b, yRef, yLast] = [ownClose(first), ownClose(last), drawnY(first), drawnY(last)];
      if (a === null || b === null || yRef === null || yLast === null) return null;
      const yRefCandle = c.priceSeries.priceToCoordinate(ref);
      const yLastOwn = c.priceSeries.priceToCoordinate(ref * (b / a));
      const height = c.chart.paneSize(0).height;
      let inPane = true;
      for (let l = first; l <= last; l++) {
        const y = drawnY(l);
        if (y !== null && (y < 0 || y > height)) inPane = false;
      }
      const fmt = c.priceSeries.priceFormatter();
      return {
        mode: c.chart.priceScale('right').options().mode,
        first,
        axisAtRef: fmt.format(ref),
        axisOnePctUp: fmt.format(ref * Math.exp(0.01)),
        meetsPx: Math.abs(yRef - yRefCandle),
        lastPx: Math.abs(yLast - yLastOwn),
        paintedAtRef: painted(xOf(first), yRefCandle),
        paintedAtLast: painted(xOf(last), yLastOwn),
        inPane,
      };
    }, chartId);
  }

  /** With the search box focused: types the symbol's pair, picks `fqme` with the keyboard and presses Enter. */
  async loadFromSearch(fqme: string): Promise<void> {
    await this.page.keyboard.type(fqme.split('.')[0]!, { delay: 20 });
    await this.selectWithKeyboard(fqme);
    await this.page.keyboard.press('Enter');
  }

  /** Waits until the window's layout is restored and every change to it is saved on the host. */
  async waitForLayoutSaved(timeout = 10_000): Promise<void> {
    await expect
      .poll(() => this.page.evaluate(() => (globalThis as any).__candlewick.store.layout() as { restored: boolean; dirty: boolean; saves: number }), {
        timeout,
        message: 'layout saved',
      })
      .toMatchObject({ restored: true, dirty: false });
    // A save may still be in flight: its answer bumps `saves`; one more poll with nothing dirty settles it.
    await expect
      .poll(async () => {
        const before = await this.page.evaluate(() => (globalThis as any).__candlewick.store.layout().saves as number);
        await this.page.waitForTimeout(400);
        const after = await this.page.evaluate(() => (globalThis as any).__candlewick.store.layout() as { dirty: boolean; saves: number });
        return !after.dirty && after.saves === before;
      }, { timeout })
      .toBe(true);
  }

  /** The debug handle's stats of every chart of the window, by layout chart id then role. */
  async chartStats(): Promise<Record<string, Record<string, any>>> {
    return this.page.evaluate(() => (globalThis as any).__candlewick.stats().byChart);
  }

  // ---- indicators (features/indicators) ----

  /** The open indicator menu (one at a time). */
  get indicatorMenu(): Locator {
    return this.page.getByTestId('indicator-menu');
  }

  async openIndicatorMenu(view: Locator = this.focusedView): Promise<void> {
    if (await this.indicatorMenu.isVisible()) return;
    await view.getByTestId('indicator-add').click();
    await expect(this.indicatorMenu).toBeVisible();
  }

  /** Adds an indicator to a chart through its menu (parameters typed into the kind's row); returns its id. */
  async addIndicator(kind: string, params: Record<string, number | string> = {}, view: Locator = this.focusedView): Promise<string> {
    await this.openIndicatorMenu(view);
    const items = this.indicatorMenu.getByTestId('indicator-item');
    const before = await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-indicator-id')));
    const row = this.indicatorMenu.locator(`[data-testid="indicator-kind"][data-kind="${kind}"]`);
    for (const [name, v] of Object.entries(params)) {
      const field = row.locator(`[data-param="${name}"]`);
      if (typeof v === 'number') await field.fill(String(v));
      else await field.selectOption(v);
    }
    await row.getByTestId('indicator-add-kind').click();
    await expect(items).toHaveCount(before.length + 1);
    const id = (await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-indicator-id')))).find((i) => !before.includes(i))!;
    await this.page.keyboard.press('Escape');
    await expect(this.indicatorMenu).toBeHidden();
    return id;
  }

  async removeIndicator(id: string, view: Locator = this.focusedView): Promise<void> {
    await this.openIndicatorMenu(view);
    await this.indicatorMenu.locator(`[data-testid="indicator-remove"][data-indicator-id="${id}"]`).click();
    await expect(this.indicatorMenu.locator(`[data-testid="indicator-item"][data-indicator-id="${id}"]`)).toHaveCount(0);
    await this.page.keyboard.press('Escape');
  }

  /** The panes of pane indicators (RSI, Volume) on a chart; `data-kind`, `data-indicator-id`. */
  indicatorPanes(timeframe: Timeframe, view: Locator = this.focusedView): Locator {
    return this.chart(timeframe, view).locator('[data-testid="indicator-pane"]');
  }

  /** The label of each indicator on a chart: `data-kind`, `data-indicator-id`, `data-value` (the shown bar's value). */
  indicatorLabels(timeframe: Timeframe, view: Locator = this.focusedView): Locator {
    return this.chart(timeframe, view).locator('[data-testid="indicator-label"]');
  }

  /** One indicator's label on a chart. */
  indicatorLabel(timeframe: Timeframe, id: string, view: Locator = this.focusedView): Locator {
    return this.chart(timeframe, view).locator(`[data-testid="indicator-label"][data-indicator-id="${id}"]`);
  }

  /**
   * Holds `q` with the pointer at `at` (page coordinates) over a chart: the values box of the bar under the cursor,
   * read while q is down (after `whileHeld`, e.g. a screenshot). `values` by indicator id (null where none there).
   */
  async holdQ(timeframe: Timeframe, at: { x: number; y: number }, whileHeld?: () => Promise<unknown>, view: Locator = this.focusedView): Promise<IndicatorValuesBox> {
    await this.page.mouse.move(at.x - 2, at.y);
    await this.page.mouse.move(at.x, at.y);
    await this.page.keyboard.down('q');
    try {
      const box = this.chart(timeframe, view).getByTestId('indicator-values');
      await expect(box).toBeVisible();
      await whileHeld?.();
      return await box.evaluate((el) => ({
        index: Number(el.getAttribute('data-index')),
        time: Number(el.getAttribute('data-time')),
        text: (el.textContent ?? '').trim(),
        values: Object.fromEntries(
          Array.from(el.querySelectorAll('[data-testid="indicator-value"]') as ArrayLike<any>).map((l) => {
            const v = l.getAttribute('data-value');
            return [l.getAttribute('data-indicator-id') ?? '', { kind: l.getAttribute('data-kind') ?? '', value: v ? Number(v) : null }];
          }),
        ),
      }));
    } finally {
      await this.page.keyboard.up('q');
    }
  }

  /** Shift-drags across a chart from `fromFrac` to `toFrac` of its width; returns the selection-stats box's figures. */
  async shiftDrag(timeframe: Timeframe, fromFrac: number, toFrac: number, view: Locator = this.focusedView): Promise<SelectionStats> {
    const box = (await this.chart(timeframe, view).boundingBox())!;
    const y = box.y + box.height * 0.4;
    await this.page.mouse.move(box.x + box.width * fromFrac, y);
    await this.page.keyboard.down('Shift');
    await this.page.mouse.down();
    for (const f of [0.25, 0.5, 0.75, 1]) await this.page.mouse.move(box.x + box.width * (fromFrac + (toFrac - fromFrac) * f), y);
    await this.page.mouse.up();
    await this.page.keyboard.up('Shift');
    const stats = this.chart(timeframe, view).getByTestId('selection-stats');
    await expect(stats).toBeVisible();
    return stats.evaluate((el) => {
      const d = (el as any).dataset as Record<string, string>;
      const n = (k: string) => Number(d[k]);
      return { text: (el.textContent ?? '').trim(), changePct: n('changePct'), range: n('range'), bars: n('bars'), max: n('max'), min: n('min'), sigma: n('sigma'), first: n('first'), last: n('last') };
    });
  }

  /** Rows [from, to) of a chart's bars as the indicator worker got them (debug handle), column by column. */
  async indicatorBars(chartId: string, timeframe: Timeframe, from: number, to: number): Promise<IndicatorBars> {
    const role = timeframe === 60 ? 'slow' : 'fast';
    return this.page.evaluate(([c, r, f, t]) => (globalThis as any).__candlewick.indicators.bars(c, r, f, t), [chartId, role, from, to] as const);
  }

  // ---- symbol search ----

  get searchBox(): Locator {
    return this.page.getByTestId('symbol-search');
  }

  get searchResults(): Locator {
    return this.page.getByTestId('search-result');
  }

  /** The highlighted result (what Enter loads). */
  get selectedResult(): Locator {
    return this.page.locator('[data-testid="search-result"][aria-selected="true"]');
  }

  /** ctrl-l from wherever the focus is, then types `pattern` (keyboard only). */
  /** Loads `fqme` into the focused chart from the keyboard: ctrl-l, a few letters, the arrows to it, Enter; waits for its candles. */
  async loadWithSearch(fqme: string): Promise<void> {
    await this.search(fqme.split('.')[0]!.slice(0, 3));
    await this.selectWithKeyboard(fqme);
    await this.page.keyboard.press('Enter');
    await this.waitForCandles(fqme);
  }

  async search(pattern: string): Promise<void> {
    await this.page.keyboard.press('Control+l');
    await expect(this.searchBox).toBeFocused();
    await this.page.keyboard.type(pattern, { delay: 20 });
    await expect(this.searchBox).toHaveValue(pattern);
  }

  async resultFqmes(): Promise<string[]> {
    return this.searchResults.evaluateAll((els) => els.map((e) => e.getAttribute('data-fqme') ?? ''));
  }

  async selectedFqme(): Promise<string | null> {
    if ((await this.selectedResult.count()) === 0) return null;
    return this.selectedResult.first().getAttribute('data-fqme');
  }

  /** Moves the highlight with ctrl-j until it is on `fqme` (at most one pass over the results). */
  async selectWithKeyboard(fqme: string): Promise<void> {
    await expect(this.searchResults.first()).toBeVisible();
    await expect(this.page.locator(`[data-testid="search-result"][data-fqme="${fqme}"]`)).toBeVisible();
    // The list can still be replaced by a later (debounced) answer, which moves the highlight back to the top:
    // keep stepping with ctrl-j until it rests on `fqme`.
    await expect(async () => {
      if ((await this.selectedFqme()) !== fqme) await this.page.keyboard.press('Control+j');
      expect(await this.selectedFqme()).toBe(fqme);
    }).toPass({ timeout: 10_000 });
  }

  // ---- services panel ----

  get servicesPanel(): Locator {
    return this.page.getByTestId('services');
  }

  /** Rows of the services panel (expanding it first if it is collapsed). */
  async servicesRows(): Promise<ServiceRow[]> {
    await expect(this.servicesPanel).toBeVisible();
    const expand = this.servicesPanel.locator('button[title="expand"]');
    if ((await expand.count()) > 0) await expand.click();
    return this.servicesPanel.locator('[data-service]').evaluateAll((els) =>
      els.map((e) => {
        // data-restarts when the row has it; else the leaf element reading "↻N" (the row's text runs its spans
        // together, e.g. "↻1" + uptime "7s" = "↻17s", so the whole text cannot be parsed).
        const attr = e.getAttribute('data-restarts');
        let m: RegExpExecArray | null = attr === null ? null : /^(\d+)$/.exec(attr.trim());
        for (const leaf of Array.from(e.querySelectorAll('*')) as any[]) {
          if (m) break;
          if (leaf.children.length === 0) m = /^↻\s*(\d+)$/.exec((leaf.textContent ?? '').trim());
        }
        return {
          name: e.getAttribute('data-service') ?? '',
          state: e.getAttribute('data-state') ?? '',
          restarts: m ? Number(m[1]) : 0,
          lastError: e.getAttribute('title'),
        };
      }),
    );
  }

  async serviceRow(name: string): Promise<ServiceRow | null> {
    return (await this.servicesRows()).find((r) => r.name === name) ?? null;
  }

  // ---- order mode ----

  get orderPane(): Locator {
    return this.page.getByTestId('order-pane');
  }

  /** Order lines on one chart (each chart draws every working order of its symbol), or on both. */
  orderLines(timeframe?: Timeframe): Locator {
    return (timeframe ? this.chart(timeframe) : this.page).locator('[data-testid="order-line"]');
  }

  orderLine(oid: string, timeframe: Timeframe): Locator {
    return this.chart(timeframe).locator(`[data-testid="order-line"][data-oid="${oid}"]`);
  }

  get workingOrders(): Locator {
    return this.page.getByTestId('working-order');
  }

  workingOrder(oid: string): Locator {
    return this.page.locator(`[data-testid="working-order"][data-oid="${oid}"]`);
  }

  get orderMenu(): Locator {
    return this.page.getByTestId('order-menu');
  }

  get alertToasts(): Locator {
    return this.page.getByTestId('alert-toast');
  }

  get position(): Locator {
    return this.page.getByTestId('position');
  }

  /** The loaded symbol's last trade price, as the UI's feed store holds it (null before the first tick). */
  async lastPrice(): Promise<number | null> {
    return this.page.evaluate(() => (globalThis as any).__candlewick.store.feed().lastPrice as number | null);
  }

  /**
   * Page coordinates of `price` on a chart, at `xFrac` of its width; null while the chart draws nothing. The y comes from
   * the chart's own price scale (the debug handle's controller), so a click there is at that price give or take a pixel.
   */
  async pointAtPrice(timeframe: Timeframe, price: number, xFrac = 0.5): Promise<{ x: number; y: number } | null> {
    const role = timeframe === 60 ? 'slow' : 'fast';
    const y = await this.page.evaluate(([r, p]) => (globalThis as any).__candlewick.charts[r].priceToY(p) as number | null, [role, price] as const);
    const box = await this.chart(timeframe).boundingBox();
    if (y === null || !box) return null;
    return { x: box.x + box.width * xFrac, y: box.y + y };
  }

  /** The price at page height `pageY` on a chart (its price scale), null while it draws nothing. */
  async priceAtY(timeframe: Timeframe, pageY: number): Promise<number | null> {
    const role = timeframe === 60 ? 'slow' : 'fast';
    const box = (await this.chart(timeframe).boundingBox())!;
    return this.page.evaluate(([r, y]) => (globalThis as any).__candlewick.charts[r].yToPrice(y) as number | null, [role, pageY - box.y] as const);
  }

  /** Chooses the account new orders go to (the order pane's account select). */
  async selectAccount(account: string): Promise<void> {
    await this.orderPane.getByTestId('account-select').selectOption(account);
  }

  /** Sets the allocator: size unit, limit (as typed, k/M/B allowed) and slots. */
  async setAllocator(a: { unit?: 'units' | 'currency'; limit?: string; slots?: number }): Promise<void> {
    if (a.unit) await this.orderPane.getByLabel('size unit').selectOption(a.unit);
    if (a.limit !== undefined) {
      const input = this.orderPane.getByTestId('alloc-limit');
      await input.fill(a.limit);
      await input.press('Enter');
    }
    if (a.slots !== undefined) await this.orderPane.getByTestId('alloc-slots').fill(String(a.slots));
    // Order mode ignores keys typed into form fields: leave the pane as a user clicking back on the chart would.
    await this.page.evaluate(() => (globalThis as any).document.activeElement?.blur());
  }

  /** Order notices (refusals, cancel-all counts), newest last. */
  get orderNotices(): Locator {
    return this.page.getByTestId('order-notice');
  }

  /** The newest bar's close on a chart (what its last-price line shows, fresher than the status bar's quote). */
  async lastClose(timeframe: Timeframe): Promise<number | null> {
    const role = timeframe === 60 ? 'slow' : 'fast';
    return this.page.evaluate((r) => (globalThis as any).__candlewick.charts[r].lastClose() as number | null, role);
  }

  /** Page coordinates `dy` px below (positive) or above (negative) the last price on a chart, kept inside the chart. */
  async pointNearLast(timeframe: Timeframe, dy: number, xFrac = 0.5): Promise<{ x: number; y: number }> {
    await expect.poll(() => this.lastClose(timeframe), { message: 'a last price' }).not.toBeNull();
    const at = await this.pointAtPrice(timeframe, (await this.lastClose(timeframe))!, xFrac);
    const box = (await this.chart(timeframe).boundingBox())!;
    expect(at, 'the last price is on the chart').not.toBeNull();
    return { x: at!.x, y: Math.max(box.y + 10, Math.min(box.y + box.height - 40, at!.y + dy)) };
  }

  /** Order mode from the keyboard: hover `at`, hold `key` (f buy, d sell, a alert; `s` too for live), click, let go. */
  async stageAndClick(at: { x: number; y: number }, key: 'f' | 'd' | 'a', live = false): Promise<void> {
    const kb = this.page.keyboard;
    await this.page.mouse.move(at.x, at.y - 3);
    await this.page.mouse.move(at.x, at.y);
    if (live) await kb.down('s');
    await kb.down(key);
    await expect(this.page.getByTestId('order-line-staged').first()).toBeAttached();
    await this.page.mouse.click(at.x, at.y);
    await kb.up(key);
    if (live) await kb.up('s');
  }

  /** The oids of the order lines on a chart. */
  async orderLineOids(timeframe: Timeframe): Promise<string[]> {
    return this.orderLines(timeframe).evaluateAll((els) => els.map((e) => e.getAttribute('data-oid') ?? ''));
  }

  /** Waits for one order line not in `before` to appear on a chart, and returns its oid. */
  async waitForNewOrderLine(timeframe: Timeframe, before: readonly string[], timeout = 10_000): Promise<string> {
    let oid = '';
    await expect
      .poll(
        async () => {
          oid = (await this.orderLineOids(timeframe)).find((o) => !before.includes(o)) ?? '';
          return oid;
        },
        { timeout, message: 'a new order line' },
      )
      .not.toBe('');
    return oid;
  }

  // ---- status bar ----

  get statusBar(): Locator {
    return this.page.getByTestId('status-bar');
  }

  async connectionState(): Promise<string | null> {
    return this.statusBar.getAttribute('data-connection');
  }

  // ---- the host API, from inside the page ----

  /**
   * One call of the typed API over a connection the page opens next to the UI's own: a WebSocket to /api/ws under
   * serve, a MessagePort from the preload bridge under Electron. Works the same on both targets.
   */
  async api(method: string, params: Record<string, unknown> = {}): Promise<ApiReply> {
    return this.page.evaluate(pageApiCall, { method, params });
  }

  async screenshot(path: string): Promise<Buffer> {
    return this.page.screenshot({ path });
  }
}

/**
 * Runs in the page. No DOM lib in this project's tsconfig (core must not see DOM types), hence the `any`s.
 * The connection is kept on the window so repeated calls do not pile up ports (Electron caps them per window).
 */
async function pageApiCall({ method, params }: { method: string; params: Record<string, unknown> }): Promise<ApiReply> {
  const w = globalThis as any;
  if (!w.__e2eApi) {
    w.__e2eApi = new Promise((resolve, reject) => {
      const pending = new Map<number, (r: ApiReply) => void>();
      let nextId = 1_000_000;
      const onText = (data: unknown) => {
        if (typeof data !== 'string') return;
        const msg = JSON.parse(data);
        const cb = typeof msg.id === 'number' ? pending.get(msg.id) : undefined;
        if (cb) {
          pending.delete(msg.id);
          cb(msg);
        }
      };
      const client = (send: (text: string) => void) => ({
        call: (m: string, p: unknown) =>
          new Promise<ApiReply>((res) => {
            const id = nextId++;
            pending.set(id, res);
            send(JSON.stringify({ id, method: m, params: p }));
          }),
      });
      const timer = setTimeout(() => reject(new Error('e2e: could not open an API connection from the page')), 5000);
      const bridge = w.candlewick;
      if (bridge && typeof bridge.connect === 'function') {
        const onPort = (e: any) => {
          if (e.data !== 'candlewick:port' || !e.ports?.[0]) return;
          w.removeEventListener('message', onPort);
          clearTimeout(timer);
          const port = e.ports[0];
          port.onmessage = (ev: any) => onText(ev.data);
          resolve(client((t) => port.postMessage(t)));
        };
        w.addEventListener('message', onPort);
        bridge.connect();
      } else {
        const loc = w.location;
        const ws = new w.WebSocket(`${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/api/ws`);
        ws.onmessage = (ev: any) => onText(ev.data);
        ws.onopen = () => {
          clearTimeout(timer);
          resolve(client((t) => ws.send(t)));
        };
        ws.onerror = () => {
          clearTimeout(timer);
          reject(new Error('e2e: WebSocket to /api/ws failed'));
        };
      }
    });
  }
  const api = await w.__e2eApi;
  return api.call(method, params);
}

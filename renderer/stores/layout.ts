import { create } from 'zustand';
import type { IndicatorSpec, Layout, SplitDir, WindowLayout } from '../../core/protocol/layout.js';
import type { Timeframe } from '../../core/protocol/types.js';
import { readLaunchOptions } from '../lib/launch-options.js';
import * as model from '../lib/layout-model.js';

/**
 * This window's part of the layout (tabs, splits, charts) and whether it is on the host yet. Every edit goes through
 * `edit` with a function of lib/layout-model.ts; features/layout/useLayoutSync.ts restores it once at start and
 * saves it (debounced) after each change.
 */
export interface LayoutStore {
  windowId: string;
  win: WindowLayout;
  /** False until the saved layout was read (or could not be): the workspace waits, and nothing is saved before. */
  restored: boolean;
  /** Changed since the last save the host acknowledged. */
  dirty: boolean;
  /** Saves acknowledged so far (tests wait on it). */
  saves: number;
  saveError: string | null;
  edit(fn: (w: WindowLayout) => WindowLayout): void;
  /** Takes the saved layout (this window's part, if any) at start; the URL's ?fqme= goes into the focused chart. */
  restore(saved: Layout | null): void;
}

const launch = readLaunchOptions(location.search);

export const useLayout = create<LayoutStore>((set, get) => ({
  windowId: launch.window,
  win: model.newWindow(launch.window, launch.fqme, model.randomIds),
  restored: false,
  dirty: false,
  saves: 0,
  saveError: null,
  edit(fn) {
    const win = fn(get().win);
    if (win !== get().win) set({ win, dirty: true });
  },
  restore(saved) {
    if (get().restored) return;
    const win = model.restoreWindow(saved?.windows ?? [], launch.window, launch.fqme, launch.urlFqme, model.randomIds);
    // A window that was not saved before (or whose URL changed a symbol) is saved right away.
    const known = saved?.windows.find((w) => w.id === launch.window);
    set({ win, restored: true, dirty: known !== win });
  },
}));

const ids = model.randomIds;
const edit = (fn: (w: WindowLayout) => WindowLayout) => useLayout.getState().edit(fn);

/** What the UI does to the layout (buttons, search, keys). */
export const layoutActions = {
  newTab(fqme?: string): void {
    edit((w) => model.addTab(w, fqme ?? model.focusedChart(w).fqme, ids));
  },
  closeTab(tabId: string): void {
    edit((w) => model.closeTab(w, tabId));
  },
  activateTab(tabId: string): void {
    edit((w) => model.activateTab(w, tabId));
  },
  focus(chartId: string): void {
    edit((w) => model.focusChart(w, chartId));
  },
  split(chartId: string, dir: SplitDir): void {
    edit((w) => model.splitChart(w, chartId, dir, ids));
  },
  closeChart(chartId: string): void {
    edit((w) => model.closeChart(w, chartId));
  },
  /** Loads a symbol (as typed) into a chart, the focused one by default. */
  setSymbol(raw: string, chartId?: string): void {
    const { fqme, error } = model.parseSymbol(raw);
    edit((w) => model.setSymbol(w, chartId ?? model.focusedChart(w).id, error ? raw.trim() : fqme));
  },
  toggleTimeframe(chartId: string, tf: Timeframe): void {
    edit((w) => model.toggleTimeframe(w, chartId, tf));
  },
  /** Overlays a symbol on a chart (the focused one by default); refused when it does not parse. */
  addOverlay(raw: string, chartId?: string): boolean {
    const { fqme, error } = model.parseSymbol(raw);
    if (error) return false;
    edit((w) => model.addOverlay(w, chartId ?? model.focusedChart(w).id, fqme));
    return true;
  },
  removeOverlay(chartId: string, fqme: string): void {
    edit((w) => model.removeOverlay(w, chartId, fqme));
  },
  setIndicators(chartId: string, indicators: readonly IndicatorSpec[]): void {
    edit((w) => model.setIndicators(w, chartId, indicators));
  },
  resize(tabId: string, path: readonly number[], sizes: readonly number[]): void {
    edit((w) => model.resizeSplit(w, tabId, path, sizes));
  },
};

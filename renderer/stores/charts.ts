import { create } from 'zustand';
import type { MktPair } from '../../core/protocol/types.js';

/** What one chart learned from the host: its market metadata, and why it (or an overlay) cannot be shown, if so. */
export interface ChartRuntime {
  /** The symbol `mkt` / `mktError` answer for (the chart may have moved on to another). */
  mktFqme: string | null;
  mkt: MktPair | null;
  mktError: string | null;
  /** By `fqme@timeframe`: the host's answer to bars.subscribe when it failed (a stale symbol's never match). */
  streamErrors: Record<string, string | null>;
  /** Per overlaid fqme: why it cannot be drawn. */
  overlayErrors: Record<string, string | null>;
}

export const EMPTY_RUNTIME: ChartRuntime = { mktFqme: null, mkt: null, mktError: null, streamErrors: {}, overlayErrors: {} };

export interface ChartsStore {
  byId: Record<string, ChartRuntime>;
  setMkt(chartId: string, fqme: string, mkt: MktPair | null, error: string | null): void;
  setStreamError(chartId: string, fqme: string, timeframe: number, error: string | null): void;
  setOverlayError(chartId: string, fqme: string, error: string | null): void;
  /** A chart closed or changed symbol: forget what was learned. */
  reset(chartId: string): void;
}

export const useCharts = create<ChartsStore>((set, get) => {
  const patch = (id: string, fn: (r: ChartRuntime) => ChartRuntime) => {
    const cur = get().byId[id] ?? EMPTY_RUNTIME;
    const next = fn(cur);
    if (next !== cur) set({ byId: { ...get().byId, [id]: next } });
  };
  return {
    byId: {},
    setMkt(id, mktFqme, mkt, mktError) {
      patch(id, (r) => (r.mktFqme === mktFqme && r.mkt === mkt && r.mktError === mktError ? r : { ...r, mktFqme, mkt, mktError }));
    },
    setStreamError(id, fqme, timeframe, error) {
      const key = streamKey(fqme, timeframe);
      patch(id, (r) => ((r.streamErrors[key] ?? null) === error ? r : { ...r, streamErrors: { ...r.streamErrors, [key]: error } }));
    },
    setOverlayError(id, fqme, error) {
      patch(id, (r) => ((r.overlayErrors[fqme] ?? null) === error ? r : { ...r, overlayErrors: { ...r.overlayErrors, [fqme]: error } }));
    },
    reset(id) {
      if (!get().byId[id]) return;
      const { [id]: _gone, ...rest } = get().byId;
      set({ byId: rest });
    },
  };
});

export const streamKey = (fqme: string, timeframe: number) => `${fqme}@${timeframe}`;

/** The chart's runtime state (a stable empty one before anything is known). */
export function runtimeOf(s: ChartsStore, chartId: string): ChartRuntime {
  return s.byId[chartId] ?? EMPTY_RUNTIME;
}

/** The chart's market metadata and its error, if they are for `fqme`. */
export function mktOf(r: ChartRuntime, fqme: string): { mkt: MktPair | null; mktError: string | null } {
  return r.mktFqme === fqme ? { mkt: r.mkt, mktError: r.mktError } : { mkt: null, mktError: null };
}

import { create } from 'zustand';
import type { MktPair } from '../../core/protocol/types.js';
import { focusedChart, parseSymbol } from '../lib/layout-model.js';
import { readLaunchOptions, urlWithFqme, type LaunchOptions } from '../lib/launch-options.js';
import { loadRecents, pushRecent, saveRecents } from '../lib/recents.js';
import { mktOf, runtimeOf, streamKey, useCharts } from './charts.js';
import { layoutActions, useLayout } from './layout.js';

/**
 * What the window is acting on: the focused chart (stores/layout.ts) seen as one symbol, its market metadata and
 * why it cannot be shown, if so. The symbol search loads into it, and the order pane, the status bar and the title
 * follow it. Kept in step with the layout and chart stores; `loadSymbol` edits the layout.
 */
export interface SessionStore {
  launch: LaunchOptions;
  /** The focused chart's id. */
  chartId: string;
  fqme: string;
  /** Set when `fqme` cannot even be parsed: nothing is subscribed then. */
  fqmeError: string | null;
  mkt: MktPair | null;
  mktError: string | null;
  /** Per timeframe ('1' | '60'): the host's answer to bars.subscribe when it failed. */
  streamErrors: Record<string, string | null>;
  recents: string[];
  /** Loads a symbol (as typed) into the focused chart. */
  loadSymbol(raw: string): void;
  /** A chart subscribed fine: the symbol exists, so it becomes a recent. */
  markLoaded(fqme: string): void;
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

const launch = readLaunchOptions(location.search);

function focused(): Pick<SessionStore, 'chartId' | 'fqme' | 'fqmeError' | 'mkt' | 'mktError' | 'streamErrors'> {
  const chart = focusedChart(useLayout.getState().win);
  const { fqme, error } = parseSymbol(chart.fqme);
  const rt = runtimeOf(useCharts.getState(), chart.id);
  const streamErrors: Record<string, string | null> = {};
  for (const tf of chart.timeframes) streamErrors[tf] = rt.streamErrors[streamKey(fqme, tf)] ?? null;
  return { chartId: chart.id, fqme, fqmeError: error, ...mktOf(rt, fqme), streamErrors };
}

export const useSession = create<SessionStore>((set, get) => ({
  launch,
  ...focused(),
  recents: loadRecents(storage()),
  loadSymbol(raw) {
    layoutActions.setSymbol(raw);
  },
  markLoaded(fqme) {
    if (get().recents[0] === fqme) return;
    const recents = pushRecent(get().recents, fqme);
    saveRecents(storage(), recents);
    set({ recents });
  },
}));

function sameErrors(a: Record<string, string | null>, b: Record<string, string | null>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

/** Follows focus, symbol and metadata changes; the URL's ?fqme= names the focused chart's symbol. */
function sync(): void {
  const next = focused();
  const cur = useSession.getState();
  if (next.chartId === cur.chartId && next.fqme === cur.fqme && next.fqmeError === cur.fqmeError && next.mkt === cur.mkt && next.mktError === cur.mktError && sameErrors(next.streamErrors, cur.streamErrors)) {
    return;
  }
  if (next.fqme !== cur.fqme) history.replaceState(history.state, '', urlWithFqme(location.href, next.fqme));
  useSession.setState(next);
}

useLayout.subscribe(sync);
useCharts.subscribe(sync);

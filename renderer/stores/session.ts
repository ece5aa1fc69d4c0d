import { create } from 'zustand';
import { FqmeError, normalizeFqme } from '../../core/protocol/fqme.js';
import type { MktPair } from '../../core/protocol/types.js';
import { readLaunchOptions, urlWithFqme, type LaunchOptions } from '../lib/launch-options.js';
import { loadRecents, pushRecent, saveRecents } from '../lib/recents.js';

/** What the window is looking at: the loaded symbol, its market metadata, and why it cannot be shown, if so. */
export interface SessionStore {
  launch: LaunchOptions;
  fqme: string;
  /** Set when `fqme` cannot even be parsed: nothing is subscribed then. */
  fqmeError: string | null;
  mkt: MktPair | null;
  mktError: string | null;
  /** Per timeframe ('1' | '60'): the host's answer to bars.subscribe when it failed. */
  streamErrors: Record<string, string | null>;
  recents: string[];
  loadSymbol(raw: string): void;
  /** A chart subscribed fine: the symbol exists, so it becomes a recent. */
  markLoaded(fqme: string): void;
  setMkt(mkt: MktPair | null, error: string | null): void;
  setStreamError(timeframe: number, error: string | null): void;
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function parse(raw: string): { fqme: string; error: string | null } {
  try {
    return { fqme: normalizeFqme(raw), error: null };
  } catch (e) {
    return { fqme: raw.trim(), error: e instanceof FqmeError ? e.message : String(e) };
  }
}

const launch = readLaunchOptions(location.search);
const initial = parse(launch.fqme);

export const useSession = create<SessionStore>((set, get) => ({
  launch,
  fqme: initial.fqme,
  fqmeError: initial.error,
  mkt: null,
  mktError: null,
  streamErrors: {},
  recents: loadRecents(storage()),
  loadSymbol(raw) {
    const { fqme, error } = parse(raw);
    if (fqme === get().fqme && error === get().fqmeError) return;
    history.replaceState(history.state, '', urlWithFqme(location.href, fqme));
    set({ fqme, fqmeError: error, mkt: null, mktError: null, streamErrors: {} });
  },
  markLoaded(fqme) {
    if (get().recents[0] === fqme) return;
    const recents = pushRecent(get().recents, fqme);
    saveRecents(storage(), recents);
    set({ recents });
  },
  setMkt(mkt, error) {
    set({ mkt, mktError: error });
  },
  setStreamError(timeframe, error) {
    if (get().streamErrors[timeframe] === error) return;
    set({ streamErrors: { ...get().streamErrors, [timeframe]: error } });
  },
}));

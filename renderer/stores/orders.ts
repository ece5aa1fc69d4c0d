import { create } from 'zustand';
import type { AccountInfo, FillInfo, PositionInfo } from '../../core/protocol/messages.js';
import type { Order, Status } from '../../core/protocol/orders.js';
import { DEFAULT_ALLOC, slotsOrNull, type AllocSettings } from '../lib/sizing.js';
import * as R from '../lib/orders-reducer.js';
import { NoticeKeys } from '../lib/notice-keys.js';

export interface AlertToast {
  id: string;
  fqme: string;
  price: string;
  time: number;
}

/** An alert that fired, drawn as a marker where it fired. */
export interface AlertMark {
  oid: string;
  fqme: string;
  price: string;
  time: number;
}

export interface Notice {
  id: number;
  text: string;
  tone: 'error' | 'info' | 'warn';
  /** A button on the notice (e.g. "Send anyway" for a live order on a stale market). */
  action?: { label: string; run: () => void };
  /** What the notice is about (a reconciliation report): shown once; once gone, the same key is not shown again. */
  key?: string;
  /** Stays until clicked, and is never pushed out by newer notices. */
  sticky?: boolean;
}

export interface NoticeOptions {
  key?: string;
  /** Stays until clicked (what the trader must acknowledge, e.g. positions that differ from the venue's). */
  sticky?: boolean;
}

/** Working orders, positions, accounts and fills as the order pane and the order lines show them. */
export interface OrdersStore extends R.OrdersState {
  /** False until the first `orders.active` answer. */
  known: boolean;
  accounts: AccountInfo[];
  /** `${broker}|${account}|${fqme}` -> position (flat positions are dropped). */
  positions: Record<string, PositionInfo>;
  /** The account new orders go to. */
  account: string;
  alloc: AllocSettings;
  toasts: AlertToast[];
  alertMarks: AlertMark[];
  notices: Notice[];

  applyStatus(st: Status): void;
  setActive(list: Status[]): void;
  beginModify(order: Order): void;
  abortModify(oid: string, reason: string): void;
  addFills(fills: FillInfo[]): void;
  setAccounts(list: AccountInfo[]): void;
  setPositions(list: PositionInfo[]): void;
  upsertPosition(p: PositionInfo): void;
  setAccount(account: string): void;
  setAlloc(patch: Partial<AllocSettings>): void;
  alertFired(a: AlertMark): void;
  dismissToast(id: string): void;
  notify(text: string, tone?: Notice['tone'], action?: Notice['action'], opts?: NoticeOptions): void;
  dismissNotice(id: number): void;
}

const MAX_TOASTS = 5;
const MAX_MARKS = 200;
const SETTINGS_KEY = 'candlewick.orders';
let noticeId = 0;

export const positionKey = (p: Pick<PositionInfo, 'broker' | 'account' | 'fqme'>) => `${p.broker}|${p.account}|${p.fqme}`;
const isFlat = (p: PositionInfo) => /^-?0(\.0*)?$/.test(p.size);

/** The account's position in `fqme`, or null when flat. */
export function positionOf(positions: Record<string, PositionInfo>, account: string, fqme: string): PositionInfo | null {
  for (const p of Object.values(positions)) if (p.account === account && p.fqme === fqme) return p;
  return null;
}

function loadSettings(): { account: string; alloc: AllocSettings } {
  const fallback = { account: 'paper', alloc: DEFAULT_ALLOC };
  try {
    const raw = JSON.parse(window.localStorage.getItem(SETTINGS_KEY) ?? 'null') as Partial<typeof fallback> | null;
    if (!raw) return fallback;
    // `unit`: what settings saved before the allocator was shared with the host called the size unit.
    const a = raw.alloc as (Partial<AllocSettings> & { unit?: string }) | undefined;
    const alloc: AllocSettings = {
      sizeUnit: (a?.sizeUnit ?? a?.unit) === 'units' ? 'units' : 'currency',
      limit: typeof a?.limit === 'string' ? a.limit : DEFAULT_ALLOC.limit,
      slots: slotsOrNull(a?.slots ?? '') ?? DEFAULT_ALLOC.slots,
    };
    return { account: typeof raw.account === 'string' ? raw.account : 'paper', alloc };
  } catch {
    return fallback;
  }
}

function saveSettings(account: string, alloc: AllocSettings): void {
  try {
    window.localStorage.setItem(SETTINGS_KEY, JSON.stringify({ account, alloc }));
  } catch {}
}

const initial = typeof window === 'undefined' ? { account: 'paper', alloc: DEFAULT_ALLOC } : loadSettings();
const goneNotices = new NoticeKeys();

export const useOrders = create<OrdersStore>((set, get) => ({
  ...R.EMPTY_ORDERS,
  known: false,
  accounts: [],
  positions: {},
  account: initial.account,
  alloc: initial.alloc,
  toasts: [],
  alertMarks: [],
  notices: [],

  applyStatus(st) {
    const s = get();
    const next = R.applyStatus(s, st);
    if (next === s) return;
    set(next);
    if (next.lastError && next.lastError !== s.lastError) get().notify(`order refused: ${next.lastError.reason}`, 'error');
  },
  setActive(list) {
    set({ ...R.replaceActive(get(), list), known: true });
  },
  beginModify(order) {
    set(R.beginModify(get(), order));
  },
  abortModify(oid, reason) {
    set(R.abortModify(get(), oid, reason));
    get().notify(`modify not sent: ${reason}`, 'error');
  },
  addFills(fills) {
    const next = R.addFills(get().fills, fills);
    if (next !== get().fills) set({ fills: next });
  },
  setAccounts(list) {
    const accounts = list.length > 0 ? list : [{ broker: 'sim', account: 'paper', mode: 'paper' as const }];
    const account = accounts.some((a) => a.account === get().account) ? get().account : 'paper';
    set({ accounts, account });
  },
  setPositions(list) {
    set({ positions: Object.fromEntries(list.filter((p) => !isFlat(p)).map((p) => [positionKey(p), p])) });
  },
  upsertPosition(p) {
    const { [positionKey(p)]: _old, ...rest } = get().positions;
    set({ positions: isFlat(p) ? rest : { ...rest, [positionKey(p)]: p } });
  },
  setAccount(account) {
    set({ account });
    saveSettings(account, get().alloc);
  },
  setAlloc(patch) {
    const alloc = { ...get().alloc, ...patch };
    set({ alloc });
    saveSettings(get().account, alloc);
  },
  alertFired(a) {
    const toast = { id: `${a.oid}:${a.time}`, fqme: a.fqme, price: a.price, time: a.time };
    const s = get();
    if (s.toasts.some((t) => t.id === toast.id)) return;
    set({ toasts: [...s.toasts, toast].slice(-MAX_TOASTS), alertMarks: [...s.alertMarks, a].slice(-MAX_MARKS) });
  },
  dismissToast(id) {
    set({ toasts: get().toasts.filter((t) => t.id !== id) });
  },
  notify(text, tone = 'info', action, opts = {}) {
    const { key, sticky } = opts;
    // A reconnect or another window's catch-up brings the same report again: it is shown while up, not twice.
    if (key !== undefined && (goneNotices.has(key) || get().notices.some((n) => n.key === key))) return;
    const id = ++noticeId;
    const notice: Notice = { id, text, tone, ...(action ? { action } : {}), ...(key !== undefined ? { key } : {}), ...(sticky ? { sticky } : {}) };
    set({ notices: keepNewest([...get().notices, notice], MAX_NOTICES) });
    // A question waits longer for its answer than a notice for a glance.
    if (!sticky) setTimeout(() => get().dismissNotice(id), action ? 20_000 : 6000);
  },
  dismissNotice(id) {
    const gone = get().notices.find((n) => n.id === id);
    if (gone?.key !== undefined) goneNotices.add(gone.key);
    set({ notices: get().notices.filter((n) => n.id !== id) });
  },
}));

/** Notices on screen at once: past this the oldest passing ones go (a sticky one only when all are sticky). */
const MAX_NOTICES = 4;

function keepNewest(notices: Notice[], max: number): Notice[] {
  const out = [...notices];
  while (out.length > max) {
    const i = out.findIndex((n) => !n.sticky);
    out.splice(i < 0 ? 0 : i, 1);
  }
  return out;
}

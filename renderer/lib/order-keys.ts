/**
 * Order mode's keyboard (piker-semantics §9) as a pure state machine: key events in, effects out. Hold `f`
 * (buy), `d` (sell) or `a` (alert) to stage a line; `s` or ctrl held as well stages it live instead of dark;
 * releasing the key unstages; `c`/Delete cancels what is under the cursor, a second `c` within CC_WINDOW_MS
 * cancels everything on the chart; digits while staging set the slot count. Auto-repeat is ignored.
 */
export type StageAction = 'buy' | 'sell' | 'alert';

export interface Staged {
  action: StageAction;
  /** Live (paper/live by account) instead of dark; always false for alerts. */
  live: boolean;
}

export type KeyEffect =
  | { kind: 'stage'; staged: Staged }
  | { kind: 'unstage' }
  | { kind: 'cancel-under' }
  | { kind: 'cancel-all' }
  | { kind: 'slots'; slots: number };

export interface KeyInput {
  /** KeyboardEvent.key */
  key: string;
  repeat?: boolean;
  ctrl?: boolean;
  /** ms, any monotonic clock */
  time: number;
}

export interface KeyResult {
  /** The key belongs to order mode (the caller prevents the browser default). */
  handled: boolean;
  effects: KeyEffect[];
}

export const CC_WINDOW_MS = 170;

const STAGE_KEYS: Record<string, StageAction> = { f: 'buy', d: 'sell', a: 'alert' };

export class OrderKeys {
  /** Staging keys held, oldest first: the newest one wins, releasing it falls back to the one before. */
  private held: StageAction[] = [];
  private liveKey = false;
  private ctrl = false;
  private lastC = -Infinity;
  private current: Staged | null = null;

  constructor(private readonly ccWindowMs = CC_WINDOW_MS) {}

  get staged(): Staged | null {
    return this.current;
  }

  down(e: KeyInput): KeyResult {
    const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    if (key === 'Control') {
      this.ctrl = true;
      return this.restage(false);
    }
    if (e.ctrl !== undefined) this.ctrl = e.ctrl;
    const action = STAGE_KEYS[key];
    if (e.repeat) return { handled: action !== undefined || key === 's' || key === 'c' || key === 'Delete', effects: [] };
    if (action) {
      this.held = [...this.held.filter((a) => a !== action), action];
      return this.restage(true);
    }
    if (key === 's') {
      this.liveKey = true;
      return this.restage(true);
    }
    if (key === 'c' && !this.ctrl) {
      // ctrl-c stays the browser's (copy); a plain c cancels.
      const double = e.time - this.lastC <= this.ccWindowMs;
      this.lastC = double ? -Infinity : e.time;
      return { handled: true, effects: [{ kind: double ? 'cancel-all' : 'cancel-under' }] };
    }
    if (key === 'Delete') return { handled: true, effects: [{ kind: 'cancel-under' }] };
    if (/^[0-9]$/.test(key) && this.current) {
      const n = key === '0' ? 10 : Number(key);
      return { handled: true, effects: [{ kind: 'slots', slots: n }] };
    }
    return { handled: false, effects: [] };
  }

  up(e: KeyInput): KeyResult {
    const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    if (key === 'Control') {
      this.ctrl = false;
      return this.restage(false);
    }
    const action = STAGE_KEYS[key];
    if (action) {
      this.held = this.held.filter((a) => a !== action);
      return this.restage(true);
    }
    if (key === 's') {
      this.liveKey = false;
      return this.restage(true);
    }
    return { handled: false, effects: [] };
  }

  /** Everything released (window blur, pointer gone for good). */
  reset(): KeyEffect[] {
    this.held = [];
    this.liveKey = false;
    this.ctrl = false;
    return this.restage(false).effects;
  }

  private restage(handled: boolean): KeyResult {
    const action = this.held[this.held.length - 1];
    const next: Staged | null = action ? { action, live: action !== 'alert' && (this.liveKey || this.ctrl) } : null;
    const prev = this.current;
    this.current = next;
    if (prev?.action === next?.action && prev?.live === next?.live) return { handled, effects: [] };
    return { handled, effects: [next ? { kind: 'stage', staged: next } : { kind: 'unstage' }] };
  }
}

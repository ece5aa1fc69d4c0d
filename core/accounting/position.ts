import { clearProblem, type Clear } from './clear.js';
import { applyClear, FLAT, type PpuState } from './ppu.js';

export interface PositionKey {
  broker: string;
  account: string;
  fqme: string;
}

export interface Position extends PositionKey, PpuState {
  /** Clears booked (duplicates excluded). */
  clears: number;
  /** Time of the latest clear, null before the first. */
  lastClearTime: number | null;
}

export function positionId(k: PositionKey): string {
  return `${k.broker}/${k.account}/${k.fqme}`;
}

/**
 * Books are folded in time order (piker sorts clears by time too); clears with equal times keep arrival order.
 * A duplicate tid is dropped: the first booking wins.
 */
export function positionFromClears(key: PositionKey, clears: Iterable<Clear>): Position {
  const seen = new Set<string>();
  const unique: Clear[] = [];
  for (const c of clears) {
    if (seen.has(c.tid)) continue;
    seen.add(c.tid);
    unique.push(c);
  }
  // Array.prototype.sort is stable, so same-time clears stay in arrival order.
  unique.sort((a, b) => a.time - b.time);
  let books: PpuState = FLAT;
  for (const c of unique) books = applyClear(books, c);
  return { ...key, ...books, clears: unique.length, lastClearTime: unique.at(-1)?.time ?? null };
}

/**
 * Every position of every account, kept current as fills arrive. Trade ids are unique per (broker, account), so
 * a fill replayed by a venue, a reconnect or a journal replay is booked once. A fill older than the position's
 * latest one (a late report) re-folds that position from its clears, so ppu never depends on arrival order.
 */
export class PositionBook {
  private readonly positions = new Map<string, Position>();
  private readonly clearsOf = new Map<string, Clear[]>();
  private readonly tids = new Set<string>();

  /** Books `c`; false when its tid was already booked for this account. Throws (booking nothing) if invalid. */
  add(key: PositionKey, c: Clear): boolean {
    const problem = clearProblem(c);
    if (problem) throw new Error(`clear ${JSON.stringify(c.tid)} for ${positionId(key)}: ${problem}`);
    const tidKey = `${key.broker}/${key.account}/${c.tid}`;
    if (this.tids.has(tidKey)) return false;
    this.tids.add(tidKey);
    const id = positionId(key);
    const list = this.clearsOf.get(id) ?? [];
    list.push(c);
    this.clearsOf.set(id, list);
    const prev = this.positions.get(id);
    if (prev && prev.lastClearTime !== null && c.time < prev.lastClearTime) {
      this.positions.set(id, positionFromClears(key, list));
    } else {
      const books = applyClear(prev ?? FLAT, c);
      this.positions.set(id, { ...key, ...pick(books), clears: list.length, lastClearTime: c.time });
    }
    return true;
  }

  get(key: PositionKey): Position | undefined {
    return this.positions.get(positionId(key));
  }

  /** Positions (flat ones included: they still carry realized PnL), by account then fqme. */
  all(): Position[] {
    return [...this.positions.values()].sort(
      (a, b) => a.broker.localeCompare(b.broker) || a.account.localeCompare(b.account) || a.fqme.localeCompare(b.fqme),
    );
  }

  /** The clears booked for `key`, in arrival order. */
  clears(key: PositionKey): readonly Clear[] {
    return this.clearsOf.get(positionId(key)) ?? [];
  }
}

function pick(s: PpuState): PpuState {
  return { size: s.size, ppu: s.ppu, exitFeePerUnit: s.exitFeePerUnit, realizedPnl: s.realizedPnl, feesPaid: s.feesPaid };
}

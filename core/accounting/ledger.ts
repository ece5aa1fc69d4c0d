import { mkdir, open, readdir, readFile, rename, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { entryLine, parseLedger, toEntry, type LedgerEntry } from './ledger-lines.js';
import { PositionBook, type Position } from './position.js';

const NAME = /^[a-z0-9_-]+$/i;

/** `<dataDir>/ledgers/<broker>.<account>.jsonl`. Names are checked so they can never leave that directory. */
export function ledgerPath(dataDir: string, broker: string, account: string): string {
  for (const [what, v] of [['broker', broker], ['account', account]] as const) {
    if (!NAME.test(v)) throw new Error(`${what} name ${JSON.stringify(v)} must be letters, digits, _ or -`);
  }
  return join(dataDir, 'ledgers', `${broker}.${account}.jsonl`);
}

/** Every ledger in the data directory, for `candlewick ledger <account>` across brokers. */
export async function listLedgers(dataDir: string): Promise<Array<{ broker: string; account: string }>> {
  let names: string[];
  try {
    names = await readdir(join(dataDir, 'ledgers'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names
    .map((n) => /^([a-z0-9_-]+)\.([a-z0-9_-]+)\.jsonl$/i.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ broker: m[1]!, account: m[2]! }))
    .sort((a, b) => a.broker.localeCompare(b.broker) || a.account.localeCompare(b.account));
}

/**
 * One account's fills at one broker, on disk, and the positions they make.
 *
 * Durability: `append` returns only after the line is written and fsynced, so a fill is on disk before anyone
 * is told about it. A crash mid-append leaves at most a torn last line, which `open` reports and cuts off.
 * `append(e, { sync: false })` is for a caller that already holds the fill durably elsewhere (emsd's journal, which
 * books what a crash kept out of the ledger on restart): the line is written, the fsync is left to `sync()`, which
 * that caller runs before it lets go of its own copy, and to `close()`.
 * `compact` rewrites through a temporary file, fsync and rename, so the file is always the old or the new one.
 * One Ledger per file per process: writes are queued in order here, and nothing else may write the file.
 */
export class Ledger {
  /** What loading found wrong (corrupt lines, conflicting tids, a torn tail), for the caller to log. */
  readonly problems: readonly string[];
  private readonly list: LedgerEntry[];
  private readonly tids: Set<string>;
  private readonly book = new PositionBook();
  private queue: Promise<unknown> = Promise.resolve();
  /** Lines written since the last fsync. */
  private unsynced = false;

  private constructor(
    readonly path: string,
    readonly broker: string,
    readonly account: string,
    private handle: FileHandle | null,
    entries: LedgerEntry[],
    problems: string[],
  ) {
    this.list = entries;
    this.tids = new Set(entries.map((e) => e.tid));
    this.problems = problems;
    for (const e of entries) this.book.add(this.key(e), e);
  }

  static async open(dataDir: string, broker: string, account: string): Promise<Ledger> {
    const path = ledgerPath(dataDir, broker, account);
    const dir = join(dataDir, 'ledgers');
    await mkdir(dir, { recursive: true });
    let bytes: Uint8Array | null = null;
    try {
      bytes = await readFile(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const parsed = parseLedger(bytes ?? new Uint8Array());
    const handle = await open(path, 'a');
    try {
      if (bytes === null) {
        // A new file's directory entry (and a new ledgers/ directory's) must survive a crash too.
        await syncDir(dir);
        await syncDir(dataDir);
      }
      if (parsed.repair && 'truncateTo' in parsed.repair) {
        await handle.truncate(parsed.repair.truncateTo);
        await handle.datasync();
      } else if (parsed.repair) {
        await handle.write('\n');
        await handle.datasync();
      }
    } catch (err) {
      await handle.close();
      throw err;
    }
    return new Ledger(path, broker, account, handle, parsed.entries, parsed.problems);
  }

  /** Entries in file order. */
  entries(): readonly LedgerEntry[] {
    return this.list;
  }

  positions(): Position[] {
    return this.book.all();
  }

  position(fqme: string): Position | undefined {
    return this.book.get({ broker: this.broker, account: this.account, fqme });
  }

  has(tid: string): boolean {
    return this.tids.has(tid);
  }

  /**
   * Books a fill durably. False (and nothing written) when its tid is already in the ledger; throws on an invalid
   * entry. The position changes only once the line is on disk.
   */
  append(entry: LedgerEntry, opts: { sync?: boolean } = {}): Promise<boolean> {
    const sync = opts.sync !== false;
    const e = toEntry(entry);
    if (typeof e === 'string') return Promise.reject(new Error(`ledger ${this.broker}.${this.account}: ${e}`));
    if (this.tids.has(e.tid)) return Promise.resolve(false);
    this.tids.add(e.tid); // claimed now, so a concurrent append of the same tid is a duplicate
    return this.enqueue(async () => {
      try {
        const h = this.live();
        await h.write(entryLine(e));
        if (sync) await h.datasync();
        this.unsynced = !sync;
      } catch (err) {
        this.tids.delete(e.tid);
        throw err;
      }
      this.list.push(e);
      this.book.add(this.key(e), e);
      return true;
    });
  }

  /** Rewrites the file in time order without duplicates or bad lines, atomically (temp file, fsync, rename). */
  compact(): Promise<void> {
    return this.enqueue(async () => {
      const sorted = [...this.list].sort((a, b) => a.time - b.time);
      const tmp = `${this.path}.tmp`;
      const out = await open(tmp, 'w');
      try {
        await out.write(sorted.map(entryLine).join(''));
        await out.sync();
      } finally {
        await out.close();
      }
      // The append handle would keep pointing at the replaced file: close it (Windows also refuses to rename over
      // an open file) and open the new one, even if the rename failed.
      await this.live().close();
      this.handle = null;
      try {
        await rename(tmp, this.path);
        await syncDir(dirname(this.path));
        this.list.splice(0, this.list.length, ...sorted);
      } finally {
        this.handle = await open(this.path, 'a');
      }
    });
  }

  /** Makes every line appended so far durable (a no-op when all of them were appended with sync). */
  sync(): Promise<void> {
    return this.enqueue(async () => {
      if (!this.unsynced || !this.handle) return;
      await this.handle.datasync();
      this.unsynced = false;
    });
  }

  close(): Promise<void> {
    return this.enqueue(async () => {
      if (this.unsynced) await this.handle?.datasync();
      this.unsynced = false;
      await this.handle?.close();
      this.handle = null;
    });
  }

  private live(): FileHandle {
    if (!this.handle) throw new Error(`ledger ${this.path} is closed`);
    return this.handle;
  }

  private key(e: LedgerEntry) {
    return { broker: this.broker, account: this.account, fqme: e.fqme };
  }

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job, job);
    this.queue = run.catch(() => {});
    return run;
  }
}

/** fsync a directory so a create or rename in it is durable. Not possible on Windows: best effort there. */
async function syncDir(dir: string): Promise<void> {
  let h: FileHandle | null = null;
  try {
    h = await open(dir, 'r');
    await h.sync();
  } catch (err) {
    if (process.platform !== 'win32') throw err;
  } finally {
    await h?.close();
  }
}

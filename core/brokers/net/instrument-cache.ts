import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface InstrumentCacheOptions<T> {
  /** `<ctx.cacheDir>/instruments.json`. */
  file: string;
  /** Downloads the venue's current table. */
  fetch: () => Promise<T>;
  /** Checks what the file holds (another version may have written it); null means "ignore the file". */
  validate: (stored: unknown) => T | null;
  log: (line: string) => void;
}

/**
 * A venue's instrument table, cached on disk: read from the file at start if present (so symbols resolve offline
 * and at once), refreshed from the venue in the background; a failed refresh keeps what we had. Used by every
 * venue backend (generic: nothing venue-specific in here).
 */
export class InstrumentCache<T> {
  private value: T | null = null;
  private refreshing: Promise<T> | null = null;
  /** When the current value was fetched from the venue (epoch ms); 0 when it came from the file. */
  fetchedAt = 0;

  constructor(private readonly o: InstrumentCacheOptions<T>) {}

  /** Loads the file if it holds a valid table; false when there is none (first start) or it is unusable. */
  loadFromDisk(): boolean {
    let text: string;
    try {
      text = readFileSync(this.o.file, 'utf8');
    } catch {
      return false;
    }
    try {
      const doc = JSON.parse(text) as { data?: unknown };
      const v = this.o.validate(doc?.data);
      if (v === null) throw new Error('unexpected contents');
      this.value = v;
      return true;
    } catch (e) {
      this.o.log(`instrument cache ${this.o.file} ignored: ${(e as Error).message}`);
      return false;
    }
  }

  get current(): T | null {
    return this.value;
  }

  /** The table now if we have one, else the first download. */
  ready(): Promise<T> {
    return this.value !== null ? Promise.resolve(this.value) : this.refresh();
  }

  /**
   * Downloads the table (one download at a time) and writes the file. On failure the current table stays and
   * the promise rejects, so a caller without any table learns why.
   */
  refresh(): Promise<T> {
    this.refreshing ??= this.o
      .fetch()
      .then((v) => {
        this.value = v;
        this.fetchedAt = Date.now();
        this.save(v);
        return v;
      })
      .catch((e: Error) => {
        this.o.log(`instrument refresh failed${this.value !== null ? ' (keeping the cached table)' : ''}: ${e.message}`);
        throw e;
      })
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  private save(v: T): void {
    try {
      mkdirSync(dirname(this.o.file), { recursive: true });
      const tmp = `${this.o.file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ savedAt: new Date().toISOString(), data: v }));
      renameSync(tmp, this.o.file);
    } catch (e) {
      this.o.log(`instrument cache not written to ${this.o.file}: ${(e as Error).message}`);
    }
  }
}

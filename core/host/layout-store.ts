import { existsSync, readFileSync, renameSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { checkLayout, emptyLayout, LayoutError, type Layout, type WindowLayout } from '../protocol/layout.js';
import { ProtocolError } from '../protocol/validate.js';

/**
 * The saved layout, `<data-dir>/layout.json`: read once at start, kept in memory, written atomically (temp file,
 * fsync, rename, directory fsync) after every change, one write at a time and coalesced (a burst of saves costs at
 * most two writes). Only layouts that pass checkLayout reach the file; an unreadable file is moved aside
 * (layout.json.bad) and the terminal starts from an empty layout instead of failing.
 */
export class LayoutStore {
  private current: Layout;
  private writing: Promise<void> | null = null;
  private again = false;
  /** Why the last write failed (cleared by the next good one). */
  private failure: Error | null = null;

  constructor(
    readonly path: string,
    private readonly log: (line: string) => void,
  ) {
    this.current = this.read();
  }

  get(): Layout {
    return this.current;
  }

  /** Replaces the layout (already checked); resolves once it is on disk. */
  save(layout: Layout): Promise<void> {
    this.current = layout;
    return this.write();
  }

  /**
   * Puts one window in (replacing the one with its id, else appended). Refused when the result is not a valid layout,
   * e.g. an id that another window already uses, or one window too many.
   */
  async saveWindow(window: WindowLayout): Promise<void> {
    const others = this.current.windows.filter((w) => w.id !== window.id);
    const at = this.current.windows.findIndex((w) => w.id === window.id);
    const windows = [...others];
    windows.splice(at < 0 ? others.length : at, 0, window);
    let next: Layout;
    try {
      next = checkLayout({ ...this.current, windows });
    } catch (e) {
      if (e instanceof LayoutError) throw new ProtocolError('bad_params', `bad layout: ${e.message}`);
      throw e;
    }
    return this.save(next);
  }

  /** Forgets a window (closed by the user, not by quitting). */
  removeWindow(id: string): Promise<void> {
    if (!this.current.windows.some((w) => w.id === id)) return Promise.resolve();
    return this.save({ ...this.current, windows: this.current.windows.filter((w) => w.id !== id) });
  }

  /** Resolves when every save so far is on disk. */
  async flushed(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private read(): Layout {
    if (!existsSync(this.path)) return emptyLayout();
    try {
      return checkLayout(JSON.parse(readFileSync(this.path, 'utf8')));
    } catch (e) {
      const aside = `${this.path}.bad`;
      this.log(`layout: ${this.path} unreadable (${(e as Error).message}); moved to ${aside}, starting from an empty layout`);
      try {
        renameSync(this.path, aside);
      } catch {}
      return emptyLayout();
    }
  }

  /** Resolves once the current layout is on disk; rejects when the last write of the burst failed. */
  private write(): Promise<void> {
    if (this.writing) {
      this.again = true;
      return this.writing.then(() => this.settled());
    }
    this.writing = (async () => {
      do {
        this.again = false;
        try {
          await writeAtomically(this.path, `${JSON.stringify(this.current, null, 1)}\n`);
          this.failure = null;
        } catch (e) {
          this.failure = e as Error;
          this.log(`layout: could not write ${this.path}: ${this.failure.message}`);
        }
      } while (this.again);
    })().finally(() => {
      this.writing = null;
    });
    return this.writing.then(() => this.settled());
  }

  private settled(): Promise<void> {
    return this.failure ? Promise.reject(new Error(`layout not saved: ${this.failure.message}`)) : this.flushed();
  }
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp`;
  const f = await open(tmp, 'w');
  try {
    await f.writeFile(text);
    await f.sync();
  } finally {
    await f.close();
  }
  await rename(tmp, path);
  // The rename itself is durable only once the directory is (not possible on Windows: skip there).
  try {
    const d = await open(dirname(path), 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {}
}

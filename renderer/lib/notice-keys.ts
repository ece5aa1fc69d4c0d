import type { KeyValueStorage } from './recents.js';

export const NOTICE_KEYS = 'candlewick.noticesGone';
const MAX_KEYS = 64;

function pageStorage(): KeyValueStorage | null {
  try {
    return typeof window !== 'undefined' ? window.localStorage : null;
  } catch {
    return null;
  }
}

/**
 * Keys of notices that were shown and are gone (dismissed or timed out), newest last. Kept in localStorage: a
 * reload, a reconnect or another window is sent the same reconciliation report again, and a trader who dismissed it
 * must not be shown it again. Bounded: a report's key names its run, so old keys only ever go stale.
 */
export class NoticeKeys {
  /** This page's own keys: still known when storage is disabled or full. */
  private readonly mine = new Set<string>();

  constructor(private readonly storage: KeyValueStorage | null = pageStorage()) {}

  /** Read through every time: another window may have dismissed it since. */
  has(key: string): boolean {
    return this.mine.has(key) || this.stored().includes(key);
  }

  add(key: string): void {
    this.mine.add(key);
    try {
      this.storage?.setItem(NOTICE_KEYS, JSON.stringify([...this.stored().filter((k) => k !== key), key].slice(-MAX_KEYS)));
    } catch {
      // Storage full or disabled: this page still remembers it.
    }
  }

  private stored(): string[] {
    try {
      const raw: unknown = JSON.parse(this.storage?.getItem(NOTICE_KEYS) ?? '[]');
      return Array.isArray(raw) ? raw.filter((k): k is string => typeof k === 'string') : [];
    } catch {
      return [];
    }
  }
}

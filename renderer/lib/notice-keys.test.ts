import { describe, expect, it } from 'vitest';
import { NoticeKeys } from './notice-keys.js';

function memoryStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
}

describe('NoticeKeys', () => {
  it('a key one window let go of is gone for a window opened later (shared storage), and for a reload', () => {
    const storage = memoryStorage();
    const a = new NoticeKeys(storage);
    const b = new NoticeKeys(storage);
    expect(b.has('reconcile:x')).toBe(false);
    a.add('reconcile:x');
    expect(b.has('reconcile:x')).toBe(true);
    expect(new NoticeKeys(storage).has('reconcile:x')).toBe(true);
  });

  it('keeps the newest 64 keys; a page without working storage still remembers its own', () => {
    const storage = memoryStorage();
    const k = new NoticeKeys(storage);
    for (let i = 0; i < 70; i++) k.add(`r${i}`);
    const fresh = new NoticeKeys(storage);
    expect(fresh.has('r5')).toBe(false);
    expect(fresh.has('r6')).toBe(true);
    expect(fresh.has('r69')).toBe(true);

    const broken = new NoticeKeys({
      getItem: () => 'not json',
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    });
    broken.add('r');
    expect(broken.has('r')).toBe(true);
  });
});

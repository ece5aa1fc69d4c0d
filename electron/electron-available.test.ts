import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { electronBinary, electronSkipReason } from '../e2e/electron-available.js';

describe('electronBinary', () => {
  it('returns an existing executable or null, and a skip reason exactly when null', () => {
    const bin = electronBinary();
    if (bin === null) expect(electronSkipReason()).toMatch(/Electron binary not installed/);
    else {
      expect(existsSync(bin)).toBe(true);
      expect(electronSkipReason()).toBeNull();
    }
  });
});

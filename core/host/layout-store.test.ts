import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleLayout } from '../protocol/layout-fixture.js';
import { LayoutStore } from './layout-store.js';

const dirs: string[] = [];
function dir(): string {
  const d = mkdtempSync(join(tmpdir(), 'cw-layout-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('LayoutStore', () => {
  it('starts empty, saves atomically and reads back what it saved', async () => {
    const path = join(dir(), 'layout.json');
    const store = new LayoutStore(path, () => {});
    expect(store.get()).toEqual({ version: 1, windows: [] });
    await store.save(sampleLayout());
    expect(existsSync(`${path}.tmp`)).toBe(false);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(sampleLayout());
    expect(new LayoutStore(path, () => {}).get()).toEqual(sampleLayout());
  });

  it('replaces one window by id, appends a new one, and forgets a removed one', async () => {
    const path = join(dir(), 'layout.json');
    const store = new LayoutStore(path, () => {});
    await store.save(sampleLayout());
    const w2 = { ...sampleLayout().windows[1]!, active: 't9', tabs: [{ id: 't9', focus: 'c9', root: { kind: 'chart' as const, chart: { id: 'c9', fqme: 'dogeusd.spot.sim', timeframes: [1 as const], overlays: [], indicators: [] } } }] };
    await store.saveWindow(w2);
    expect(store.get().windows.map((w) => w.id)).toEqual(['main', 'w2']);
    expect(store.get().windows[1]).toEqual(w2);
    await store.saveWindow({ ...w2, id: 'w3', tabs: [{ ...w2.tabs[0]!, id: 't10', focus: 'c10', root: { kind: 'chart', chart: { ...(w2.tabs[0]!.root as any).chart, id: 'c10' } } }], active: 't10' });
    expect(store.get().windows.map((w) => w.id)).toEqual(['main', 'w2', 'w3']);
    await store.removeWindow('w2');
    expect(new LayoutStore(path, () => {}).get().windows.map((w) => w.id)).toEqual(['main', 'w3']);
  });

  it('refuses a window whose ids clash with another window, leaving the file as it was', async () => {
    const path = join(dir(), 'layout.json');
    const store = new LayoutStore(path, () => {});
    await store.save(sampleLayout());
    const before = readFileSync(path, 'utf8');
    const clash = { ...sampleLayout().windows[1]!, tabs: [{ ...sampleLayout().windows[1]!.tabs[0]!, id: 't1' }], active: 't1' };
    await expect(store.saveWindow(clash)).rejects.toThrow(/duplicate id "t1"/);
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(store.get()).toEqual(sampleLayout());
  });

  it('coalesces a burst of saves and ends with the last one on disk', async () => {
    const path = join(dir(), 'layout.json');
    const store = new LayoutStore(path, () => {});
    const saves = [];
    for (let i = 0; i < 20; i++) {
      const l = sampleLayout();
      l.windows[0]!.tabs[1]!.title = `v${i}`;
      saves.push(store.save(l));
    }
    await Promise.all(saves);
    expect(JSON.parse(readFileSync(path, 'utf8')).windows[0].tabs[1].title).toBe('v19');
  });

  it('answers a failed write with an error (and keeps serving the layout it holds)', async () => {
    const lines: string[] = [];
    const store = new LayoutStore(join(dir(), 'no-such-dir', 'layout.json'), (l) => lines.push(l));
    await expect(store.save(sampleLayout())).rejects.toThrow(/layout not saved/);
    expect(lines.join('\n')).toMatch(/could not write/);
    expect(store.get()).toEqual(sampleLayout());
    await store.flushed();
  });

  it('moves a corrupt or invalid file aside and starts empty', () => {
    for (const text of ['{"version":1,"windows":[', JSON.stringify({ version: 1, windows: [{ id: 'main' }] })]) {
      const path = join(dir(), 'layout.json');
      writeFileSync(path, text);
      const lines: string[] = [];
      const store = new LayoutStore(path, (l) => lines.push(l));
      expect(store.get()).toEqual({ version: 1, windows: [] });
      expect(readFileSync(`${path}.bad`, 'utf8')).toBe(text);
      expect(lines.join('\n')).toMatch(/unreadable/);
    }
  });
});

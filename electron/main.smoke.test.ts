/**
 * electron/main.ts run for real against the real Host, with a fake 'electron' module (no binary on CI machines).
 * Checks the wiring the unit tests cannot: start-up order, window settings, session and contents guards, the IPC
 * router handing a working API port to a legitimate window and nothing to anyone else, and a clean quit.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as fake from './testing/fake-electron.js';
import { sampleLayout } from '../core/protocol/layout-fixture.js';

vi.mock('electron', async () => (await import('./testing/fake-electron.js')).electron);

const dataDir = mkdtempSync(join(tmpdir(), 'cw-electron-'));
const logs: string[] = [];
let win: fake.BrowserWindow;

async function until<T>(probe: () => T | undefined | null | false, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function connectFrom(wc: fake.FakeWebContents, frame: fake.FakeFrame | null): void {
  fake.ipcMain.emit('candlewick:connect', { sender: wc, senderFrame: frame, ports: [] });
}

function request(port: fake.FakePortMain, id: number, method: string, params: object = {}): Promise<any> {
  return new Promise((resolve) => {
    const onMessage = (e: { data: unknown }) => {
      if (typeof e.data !== 'string') return;
      const msg = JSON.parse(e.data);
      if (msg.id !== id) return;
      port.off('message', onMessage);
      resolve(msg);
    };
    port.on('message', onMessage);
    port.postMessage(JSON.stringify({ id, method, params }));
  });
}

beforeAll(async () => {
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: any, ...rest: any[]) => {
    const text = String(chunk);
    if (text.startsWith('[candlewick]')) {
      logs.push(text.trim());
      return true;
    }
    return write(chunk, ...rest);
  });
  // A saved layout with a second window ('w2'): main opens it again at start.
  writeFileSync(join(dataDir, 'layout.json'), JSON.stringify(sampleLayout()));
  process.argv = ['electron', '.', '--data-dir', dataDir, '--fqme', 'btcusdt.spot.sim', '--seed', '3'];
  await import('./main.js');
  win = await until(() => fake.BrowserWindow.all[0]);
}, 30_000);

afterAll(() => {
  vi.restoreAllMocks();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('electron main (fake electron, real host)', () => {
  it('registers app:// as a privileged scheme and keeps Chromium state in the data dir', () => {
    expect(fake.registeredSchemes).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    expect(fake.app.paths.get('userData')).toBe(join(dataDir, 'electron'));
    expect(fake.app.sandboxed).toBe(true);
    expect(fake.protocolHandlers.has('app')).toBe(true);
  });

  it('opens a locked-down window on the requested symbol', () => {
    const prefs = win.options.webPreferences;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(prefs.preload).toMatch(/preload\.cjs$/);
    expect(win.loadedUrl).toBe('app://candlewick/index.html?fqme=btcusdt.spot.sim');
  });

  it('denies permissions and guards navigation, new windows and webviews', () => {
    const s = fake.session.defaultSession;
    let granted: boolean | null = null;
    s.permissionRequest!(win.webContents, 'geolocation', (ok) => (granted = ok), {});
    expect(granted).toBe(false);
    expect(s.permissionCheck!(win.webContents, 'notifications')).toBe(false);

    const nav = (url: string, isMainFrame = true) => {
      let prevented = false;
      win.webContents.emit('will-frame-navigate', { url, isMainFrame, preventDefault: () => (prevented = true) });
      return prevented;
    };
    expect(nav('https://evil.example/')).toBe(true);
    expect(nav('file:///etc/passwd')).toBe(true);
    expect(nav('app://candlewick/index.html?fqme=ethusdt.spot.sim')).toBe(false);
    expect(nav('app://candlewick/index.html', false)).toBe(true);

    expect(win.webContents.openHandler!({ url: 'http://evil' })).toEqual({ action: 'deny' });
    expect(win.webContents.openHandler!({ url: 'https://github.com/' })).toEqual({ action: 'deny' });
    expect(fake.openedExternally).toEqual(['https://github.com/']);

    let webview = false;
    win.webContents.emit('will-attach-webview', { preventDefault: () => (webview = true) });
    expect(webview).toBe(true);
  });

  it('hands a legitimate window a port that speaks the host API', async () => {
    connectFrom(win.webContents, win.webContents.mainFrame);
    const sent = win.webContents.posted.at(-1)!;
    expect(sent.channel).toBe('candlewick:port');
    expect(sent.message).toBeNull();
    const port = sent.ports[0]!;
    const hello = await request(port, 1, 'hello');
    expect(hello.result.version).toEqual(expect.any(String));
    const services = await request(port, 2, 'services.list');
    expect(services.result.map((s: { name: string }) => s.name)).toContain('samplerd');
    const bad = await request(port, 3, 'no.such.method');
    expect(bad.error.code).toBe('unknown_method');
  });

  it('refuses connects from a file:// page, a subframe, a gone frame, or a foreign webContents', () => {
    const before = win.webContents.posted.length;
    const wc = win.webContents;
    connectFrom(wc, { ...wc.mainFrame, url: 'file:///tmp/index.html' });
    connectFrom(wc, { url: 'app://candlewick/index.html', parent: wc.mainFrame, processId: 7, routingId: 99 });
    connectFrom(wc, null);
    connectFrom(wc, { ...wc.mainFrame, routingId: 12345 });
    const stranger = new fake.FakeWebContents();
    stranger.mainFrame.url = 'app://candlewick/index.html';
    connectFrom(stranger, stranger.mainFrame);
    expect(wc.posted.length).toBe(before);
    expect(stranger.posted).toEqual([]);
    const refusals = logs.filter((l) => l.includes('ipc: refused candlewick:connect'));
    expect(refusals).toHaveLength(5);
    expect(refusals.join('\n')).toMatch(/file:\/\/\/tmp\/index\.html/);
    expect(refusals.join('\n')).toMatch(/subframe/);
    expect(refusals.join('\n')).toMatch(/not one of our windows/);
  });

  it('opens the saved layout windows at start, and a window of the layout when a page asks for it', async () => {
    const second = fake.BrowserWindow.all[1]!;
    expect(second.loadedUrl).toBe('app://candlewick/index.html?window=w2');
    expect(second.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    // A page moves a chart out: it saves a window 'w3', then asks main to open it.
    connectFrom(win.webContents, win.webContents.mainFrame);
    const port = win.webContents.posted.at(-1)!.ports[0]!;
    const w3 = { id: 'w3', active: 't9', tabs: [{ id: 't9', focus: 'c9', root: { kind: 'chart', chart: { id: 'c9', fqme: 'ethusd.spot.sim', timeframes: [60], overlays: [], indicators: [] } } }] };
    expect((await request(port, 10, 'layout.saveWindow', { window: w3 })).result).toEqual({ ok: true });
    const openFrom = (wc: fake.FakeWebContents, frame: fake.FakeFrame | null, ...args: unknown[]) =>
      fake.ipcMain.emit('candlewick:open-window', { sender: wc, senderFrame: frame, ports: [] }, ...args);
    const count = fake.BrowserWindow.all.length;
    openFrom(win.webContents, win.webContents.mainFrame, 'w3');
    expect(fake.BrowserWindow.all).toHaveLength(count + 1);
    const third = fake.BrowserWindow.all.at(-1)!;
    expect(third.loadedUrl).toBe('app://candlewick/index.html?window=w3');
    // Again: the open window comes forward, no second copy.
    openFrom(win.webContents, win.webContents.mainFrame, 'w3');
    // Refused: ids the layout does not have, garbage, the main window, a subframe or a foreign page.
    openFrom(win.webContents, win.webContents.mainFrame, 'w404');
    openFrom(win.webContents, win.webContents.mainFrame, { id: 'w3' });
    openFrom(win.webContents, win.webContents.mainFrame, 'main');
    openFrom(win.webContents, win.webContents.mainFrame);
    openFrom(win.webContents, { url: 'app://candlewick/index.html', parent: win.webContents.mainFrame, processId: 7, routingId: 99 }, 'w3');
    openFrom(win.webContents, { ...win.webContents.mainFrame, url: 'https://evil.example/' }, 'w3');
    expect(fake.BrowserWindow.all).toHaveLength(count + 1);
    const refusals = logs.filter((l) => l.includes('ipc: refused candlewick:open-window'));
    expect(refusals).toHaveLength(6);
    expect(refusals.join('\n')).toMatch(/no window "w404"/);
    // The user closes the new window: it leaves the layout (the main window is still open).
    third.emit('closed');
    await until(() => !JSON.parse(readFileSync(join(dataDir, 'layout.json'), 'utf8')).windows.some((w: { id: string }) => w.id === 'w3'));
    const ids = JSON.parse(readFileSync(join(dataDir, 'layout.json'), 'utf8')).windows.map((w: { id: string }) => w.id);
    expect(ids).toEqual(['main', 'w2']);
  });

  it('logs messages on unknown channels', () => {
    win.webContents.emit('ipc-message', {}, 'candlewick:secrets');
    expect(logs.at(-1)).toMatch(/refused unknown channel "candlewick:secrets"/);
  });

  it('closes the window connections when the window goes away', async () => {
    connectFrom(win.webContents, win.webContents.mainFrame);
    const port = win.webContents.posted.at(-1)!.ports[0]!;
    const closed = new Promise<void>((r) => port.once('close', () => r()));
    win.webContents.emit('destroyed');
    await closed;
  });

  it('stops the host before quitting', async () => {
    fake.app.quit();
    expect(fake.app.quitted).toBe(false); // held back until the host has stopped
    await until(() => fake.app.quitted, 10_000);
    expect(logs.join('\n')).toMatch(/host stopped/);
    expect(fake.app.exitCode).toBeNull();
  });
});

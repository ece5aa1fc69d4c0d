/**
 * electron/main.ts run for real against the real Host, with a fake 'electron' module (no binary on CI machines).
 * Checks the wiring the unit tests cannot: start-up order, window settings, session and contents guards, the IPC
 * router handing a working API port to a legitimate window and nothing to anyone else, and a clean quit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as fake from './testing/fake-electron.js';

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

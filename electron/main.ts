/**
 * Electron main: the host (services, API) in this process, one sandboxed window per window of the saved layout (the
 * main one, and those charts were moved out to), and the IPC router that hands each window a MessagePort to the host
 * API and opens layout windows on request. The order of the top-level statements matters: everything up
 * to app.whenReady() must run synchronously before 'ready' (custom scheme, userData path, single-instance lock).
 */
import { app, BrowserWindow, session, type Session } from 'electron';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Host } from '../core/host/host.js';
import { resolveDataDir } from '../core/host/paths.js';
import { IpcRouter } from './ipc-router.js';
import { appEntryUrl, openWindowRefusal, parseShellArgs } from './policy.js';
import { registerAppScheme, serveAppProtocol } from './protocol.js';
import { hardenContents, hardenSession } from './security.js';
import { createMainWindow } from './window.js';
import { notifyAlerts } from './notify.js';
import { secretBox } from './secrets.js';

const STOP_TIMEOUT_MS = 5000;

// In the bundle this file is dist/electron-main.js, next to preload.cjs and renderer/.
const distDir = dirname(fileURLToPath(import.meta.url));
const preload = join(distDir, 'preload.cjs');
const rendererRoot = join(distDir, 'renderer');
const devIcon = join(distDir, '..', 'assets', 'icon.png');

const log = (line: string): void => {
  process.stdout.write(`[candlewick] ${line}\n`);
};

const args = parseShellArgs(process.argv);
const dataDir = resolveDataDir(args.dataDir);

app.setName('Candlewick');
// Chromium's profile lives in the data dir too, so `--data-dir` isolates a whole instance (and its single-instance
// lock) for tests and side-by-side use.
app.setPath('userData', join(dataDir, 'electron'));
app.enableSandbox();
registerAppScheme();

let host: Host | null = null;
let router: IpcRouter | null = null;
let phase: 'running' | 'stopping' | 'stopped' = 'running';
const hardened = new WeakSet<Session>();

function harden(s: Session): void {
  if (hardened.has(s)) return;
  hardened.add(s);
  hardenSession(s, log);
}

const MAIN_WINDOW = 'main';
/** Open windows by layout window id. */
const windows = new Map<string, BrowserWindow>();

/** Opens (or brings forward) the window showing layout window `windowId`. */
function openWindow(fqme?: string, windowId = MAIN_WINDOW): BrowserWindow {
  const open = windows.get(windowId);
  if (open) {
    if (open.isMinimized()) open.restore();
    open.focus();
    return open;
  }
  const win = createMainWindow({
    preload,
    fqme,
    windowId: windowId === MAIN_WINDOW ? undefined : windowId,
    log,
    icon: existsSync(devIcon) ? devIcon : undefined,
  });
  windows.set(windowId, win);
  win.on('closed', () => {
    if (windows.get(windowId) === win) windows.delete(windowId);
    // Closed by the user while the terminal goes on: forgotten. Closed as the app ends (after the main window, or
    // while quitting): kept, and opened again on the next start.
    if (windowId !== MAIN_WINDOW && phase === 'running' && windows.has(MAIN_WINDOW)) {
      host?.layout.removeWindow(windowId).catch((err: unknown) => log(`layout: ${String(err)}`));
    }
  });
  return win;
}

/** A page asked for a window of the saved layout: only ids the layout has (policy.openWindowRefusal). */
function openRequested(args: readonly unknown[]): string | null {
  const known = host?.layout.get().windows.map((w) => w.id) ?? [];
  const refusal = openWindowRefusal(args, known);
  if (refusal === null) openWindow(undefined, args[0] as string);
  return refusal;
}

async function shutdown(): Promise<void> {
  router?.dispose();
  const running = host;
  host = null;
  if (!running) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      log(`host did not stop within ${STOP_TIMEOUT_MS} ms; quitting anyway`);
      resolve();
    }, STOP_TIMEOUT_MS);
  });
  try {
    await Promise.race([running.stop(), timeout]);
  } catch (err) {
    log(`host stop failed: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    clearTimeout(timer);
  }
}

function fail(what: string, err: unknown): void {
  const msg = err instanceof Error ? (err.stack ?? err.message) : String(err);
  log(`${what}: ${msg}`);
  phase = 'stopped';
  void shutdown().finally(() => app.exit(1));
}

if (!app.requestSingleInstanceLock()) {
  log(`another Candlewick is running on ${dataDir}; handing over to it`);
  app.quit();
} else {
  log(`data dir ${dataDir}`);
  const hostReady = Host.start({
    dataDir,
    seed: args.seed,
    simRate: args.simRate,
    testHooks: args.testHooks,
    log,
    // safeStorage works once the app is ready; API keys in config.toml are sealed with it (never kept plain).
    secrets: app.whenReady().then(() => secretBox(log)),
  });
  // Reported once, when 'ready' awaits it; this keeps an early failure from surfacing as an unhandled rejection.
  hostReady.catch(() => {});

  app.on('session-created', harden);
  app.on('web-contents-created', (_event, contents) => {
    hardenContents(contents, log);
    router?.watch(contents);
  });

  app.on('second-instance', (_event, argv) => {
    const again = parseShellArgs(argv);
    const main = windows.get(MAIN_WINDOW);
    if (again.fqme) {
      // The symbol goes into the main window's focused chart (its layout is saved; the page restores it).
      if (main) void main.loadURL(appEntryUrl(again.fqme)).catch((err: unknown) => log(`window: ${String(err)}`));
      else openWindow(again.fqme);
    }
    const win = main ?? BrowserWindow.getAllWindows()[0];
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (host && BrowserWindow.getAllWindows().length === 0) openWindow();
  });

  app.on('before-quit', (event) => {
    if (phase === 'stopped') return;
    event.preventDefault();
    if (phase === 'stopping') return;
    phase = 'stopping';
    void shutdown().finally(() => {
      phase = 'stopped';
      app.quit();
    });
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => app.quit());

  app
    .whenReady()
    .then(async () => {
      harden(session.defaultSession);
      serveAppProtocol(rendererRoot, log);
      router = new IpcRouter(() => host, log, openRequested);
      host = await hostReady;
      notifyAlerts(host, log);
      if (phase !== 'running') {
        await shutdown();
        return;
      }
      openWindow(args.fqme);
      for (const w of host.layout.get().windows) if (w.id !== MAIN_WINDOW) openWindow(undefined, w.id);
    })
    .catch((err: unknown) => fail('start failed', err));
}

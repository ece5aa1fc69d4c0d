/** One terminal window: sandboxed, context-isolated, no Node, our preload, the UI from app://. */
import { BrowserWindow } from 'electron';
import { appEntryUrl, describeUrl } from './policy.js';

export interface WindowOptions {
  preload: string;
  fqme?: string;
  /** The saved layout window this one shows; none for the main window. */
  windowId?: string;
  icon?: string;
  log: (line: string) => void;
}

export function createMainWindow(opts: WindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 720,
    minHeight: 480,
    title: 'Candlewick',
    backgroundColor: '#0e1116',
    show: false,
    ...(opts.icon ? { icon: opts.icon } : {}),
    webPreferences: {
      preload: opts.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  const url = appEntryUrl(opts.fqme, opts.windowId);
  win.loadURL(url).catch((err: unknown) => {
    opts.log(`window: failed to load ${describeUrl(url)}: ${err instanceof Error ? err.message : String(err)}`);
  });
  return win;
}

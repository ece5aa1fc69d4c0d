/**
 * A stand-in for the 'electron' module, just wide enough to run electron/main.ts under Vitest (vi.mock('electron'))
 * where no Electron binary exists. It records what main does (scheme registration, windows, handlers) and lets a test
 * play the renderer's side: send IPC from a chosen frame, talk over the port main hands back.
 */
import { EventEmitter } from 'node:events';

export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
  processId: number;
  routingId: number;
  detached?: boolean;
}

export class FakePortMain extends EventEmitter {
  other: FakePortMain | null = null;
  started = false;
  closed = false;
  postMessage(message: unknown): void {
    const peer = this.other;
    if (this.closed || !peer) return;
    setImmediate(() => {
      if (!peer.closed) peer.emit('message', { data: message, ports: [] });
    });
  }
  start(): void {
    this.started = true;
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const peer = this.other;
    if (peer && !peer.closed) {
      peer.closed = true;
      setImmediate(() => peer.emit('close'));
    }
  }
}

export class MessageChannelMain {
  port1 = new FakePortMain();
  port2 = new FakePortMain();
  constructor() {
    this.port1.other = this.port2;
    this.port2.other = this.port1;
  }
}

let nextId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  readonly mainFrame: FakeFrame;
  openHandler: ((d: { url: string }) => { action: string }) | null = null;
  posted: Array<{ channel: string; message: unknown; ports: FakePortMain[] }> = [];
  constructor() {
    super();
    this.mainFrame = { url: '', parent: null, processId: 7, routingId: this.id };
  }
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }): void {
    this.openHandler = h;
  }
  postMessage(channel: string, message: unknown, ports: FakePortMain[] = []): void {
    this.posted.push({ channel, message, ports });
  }
}

export class BrowserWindow extends EventEmitter {
  static all: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  loadedUrl: string | null = null;
  constructor(readonly options: Record<string, any>) {
    super();
    BrowserWindow.all.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.all;
  }
  static fromWebContents(wc: unknown): BrowserWindow | null {
    return BrowserWindow.all.find((w) => w.webContents === wc) ?? null;
  }
  async loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    this.webContents.mainFrame.url = url;
  }
  show(): void {}
  focus(): void {}
  restore(): void {}
  isMinimized(): boolean {
    return false;
  }
}

class FakeApp extends EventEmitter {
  name = '';
  paths = new Map<string, string>();
  sandboxed = false;
  quitCalls = 0;
  quitted = false;
  exitCode: number | null = null;
  setName(n: string): void {
    this.name = n;
  }
  setPath(k: string, v: string): void {
    this.paths.set(k, v);
  }
  enableSandbox(): void {
    this.sandboxed = true;
  }
  requestSingleInstanceLock(): boolean {
    return true;
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  /** Like Electron: 'before-quit' may be prevented; otherwise the app is gone. */
  quit(): void {
    this.quitCalls++;
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) this.quitted = true;
  }
  exit(code = 0): void {
    this.exitCode = code;
    this.quitted = true;
  }
}
export const app = new FakeApp();

export const ipcMain = new EventEmitter();

export const registeredSchemes: unknown[] = [];
export const protocolHandlers = new Map<string, (req: Request) => Promise<Response> | Response>();
export const protocol = {
  registerSchemesAsPrivileged: (schemes: unknown[]) => registeredSchemes.push(...schemes),
  handle: (scheme: string, handler: (req: Request) => Promise<Response> | Response) => protocolHandlers.set(scheme, handler),
};

export class FakeSession extends EventEmitter {
  permissionRequest: ((wc: unknown, p: string, cb: (ok: boolean) => void, d: unknown) => void) | null = null;
  permissionCheck: ((...a: unknown[]) => boolean) | null = null;
  devicePermission: ((...a: unknown[]) => boolean) | null = null;
  setPermissionRequestHandler(h: FakeSession['permissionRequest']): void {
    this.permissionRequest = h;
  }
  setPermissionCheckHandler(h: FakeSession['permissionCheck']): void {
    this.permissionCheck = h;
  }
  setDevicePermissionHandler(h: FakeSession['devicePermission']): void {
    this.devicePermission = h;
  }
}
export const session = { defaultSession: new FakeSession() };

export const openedExternally: string[] = [];
export const shell = {
  openExternal: async (url: string) => {
    openedExternally.push(url);
  },
};

/** Desktop notifications shown (fired alerts). */
export const notificationsShown: { title: string; body: string }[] = [];
export class Notification {
  static isSupported(): boolean {
    return true;
  }
  constructor(private readonly opts: { title: string; body: string }) {}
  show(): void {
    notificationsShown.push(this.opts);
  }
}

/**
 * safeStorage as on a Linux box without a secret service: nothing to seal with, so API keys stay as written
 * (electron/secrets.ts says so in the log). Tests of sealing use their own SecretBox (core/host/credentials.test.ts).
 */
export const safeStorage = {
  isEncryptionAvailable: (): boolean => false,
  getSelectedStorageBackend: (): string => 'basic_text',
  encryptString: (): Buffer => {
    throw new Error('safeStorage is not available');
  },
  decryptString: (): string => {
    throw new Error('safeStorage is not available');
  },
};

export const electron = { app, BrowserWindow, ipcMain, MessageChannelMain, protocol, session, shell, Notification, safeStorage };

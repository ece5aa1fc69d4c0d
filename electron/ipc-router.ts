/**
 * The one IPC entry point of main. A window asks for a connection on CONNECT_CHANNEL; the router checks who is asking
 * (main frame of our own app:// page, inside one of our windows) and answers with one end of a fresh
 * MessageChannelMain, the other end going to the host API as a ServerConnection. Nothing but that port crosses:
 * every API message then flows over the port and is validated by the host. The one other request, OPEN_WINDOW_CHANNEL
 * (a window of the saved layout, by id), passes the same sender checks and then main's own check of the id.
 * Other channels are refused and logged.
 */
import { BrowserWindow, ipcMain, MessageChannelMain, type IpcMainEvent, type WebContents } from 'electron';
import type { ServerConnection } from '../core/api/connection.js';
import { CONNECT_CHANNEL, KNOWN_CHANNELS, OPEN_WINDOW_CHANNEL, PORT_CHANNEL } from './channels.js';
import { describeUrl, senderRefusal } from './policy.js';
import { PortConnection } from './port-connection.js';

/** A page reload or reconnect leaves old ports behind until Chromium reports them closed; past this, the oldest go. */
const MAX_CONNECTIONS_PER_WINDOW = 4;

export interface ConnectionSink {
  attach(conn: ServerConnection): void;
}

export class IpcRouter {
  private readonly live = new Map<number, PortConnection[]>();
  private readonly watched = new WeakSet<WebContents>();
  private serial = 0;
  private readonly onConnect = (event: IpcMainEvent, ...args: unknown[]) => this.connect(event, args);
  private readonly onOpenWindow = (event: IpcMainEvent, ...args: unknown[]) => this.openWindow(event, args);

  constructor(
    private readonly sink: () => ConnectionSink | null,
    private readonly log: (line: string) => void,
    /** Opens a window of the saved layout; returns why not (an unknown id), or null once opened. */
    private readonly opener: (args: readonly unknown[]) => string | null = () => 'no windows here',
  ) {
    ipcMain.on(CONNECT_CHANNEL, this.onConnect);
    ipcMain.on(OPEN_WINDOW_CHANNEL, this.onOpenWindow);
  }

  /** Called for every WebContents: logs and drops messages on channels we do not serve. */
  watch(contents: WebContents): void {
    if (this.watched.has(contents)) return;
    this.watched.add(contents);
    contents.on('ipc-message', (_event, channel) => {
      if (!KNOWN_CHANNELS.has(channel)) this.log(`ipc: refused unknown channel ${describeUrl(channel)} from webContents ${contents.id}`);
    });
    contents.on('ipc-message-sync', (event, channel) => {
      this.log(`ipc: refused synchronous message on ${describeUrl(channel)} from webContents ${contents.id}`);
      event.returnValue = null;
    });
    const id = contents.id;
    contents.once('destroyed', () => this.closeAll(id, 'window closed'));
    contents.on('render-process-gone', () => this.closeAll(id, 'renderer process gone'));
  }

  /** Closes every port; the host sees each connection close. */
  dispose(): void {
    ipcMain.removeListener(CONNECT_CHANNEL, this.onConnect);
    ipcMain.removeListener(OPEN_WINDOW_CHANNEL, this.onOpenWindow);
    for (const id of [...this.live.keys()]) this.closeAll(id, 'shutting down');
  }

  private connect(event: IpcMainEvent, args: unknown[]): void {
    const contents = event.sender;
    const refusal = this.refusal(event, args);
    if (refusal !== null) {
      this.log(`ipc: refused ${CONNECT_CHANNEL} from webContents ${contents.id}: ${refusal}`);
      return;
    }
    const sink = this.sink();
    if (sink === null) {
      this.log(`ipc: refused ${CONNECT_CHANNEL} from webContents ${contents.id}: host not running`);
      return;
    }
    const { port1, port2 } = new MessageChannelMain();
    const conn = new PortConnection(`ipc window ${contents.id}#${++this.serial}`, port1, this.log);
    const list = this.live.get(contents.id) ?? [];
    this.live.set(contents.id, list);
    list.push(conn);
    conn.onClose(() => {
      const i = list.indexOf(conn);
      if (i >= 0) list.splice(i, 1);
    });
    while (list.length > MAX_CONNECTIONS_PER_WINDOW) {
      const old = list[0]!;
      this.log(`ipc: ${old.label} closed: superseded by a newer connection`);
      old.close();
    }
    try {
      sink.attach(conn);
    } catch (err) {
      this.log(`ipc: host refused ${conn.label}: ${err instanceof Error ? err.message : String(err)}`);
      conn.close();
      return;
    }
    contents.postMessage(PORT_CHANNEL, null, [port2]);
  }

  private openWindow(event: IpcMainEvent, args: unknown[]): void {
    const refusal = this.senderRefusal(event) ?? this.opener(args);
    if (refusal !== null) this.log(`ipc: refused ${OPEN_WINDOW_CHANNEL} from webContents ${event.sender.id}: ${refusal}`);
  }

  private refusal(event: IpcMainEvent, args: unknown[]): string | null {
    const why = this.senderRefusal(event);
    if (why !== null) return why;
    if (args.length !== 0) return 'unexpected payload';
    return null;
  }

  /** Only the main frame of our own page, in one of our windows, may ask anything. */
  private senderRefusal(event: IpcMainEvent): string | null {
    const frame = event.senderFrame;
    const why = senderRefusal(frame);
    if (why !== null) return why;
    const main = event.sender.mainFrame;
    // WebFrameMain wrappers are not unique per frame: compare the frame's identity, not the object.
    if (frame!.processId !== main.processId || frame!.routingId !== main.routingId) {
      return 'sender is not the main frame of its window';
    }
    if (BrowserWindow.fromWebContents(event.sender) === null) return 'sender is not one of our windows';
    return null;
  }

  private closeAll(id: number, why: string): void {
    const list = this.live.get(id);
    this.live.delete(id);
    if (!list || list.length === 0) return;
    this.log(`ipc: closing ${list.length} connection(s) of webContents ${id}: ${why}`);
    for (const conn of [...list]) conn.close();
  }
}

/**
 * The whole bridge between a page and main: `window.candlewick.connect()` asks main for a MessagePort, and the port
 * main sends back is forwarded to the page world with window.postMessage('candlewick:port', '*', [port]). The page
 * then speaks the typed API over that port; nothing else (no ipcRenderer, no Node) is reachable from the page.
 * `openWindow(id)` asks main to open a window of the saved layout (main checks the id against the layout).
 * Sandboxed preloads are CommonJS and may import only 'electron', hence no other imports but the constant file.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { CONNECT_CHANNEL, OPEN_WINDOW_CHANNEL, PORT_CHANNEL } from './channels.js';

ipcRenderer.on(PORT_CHANNEL, (event) => {
  const port = event.ports[0];
  if (port) window.postMessage(PORT_CHANNEL, '*', [port]);
});

contextBridge.exposeInMainWorld('candlewick', {
  connect(): void {
    ipcRenderer.send(CONNECT_CHANNEL);
  },
  openWindow(windowId: unknown): void {
    if (typeof windowId === 'string') ipcRenderer.send(OPEN_WINDOW_CHANNEL, windowId);
  },
});

import type { Transport } from '../../core/protocol/client.js';
import { withAcks } from '../../core/protocol/flow.js';

/** The page message the Electron preload posts with the API port in its transfer list (electron/channels.ts). */
export const PORT_MESSAGE = 'candlewick:port';
const OPEN_TIMEOUT_MS = 5000;

/** Under Electron the preload bridge is present; in a browser (`serve`) the API is a WebSocket on the page's host. */
export function openTransport(): Promise<Transport> {
  const bridge = window.candlewick;
  if (bridge && typeof bridge.connect === 'function') return openElectronTransport(bridge);
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return openWebSocketTransport(`${proto}//${location.host}/api/ws`);
}

/** Fan-out for the one-callback-per-kind Transport interface: ApiClient registers once, tests may add more. */
class Listeners<T> {
  private cbs: Array<(v: T) => void> = [];
  add(cb: (v: T) => void): void {
    this.cbs.push(cb);
  }
  emit(v: T): void {
    for (const cb of this.cbs) cb(v);
  }
}

export function openWebSocketTransport(url: string): Promise<Transport> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    const messages = new Listeners<string | ArrayBuffer>();
    const closes = new Listeners<string>();
    let opened = false;
    const timer = setTimeout(() => {
      if (!opened) ws.close();
    }, OPEN_TIMEOUT_MS);
    ws.onmessage = (e: MessageEvent<string | ArrayBuffer>) => messages.emit(e.data);
    ws.onopen = () => {
      opened = true;
      clearTimeout(timer);
      resolve({
        send: (text) => {
          if (ws.readyState === WebSocket.OPEN) ws.send(text);
        },
        onMessage: (cb) => messages.add(cb),
        onClose: (cb) => closes.add(cb),
        close: () => ws.close(),
      });
    };
    ws.onclose = (e) => {
      clearTimeout(timer);
      const reason = e.reason || `websocket closed (code ${e.code})`;
      if (opened) closes.emit(reason);
      else reject(new Error(`cannot reach ${url}: ${reason}`));
    };
  });
}

/**
 * Electron: ask the preload for a port, then wait for main to hand it over as a page message. Strings on
 * the port are JSON API messages, ArrayBuffers are bar frames, exactly as on the WebSocket. A port has no send
 * buffer the host could watch, so the page acknowledges what it receives (core/protocol/flow.ts): a page that
 * stops reading gets coalesced updates instead of a queue growing in the host.
 */
export function openElectronTransport(bridge: CandlewickBridge): Promise<Transport> {
  return new Promise((resolve, reject) => {
    const onPort = (e: MessageEvent) => {
      if (e.data !== PORT_MESSAGE || !e.ports[0]) return;
      window.removeEventListener('message', onPort);
      clearTimeout(timer);
      resolve(withAcks(portTransport(e.ports[0])));
    };
    const timer = setTimeout(() => {
      window.removeEventListener('message', onPort);
      reject(new Error('the host did not hand over an API port'));
    }, OPEN_TIMEOUT_MS);
    window.addEventListener('message', onPort);
    bridge.connect();
  });
}

function portTransport(port: MessagePort): Transport {
  const messages = new Listeners<string | ArrayBuffer>();
  const closes = new Listeners<string>();
  let closed = false;
  const closeOnce = (reason: string) => {
    if (closed) return;
    closed = true;
    closes.emit(reason);
  };
  port.onmessage = (e: MessageEvent<string | ArrayBuffer>) => messages.emit(e.data);
  // Chromium/Electron fire `close` on a MessagePort when the other end goes away (host restart, main reload).
  port.addEventListener('close', () => closeOnce('host closed the port'));
  port.start();
  return {
    send: (text) => {
      if (!closed) port.postMessage(text);
    },
    onMessage: (cb) => messages.add(cb),
    onClose: (cb) => closes.add(cb),
    close: () => {
      port.close();
      closeOnce('closed by the page');
    },
  };
}

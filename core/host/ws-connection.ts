import type { WebSocket } from 'ws';
import type { ServerConnection } from '../api/connection.js';

/** A `ws` socket as a ServerConnection. */
export function wsConnection(ws: WebSocket, label: string): ServerConnection {
  return {
    label,
    sendText: (text) => {
      if (ws.readyState === ws.OPEN) ws.send(text);
    },
    sendBinary: (buf) => {
      if (ws.readyState === ws.OPEN) ws.send(buf, { binary: true });
    },
    bufferedAmount: () => ws.bufferedAmount,
    onMessage: (cb) =>
      ws.on('message', (data, isBinary) => {
        const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
        if (isBinary) cb(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer);
        else cb(buf.toString('utf8'));
      }),
    onClose: (cb) => ws.on('close', () => cb()),
    close: (code, reason) => ws.close(code, reason),
  };
}

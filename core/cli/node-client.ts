import WebSocket from 'ws';
import { ApiClient, type Transport } from '../protocol/client.js';

/** Connects the typed client to a running host over WebSocket (CLI, tests, benches). */
export function connectWs(baseUrl: string, timeoutMs = 5_000): Promise<ApiClient> {
  const url = baseUrl.replace(/^http/, 'ws').replace(/\/$/, '') + '/api/ws';
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`no Candlewick host answered at ${baseUrl} within ${timeoutMs} ms`));
    }, timeoutMs);
    ws.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot reach a Candlewick host at ${baseUrl} (${(e as Error).message}); start one with: candlewick serve`));
    });
    ws.once('open', () => {
      clearTimeout(timer);
      const transport: Transport = {
        send: (t) => ws.send(t),
        onMessage: (cb) => ws.on('message', (data, isBinary) => cb(isBinary ? (data as ArrayBuffer) : data.toString())),
        onClose: (cb) => ws.on('close', (code, reason) => cb(`${code} ${reason.toString()}`.trim())),
        close: () => ws.close(),
      };
      resolve(new ApiClient(transport));
    });
  });
}

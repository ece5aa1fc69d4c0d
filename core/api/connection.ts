/**
 * One client's wire as the host sees it. The WebSocket server (serve) and the Electron IPC router
 * (MessagePortMain) each wrap their transport in this shape, so the API code is the same for both.
 */
export interface ServerConnection {
  /** A label for logs: "ws 127.0.0.1:51234" or "ipc window 3". */
  readonly label: string;
  sendText(text: string): void;
  sendBinary(buf: ArrayBuffer): void;
  /** Bytes queued but not yet written; the API coalesces updates for a connection above its threshold. */
  bufferedAmount(): number;
  onMessage(cb: (data: string | ArrayBuffer) => void): void;
  onClose(cb: () => void): void;
  close(code?: number, reason?: string): void;
}

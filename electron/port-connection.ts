/**
 * The host API's view of one window: a ServerConnection over Electron's MessagePortMain. Written against the few
 * members of the port it uses (PortLike), so it is unit-tested with a fake port under plain Node.
 */
import type { ServerConnection } from '../core/api/connection.js';

export interface PortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  start(): void;
  close(): void;
}

/** A received payload as the API reads it: text, or binary as a standalone ArrayBuffer; null for anything else. */
export function normalizePayload(data: unknown): string | ArrayBuffer | null {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return data;
  if (ArrayBuffer.isView(data)) {
    const view = data as ArrayBufferView;
    const out = new ArrayBuffer(view.byteLength);
    new Uint8Array(out).set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
    return out;
  }
  return null;
}

export class PortConnection implements ServerConnection {
  private readonly messageHandlers: Array<(data: string | ArrayBuffer) => void> = [];
  private readonly closeHandlers: Array<() => void> = [];
  private closed = false;
  private droppedLogged = false;

  constructor(
    readonly label: string,
    private readonly port: PortLike,
    private readonly log: (line: string) => void = () => {},
  ) {
    port.on('message', (e) => this.receive(e.data));
    port.on('close', () => this.finish());
    port.start();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  sendText(text: string): void {
    if (!this.closed) this.port.postMessage(text);
  }

  sendBinary(buf: ArrayBuffer): void {
    // Structured clone copies the buffer; the caller keeps ownership of its own.
    if (!this.closed) this.port.postMessage(buf);
  }

  /** MessagePortMain exposes no queue size; backpressure for windows rests on the API's per-frame coalescing. */
  bufferedAmount(): number {
    return 0;
  }

  onMessage(cb: (data: string | ArrayBuffer) => void): void {
    this.messageHandlers.push(cb);
  }

  onClose(cb: () => void): void {
    if (this.closed) cb();
    else this.closeHandlers.push(cb);
  }

  close(_code?: number, _reason?: string): void {
    if (this.closed) return;
    this.port.close();
    this.finish();
  }

  private receive(data: unknown): void {
    if (this.closed) return;
    const payload = normalizePayload(data);
    if (payload === null) {
      if (!this.droppedLogged) this.log(`${this.label}: dropped a message that is neither text nor binary`);
      this.droppedLogged = true;
      return;
    }
    for (const cb of this.messageHandlers) {
      try {
        cb(payload);
      } catch (err) {
        // A throwing handler must not take the main process down with it.
        this.log(`${this.label}: message handler failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    for (const cb of this.closeHandlers.splice(0)) {
      try {
        cb();
      } catch (err) {
        this.log(`${this.label}: close handler failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}

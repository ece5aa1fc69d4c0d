/**
 * The host API's view of one window: a ServerConnection over Electron's MessagePortMain. Written against the few
 * members of the port it uses (PortLike), so it is unit-tested with a fake port under plain Node.
 *
 * A port has no bufferedAmount, so the window acknowledges what it receives (core/protocol/flow.ts: `{"ack":n}`,
 * cumulative, every 64 KiB) and what was sent but not acknowledged is this connection's buffered amount: a window
 * that stops reading gets no new bar or quote updates past the API's slow-client threshold (1 MiB), like a slow
 * WebSocket, and the current state once it reads again. Past `maxUnackedBytes` (a window that reads nothing while
 * events keep coming) the connection is closed; the page reconnects and starts over from the current state.
 */
import type { ServerConnection } from '../core/api/connection.js';
import { isAckText, parseAck, payloadSize } from '../core/protocol/flow.js';

/** Unacknowledged bytes at which a window is taken for stuck and its connection closed. */
export const MAX_UNACKED_BYTES = 64 * 1024 * 1024;

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
  private badAckLogged = false;
  /** Sizes (flow.ts payloadSize) of everything posted, and of what the window has acknowledged. */
  private sent = 0;
  private acked = 0;

  constructor(
    readonly label: string,
    private readonly port: PortLike,
    private readonly log: (line: string) => void = () => {},
    private readonly maxUnackedBytes = MAX_UNACKED_BYTES,
  ) {
    port.on('message', (e) => this.receive(e.data));
    port.on('close', () => this.finish());
    port.start();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  sendText(text: string): void {
    if (this.closed) return;
    this.port.postMessage(text);
    this.count(payloadSize(text));
  }

  sendBinary(buf: ArrayBuffer): void {
    if (this.closed) return;
    // Structured clone copies the buffer; the caller keeps ownership of its own.
    this.port.postMessage(buf);
    this.count(buf.byteLength);
  }

  /** Sent and not yet acknowledged by the window: what its port may still hold. */
  bufferedAmount(): number {
    return this.sent - this.acked;
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

  private count(size: number): void {
    this.sent += size;
    if (this.sent - this.acked <= this.maxUnackedBytes) return;
    this.log(`${this.label}: closed: the window has not acknowledged ${this.sent - this.acked} bytes (it stopped reading)`);
    this.close();
  }

  /** A flow-control ack: moves the acknowledged total, or is refused with an error reply (and changes nothing). */
  private onAck(text: string): void {
    const r = parseAck(text);
    const why = !r.ok
      ? r.reason
      : r.ack < this.acked
        ? `ack ${r.ack} is below the ${this.acked} already acknowledged`
        : r.ack > this.sent
          ? `ack ${r.ack} is more than the ${this.sent} sent`
          : null;
    if (why === null && r.ok) {
      this.acked = r.ack;
      return;
    }
    if (!this.badAckLogged) this.log(`${this.label}: refused a flow-control ack: ${why}`);
    this.badAckLogged = true;
    this.sendText(JSON.stringify({ id: null, error: { code: 'bad_request', message: `bad ack: ${why}` } }));
  }

  private receive(data: unknown): void {
    if (this.closed) return;
    const payload = normalizePayload(data);
    if (typeof payload === 'string' && isAckText(payload)) return this.onAck(payload);
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

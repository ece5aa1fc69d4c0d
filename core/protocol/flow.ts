import type { Transport } from './client.js';

/**
 * Flow control for transports that cannot tell the host how much it has queued (Electron's MessagePort has no
 * bufferedAmount, unlike a WebSocket). The client acknowledges what it has received: a text message
 * `{"ack":<n>}`, n being the total size of every message received on this connection so far, sent each time that
 * total has grown by ACK_EVERY_BYTES. The host counts what it sent the same way; sent minus acknowledged is the
 * connection's buffered amount, so the API's coalescing for slow clients (no new bar or quote updates above
 * 1 MiB, core/api/session.ts) applies to a window that stops reading as it does to a slow WebSocket.
 *
 * Acks are cumulative, so each one says everything: a host ignores none and needs no reply. An ack that is not a
 * non-negative safe integer, goes backwards, or claims more than was sent is refused with an error reply.
 */
export const ACK_EVERY_BYTES = 64 * 1024;

/** The acknowledgement message (client -> host). */
export interface AckMsg {
  ack: number;
}

/**
 * The size both ends count for a message: UTF-16 code units of text (what `length` says, and about what the host
 * holds per queued character), bytes of binary.
 */
export function payloadSize(data: string | ArrayBuffer | ArrayBufferView): number {
  return typeof data === 'string' ? data.length : data.byteLength;
}

export function ackText(received: number): string {
  return `{"ack":${received}}`;
}

const ACK_PREFIX = '{"ack":';
/** Acks are tiny: anything longer is not one (and is not parsed as one). */
const MAX_ACK_TEXT = 64;

/**
 * Whether a client's text message is a flow-control message (it starts like an ack): those go to the transport,
 * every other message to the API. Cheap: requests never start this way.
 */
export function isAckText(text: string): boolean {
  return text.startsWith(ACK_PREFIX);
}

/** The acknowledged total of an ack message, or why it is not a valid one. */
export function parseAck(text: string): { ok: true; ack: number } | { ok: false; reason: string } {
  if (text.length > MAX_ACK_TEXT) return { ok: false, reason: `ack message longer than ${MAX_ACK_TEXT} characters` };
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'ack message is not JSON' };
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return { ok: false, reason: 'ack message must be an object' };
  const keys = Object.keys(msg);
  if (keys.length !== 1 || keys[0] !== 'ack') return { ok: false, reason: `ack message must be exactly {"ack": <bytes>}` };
  const ack = (msg as AckMsg).ack;
  if (typeof ack !== 'number' || !Number.isSafeInteger(ack) || ack < 0) return { ok: false, reason: `'ack' must be a non-negative integer` };
  return { ok: true, ack };
}

/**
 * The client's half: wraps a transport so that everything it delivers is counted and acknowledged on the same
 * transport, each time another `every` units have arrived. Counting happens as a message is delivered (before the
 * client handles it), so a page whose thread is stuck acknowledges nothing and the host holds back.
 */
export function withAcks(inner: Transport, every = ACK_EVERY_BYTES): Transport {
  let received = 0;
  let acked = 0;
  const listeners: ((data: string | ArrayBuffer) => void)[] = [];
  // One listener on the inner transport, however many the caller adds: each message counts once.
  inner.onMessage((data) => {
    received += payloadSize(data);
    if (received - acked >= every) {
      acked = received;
      inner.send(ackText(received));
    }
    for (const cb of listeners) cb(data);
  });
  return {
    send: (text) => inner.send(text),
    onMessage: (cb) => void listeners.push(cb),
    onClose: (cb) => inner.onClose(cb),
    close: () => inner.close(),
  };
}

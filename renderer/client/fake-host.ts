import type { Transport } from '../../core/protocol/client.js';
import { encodeBarFrame, type FrameKind } from '../../core/protocol/frames.js';
import type { EventName, Events } from '../../core/protocol/messages.js';
import { makeRows } from '../lib/test-rows.js';

/** A scripted host on the far side of a Transport, for unit tests of the client side (no sockets, no DOM). */
export class FakeHost {
  readonly requests: Array<{ id: number; method: string; params: Record<string, unknown> }> = [];
  handlers: Record<string, (params: Record<string, unknown>, id: number) => unknown> = {};
  private onMsg: ((d: string | ArrayBuffer) => void) | null = null;
  private onClose: ((r: string) => void) | null = null;

  readonly transport: Transport = {
    send: (text) => {
      const req = JSON.parse(text) as { id: number; method: string; params: Record<string, unknown> };
      this.requests.push(req);
      const h = this.handlers[req.method];
      queueMicrotask(() => {
        try {
          const result = h ? h(req.params, req.id) : { ok: true };
          this.text({ id: req.id, result });
        } catch (e) {
          const err = e as { code?: string; message: string };
          this.text({ id: req.id, error: { code: err.code ?? 'internal', message: err.message } });
        }
      });
    },
    onMessage: (cb) => void (this.onMsg = cb),
    onClose: (cb) => void (this.onClose = cb),
    close: () => this.onClose?.('closed'),
  };

  text(msg: unknown): void {
    this.onMsg?.(JSON.stringify(msg));
  }

  event<E extends EventName>(event: E, data: Events[E]): void {
    this.text({ event, data });
  }

  /** Sends rows [start, start+count) of a synthetic buffer whose row i has time i (seed shifts prices). */
  frame(kind: FrameKind, streamId: number, start: number, count: number, bounds: { first: number; last: number }, seed = 0): void {
    const rows = makeRows(count, start, 1, seed);
    this.onMsg?.(encodeBarFrame(kind, streamId, start, bounds.first, bounds.last, rows, 0, count));
  }

  drop(reason = 'gone'): void {
    this.onClose?.(reason);
  }

  calls(method: string): Array<Record<string, unknown>> {
    return this.requests.filter((r) => r.method === method).map((r) => r.params);
  }
}

/** Lets queued microtasks and zero-delay timers run. */
export const settle = () => new Promise<void>((r) => setTimeout(r, 0));

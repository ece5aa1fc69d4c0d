import type { ErrorBody, EventName, Events, Method, Params, Result, ServerMsg } from './messages.js';
import { decodeBarFrame, type BarFrame } from './frames.js';

/** What a client needs from a wire: WebSocket in a browser or Node, a MessagePort in Electron. */
export interface Transport {
  send(text: string): void;
  onMessage(cb: (data: string | ArrayBuffer) => void): void;
  onClose(cb: (reason: string) => void): void;
  close(): void;
}

export class ApiError extends Error {
  constructor(
    public readonly code: ErrorBody['code'],
    message: string,
  ) {
    super(message);
  }
}

type Handler<E extends EventName> = (data: Events[E]) => void;

/** The typed, transport-agnostic API client used by the renderer, the CLI and the tests. */
export class ApiClient {
  private nextId = 1;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private handlers = new Map<EventName, Set<(d: never) => void>>();
  private frameHandlers = new Set<(f: BarFrame) => void>();
  private closeHandlers = new Set<(reason: string) => void>();
  private closed: string | null = null;
  /** Error replies with no request id (e.g. an unparseable message), kept for diagnostics. */
  readonly orphanErrors: ErrorBody[] = [];

  constructor(private readonly transport: Transport) {
    transport.onMessage((data) => this.dispatch(data));
    transport.onClose((reason) => {
      this.closed = reason;
      for (const p of this.pending.values()) p.reject(new ApiError('unavailable', `connection closed: ${reason}`));
      this.pending.clear();
      for (const cb of this.closeHandlers) cb(reason);
    });
  }

  call<M extends Method>(method: M, params: Params<M>): Promise<Result<M>> {
    if (this.closed !== null) return Promise.reject(new ApiError('unavailable', `connection closed: ${this.closed}`));
    const id = this.nextId++;
    return new Promise<Result<M>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.transport.send(JSON.stringify({ id, method, params }));
    });
  }

  on<E extends EventName>(event: E, cb: Handler<E>): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(cb as (d: never) => void);
    return () => set.delete(cb as (d: never) => void);
  }

  onFrame(cb: (f: BarFrame) => void): () => void {
    this.frameHandlers.add(cb);
    return () => this.frameHandlers.delete(cb);
  }

  onClose(cb: (reason: string) => void): () => void {
    this.closeHandlers.add(cb);
    return () => this.closeHandlers.delete(cb);
  }

  get isClosed(): boolean {
    return this.closed !== null;
  }

  close(): void {
    this.transport.close();
  }

  private dispatch(data: string | ArrayBuffer): void {
    if (typeof data !== 'string') {
      const frame = decodeBarFrame(data);
      for (const cb of this.frameHandlers) cb(frame);
      return;
    }
    const msg = JSON.parse(data) as ServerMsg;
    if ('event' in msg) {
      const set = this.handlers.get(msg.event);
      if (set) for (const cb of set) (cb as (d: unknown) => void)(msg.data);
      return;
    }
    const p = msg.id === null ? undefined : this.pending.get(msg.id);
    if ('error' in msg) {
      if (p) {
        this.pending.delete(msg.id!);
        p.reject(new ApiError(msg.error.code, msg.error.message));
      } else this.orphanErrors.push(msg.error);
      return;
    }
    if (p) {
      this.pending.delete(msg.id);
      p.resolve(msg.result);
    }
  }
}

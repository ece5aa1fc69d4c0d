import type { ServiceInfo, ServiceState } from '../protocol/types.js';

/** A running service as the registry tracks it. */
export interface Service {
  readonly name: string;
  readonly kind: ServiceInfo['kind'];
  info(): ServiceInfo;
  stop(): Promise<void>;
}

/** Mutable bookkeeping a service embeds to produce its ServiceInfo. */
export class ServiceStatus {
  state: ServiceState = 'starting';
  startedAt: number | null = null;
  restarts = 0;
  lastError: string | null = null;
  detail: Record<string, string | number> = {};

  constructor(
    readonly name: string,
    readonly kind: ServiceInfo['kind'],
    private readonly onChange: () => void,
  ) {}

  set(state: ServiceState, error?: string): void {
    // Uptime counts from the latest (re)start.
    if (state === 'running' && this.state !== 'running') this.startedAt = Date.now();
    this.state = state;
    if (error !== undefined) this.lastError = error;
    this.onChange();
  }

  info(): ServiceInfo {
    return {
      name: this.name,
      kind: this.kind,
      state: this.state,
      startedAt: this.startedAt,
      restarts: this.restarts,
      lastError: this.lastError,
      detail: { ...this.detail },
    };
  }
}

/**
 * Start-or-attach by name (piker's maybe_spawn_daemon): concurrent starters of one name share a single
 * start, later callers attach to the running service.
 */
export class ServiceRegistry {
  private services = new Map<string, Service>();
  private starting = new Map<string, Promise<Service>>();
  private listeners = new Set<(list: ServiceInfo[]) => void>();
  private notifyPending = false;

  async startOrAttach<T extends Service>(name: string, start: () => Promise<T>): Promise<T> {
    const running = this.services.get(name);
    if (running) return running as T;
    const pending = this.starting.get(name);
    if (pending) return (await pending) as T;
    const p = start();
    this.starting.set(name, p);
    try {
      const svc = await p;
      this.services.set(name, svc);
      this.changed();
      return svc;
    } finally {
      this.starting.delete(name);
    }
  }

  get(name: string): Service | undefined {
    return this.services.get(name);
  }

  list(): ServiceInfo[] {
    return [...this.services.values()].map((s) => s.info()).sort((a, b) => a.name.localeCompare(b.name));
  }

  async stop(name: string): Promise<void> {
    const svc = this.services.get(name);
    if (!svc) return;
    this.services.delete(name);
    await svc.stop();
    this.changed();
  }

  async stopAll(): Promise<void> {
    const all = [...this.services.keys()].reverse();
    for (const name of all) await this.stop(name);
  }

  onChange(cb: (list: ServiceInfo[]) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  /** Coalesces bursts of state changes into one notification per tick. */
  changed(): void {
    if (this.notifyPending) return;
    this.notifyPending = true;
    queueMicrotask(() => {
      this.notifyPending = false;
      const list = this.list();
      for (const cb of this.listeners) cb(list);
    });
  }
}

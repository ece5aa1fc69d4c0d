import type { FeedHub } from '../data/feed-hub.js';
import type { ServiceRegistry } from '../services/registry.js';
import type { Session } from './session.js';
import type { Emsd } from '../clearing/emsd/emsd.js';
import type { LayoutStore } from '../host/layout-store.js';

/** What a session needs from the host. */
export interface ApiContext {
  version: string;
  registry: ServiceRegistry;
  hub: FeedHub;
  ems: Emsd;
  /** The saved window/tab/chart layout (layout.json). */
  layout: LayoutStore;
  testHooks: boolean;
  backends(): string[];
  crash(service: string): void;
  detach(s: Session): void;
  log(line: string): void;
}

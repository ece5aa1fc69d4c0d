import type { FeedHub } from '../data/feed-hub.js';
import type { ServiceRegistry } from '../services/registry.js';
import type { Session } from './session.js';

/** What a session needs from the host. */
export interface ApiContext {
  version: string;
  registry: ServiceRegistry;
  hub: FeedHub;
  testHooks: boolean;
  backends(): string[];
  crash(service: string): void;
  detach(s: Session): void;
  log(line: string): void;
}

import { NotFoundError, type DataBackend, type BackendEndpoints } from './backend.js';
import { SimBackend } from './sim/backend.js';

/** Backends this build knows, with the endpoint groups each declares (piker's `_eps`). */
export const BACKENDS: Record<string, BackendEndpoints> = {
  sim: { datad: true, brokerd: true },
};

export function knownBackends(): string[] {
  return Object.keys(BACKENDS);
}

export function createDataBackend(broker: string, opts: { seed: number; rate: number }): DataBackend {
  if (broker === 'sim') return new SimBackend(opts);
  throw new NotFoundError(`unknown backend '${broker}': this build has ${knownBackends().join(', ')}`);
}

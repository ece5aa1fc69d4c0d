import { IndicatorHub, type WorkerLike } from './indicator-hub.js';

let hub: IndicatorHub | null = null;

/**
 * The window's hub, on a module worker loaded from next to the app bundle (dist/renderer/indicators.worker.js):
 * same origin, so the CSP's worker-src 'self' allows it; started with the first indicator shown.
 */
export function indicatorHub(): IndicatorHub {
  hub ??= new IndicatorHub(() => new Worker(new URL('./indicators.worker.js', import.meta.url), { type: 'module', name: 'indicators' }) as unknown as WorkerLike);
  return hub;
}

import { Sampler, type Clock, systemClock } from '../data/sampler.js';
import { ServiceStatus, type Service } from './registry.js';
import type { ServiceInfo, Timeframe } from '../protocol/types.js';

/** samplerd as a registry service: the one bar clock of the host. */
export class SamplerService implements Service {
  readonly name = 'samplerd';
  readonly kind = 'samplerd' as const;
  readonly status: ServiceStatus;
  readonly sampler: Sampler;

  constructor(onChange: () => void, clock: Clock = systemClock) {
    this.status = new ServiceStatus(this.name, this.kind, onChange);
    this.sampler = new Sampler([1, 60], clock);
    this.sampler.onStep((period: Timeframe) => {
      this.status.detail[`steps${period}s`] = this.sampler.steps[period];
    });
    this.sampler.start();
    this.status.set('running');
  }

  info(): ServiceInfo {
    return this.status.info();
  }

  async stop(): Promise<void> {
    this.sampler.stop();
    this.status.set('stopped');
  }
}

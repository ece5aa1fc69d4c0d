import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ServiceRegistry } from '../services/registry.js';
import { SamplerService } from '../services/samplerd.js';
import { FeedHub } from '../data/feed-hub.js';
import { ApiServer } from '../api/api-server.js';
import type { ServerConnection } from '../api/connection.js';
import type { DatadService } from '../data/datad-service.js';
import { knownBackends } from '../brokers/index.js';
import { loadConfig, venueSection, type Config } from './config.js';
import { sealPlainKeys, venueCredentials, type Credentials } from './credentials.js';
import { createTradeDialog } from '../brokers/trade-dialogs.js';
import type { HostOptions } from './host-options.js';
import { VERSION } from './version.js';
import { Emsd } from '../clearing/emsd/emsd.js';
import { ProtocolError } from '../protocol/validate.js';
import { LayoutStore } from './layout-store.js';

/**
 * The host: Electron's main process or `candlewick serve`, the same code. It owns the service registry,
 * samplerd, the feed hub (which starts datad workers on demand) and the API every client connects to.
 */
export class Host {
  private constructor(
    readonly config: Config,
    readonly registry: ServiceRegistry,
    readonly hub: FeedHub,
    readonly api: ApiServer,
    readonly ems: Emsd,
    readonly layout: LayoutStore,
    private readonly log: (line: string) => void,
  ) {}

  static async start(opts: HostOptions): Promise<Host> {
    mkdirSync(opts.dataDir, { recursive: true });
    const log = opts.log ?? ((line: string) => console.error(`[candlewick] ${line}`));
    const secrets = (await opts.secrets) ?? null;
    for (const venue of sealPlainKeys(opts.dataDir, secrets)) log(`config.toml: ${venue} API keys sealed with the OS keychain`);
    const config = loadConfig(opts.dataDir);
    if (opts.seed !== undefined) config.sim.seed = opts.seed;
    if (opts.simRate !== undefined) config.sim.rate = opts.simRate;
    // Resolved once at start so a key that cannot be read is a clear error now, not at the first live order.
    const credentials = new Map<string, Credentials>();
    for (const b of knownBackends()) {
      const c = venueCredentials(config[b as keyof Config] as Record<string, unknown> | undefined, b, secrets);
      if (c) credentials.set(b, c);
    }
    const registry = new ServiceRegistry();
    const hub = new FeedHub(registry, {
      seed: config.sim.seed,
      rate: config.sim.rate,
      history: { rows60: config.history.days60 * 1440, rows1: config.history.hours1 * 3600 },
      cacheDir: join(opts.dataDir, 'cache'),
      historyDir: join(opts.dataDir, 'history'),
      exportDir: join(opts.dataDir, 'exports'),
      storeSim: config.history.store_sim,
      venueConfig: (broker) => venueSection(config, broker),
      failover: config.failover,
      log,
    });
    const testHooks = opts.testHooks ?? false;
    let host: Host | undefined;
    let api: ApiServer | undefined;
    const ems = await registry.startOrAttach('emsd', () =>
      Emsd.start({
        dataDir: opts.dataDir,
        hub,
        registry,
        broadcast: (event, data) => api?.broadcast(event, data),
        log,
        ticksThrough: config.ems.ticks_through,
        compaction: { bytes: config.ems.compact_bytes, keepFinished: config.ems.keep_finished },
        paperFees: { maker: config.paper.maker_fee, taker: config.paper.taker_fee },
        venue: {
          latency: { ackMs: config.sim_venue.ack_ms, cancelMs: config.sim_venue.cancel_ms, ...opts.venueLatency },
          fees: { maker: config.sim_venue.maker_fee, taker: config.sim_venue.taker_fee },
          balance: config.sim_venue.balance,
        },
        ...(opts.paperLatency ? { paperLatency: opts.paperLatency } : {}),
        canTrade: (broker) => credentials.has(broker),
        tradeDialog: (broker, market) => {
          const c = credentials.get(broker);
          if (!c) return null;
          const section = { ...venueSection(config, broker), api_key: c.apiKey, api_secret: c.apiSecret };
          return createTradeDialog(broker, { section, market, log });
        },
      }),
    );
    const layout = new LayoutStore(join(opts.dataDir, 'layout.json'), log);
    api = new ApiServer({
      version: VERSION,
      layout,
      registry,
      hub,
      ems,
      testHooks,
      backends: knownBackends,
      crash: (service) => host!.crash(service),
      log,
    });
    host = new Host(config, registry, hub, api, ems, layout, log);
    const samplerd = await registry.startOrAttach('samplerd', async () => new SamplerService(() => registry.changed()));
    samplerd.sampler.onStep((period, time) => {
      hub.step(period, time);
      api.broadcast('step', { period, time });
    });
    return host;
  }

  attach(conn: ServerConnection): void {
    this.api.attach(conn);
  }

  crash(service: string): void {
    const svc = this.registry.get(service) as Partial<DatadService> | undefined;
    if (!svc || typeof svc.crash !== 'function') {
      throw new ProtocolError('not_found', `no crashable service '${service}' (running: ${this.registry.list().map((s) => s.name).join(', ')})`);
    }
    if (svc.info!().state !== 'running') throw new ProtocolError('unavailable', `${service} is ${svc.info!().state}, not running`);
    svc.crash();
  }

  async stop(): Promise<void> {
    this.api.close();
    await this.layout.flushed();
    await this.registry.stopAll();
    this.log('host stopped');
  }
}

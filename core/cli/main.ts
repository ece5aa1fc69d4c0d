import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { Host } from '../host/host.js';
import { startServer } from '../host/http-server.js';
import { resolveDataDir } from '../host/paths.js';
import { ConfigError, loadConfig } from '../host/config.js';
import { connectWs } from './node-client.js';
import { intFlag, numFlag, parse, USAGE, UsageError } from './args.js';
import { ApiError } from '../protocol/client.js';
import { formatServices, formatSearch, formatTick } from './format.js';
import { printLedger } from './ledger.js';
import { historyCommand } from './history.js';

const DEFAULT_URL = 'http://127.0.0.1:6116/';
const urlFlag = { url: { type: 'string' } } as const;

async function serve(argv: string[]): Promise<void> {
  const { values } = parse(
    argv,
    {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      seed: { type: 'string' },
      'sim-rate': { type: 'string' },
      'test-hooks': { type: 'boolean' },
    },
    0,
  );
  const dataDir = resolveDataDir(values['data-dir']);
  const config = loadConfig(dataDir);
  const port = intFlag(values.port, 'port', 0, 65535, config.serve.port);
  const seedFlag = values.seed === undefined ? undefined : intFlag(values.seed, 'seed', 0, 2 ** 31 - 1, 0);
  const host = await Host.start({
    dataDir,
    seed: seedFlag,
    simRate: numFlag(values['sim-rate'], 'sim-rate', 0, 200_000),
    testHooks: values['test-hooks'] ?? false,
  });
  const staticDir = join(dirname(fileURLToPath(import.meta.url)), 'renderer');
  if (!existsSync(join(staticDir, 'index.html'))) console.error(`warning: no UI build at ${staticDir} (run npm run build)`);
  const server = await startServer(host, { port, host: values.host ?? config.serve.host, staticDir });
  console.log(`candlewick serving ${server.url} (data dir ${dataDir})`);
  const shutdown = async () => {
    await server.close();
    await host.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

async function withClient<T>(url: string | undefined, fn: (c: Awaited<ReturnType<typeof connectWs>>) => Promise<T>): Promise<T> {
  const client = await connectWs(url ?? DEFAULT_URL);
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'serve':
      await serve(rest);
      return -1;
    case 'services': {
      const { values } = parse(rest, urlFlag, 0);
      await withClient(values.url, async (c) => console.log(formatServices(await c.call('services.list', {}))));
      return 0;
    }
    case 'search': {
      const { values, positionals } = parse(rest, { ...urlFlag, limit: { type: 'string' } }, 1);
      const limit = intFlag(values.limit, 'limit', 1, 500, 20);
      await withClient(values.url, async (c) => console.log(formatSearch(await c.call('symbols.search', { pattern: positionals[0]!, limit }))));
      return 0;
    }
    case 'quote': {
      const { values, positionals } = parse(rest, { ...urlFlag, count: { type: 'string' } }, 1);
      const count = intFlag(values.count, 'count', 1, 100_000, 10);
      await withClient(values.url, async (c) => {
        const mkt = await c.call('mkt.info', { fqme: positionals[0]! });
        let seen = 0;
        await new Promise<void>((resolve) => {
          c.on('quote', (q) => {
            for (const t of q.ticks) {
              if (seen++ >= count) return resolve();
              console.log(formatTick(mkt.fqme, t));
            }
            if (seen >= count) resolve();
          });
          void c.call('quotes.subscribe', { fqme: mkt.fqme });
        });
      });
      return 0;
    }
    case 'chart': {
      const { values, positionals } = parse(rest, { ...urlFlag, open: { type: 'boolean' } }, 1);
      const base = values.url ?? DEFAULT_URL;
      const fqme = await withClient(base, async (c) => (await c.call('mkt.info', { fqme: positionals[0]! })).fqme);
      const url = `${base.replace(/\/$/, '')}/?fqme=${encodeURIComponent(fqme)}`;
      console.log(url);
      if (values.open) spawn(process.platform === 'darwin' ? 'open' : 'xdg-open', [url], { detached: true, stdio: 'ignore' }).unref();
      return 0;
    }
    case 'ledger': {
      const { values, positionals } = parse(rest, { 'data-dir': { type: 'string' }, broker: { type: 'string' } }, 1);
      const brokers = values.broker ? [values.broker] : undefined;
      console.log(await printLedger(resolveDataDir(values['data-dir']), positionals[0]!, brokers));
      return 0;
    }
    case 'history':
      return historyCommand(rest, {
        connect: async (url) => {
          const client = await connectWs(url ?? DEFAULT_URL);
          return { client, close: () => client.close() };
        },
        out: (line) => console.log(line),
      });
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return 0;
    default:
      throw new UsageError(cmd === undefined ? 'no command given' : `unknown command '${cmd}'`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (e: unknown) => {
    if (e instanceof UsageError) {
      console.error(`candlewick: ${e.message}\n\n${USAGE}`);
      process.exit(2);
    }
    if (e instanceof ApiError || e instanceof ConfigError) {
      console.error(`candlewick: ${e.message}`);
      process.exit(1);
    }
    console.error(`candlewick: ${(e as Error).message ?? e}`);
    process.exit(1);
  },
);

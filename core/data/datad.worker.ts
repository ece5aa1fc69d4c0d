import { parentPort, workerData } from 'node:worker_threads';
import { NotFoundError, type DataBackend } from '../brokers/backend.js';
import { createDataBackend } from '../brokers/index.js';
import type { Timeframe } from '../protocol/types.js';
import type { DatadInit, DatadRequest, DatadResult, FromWorker, ToWorker } from './datad-messages.js';
import { Feed } from './feed.js';
import { packTicks } from './tick-pack.js';
import { HistoryStore } from './history/store.js';
import { normalizeFqme } from '../protocol/fqme.js';

/**
 * datad.<broker>: one worker thread per backend in use. It owns the backend's feeds and is the only writer
 * of their shared OHLCV buffers; the host reads them directly and gets ticks as packed batches.
 */
const port = parentPort!;
const init = workerData as DatadInit;
const backend: DataBackend = createDataBackend(init.broker, {
  seed: init.seed,
  rate: init.rate,
  cacheDir: init.cacheDir,
  config: init.config,
  log: (line) => console.error(`[datad.${init.broker}] ${line}`),
});
const log = (line: string) => console.error(`[datad.${init.broker}] ${line}`);
let storeState = init.historyFile ? 'opening' : 'off';
let storeOpening: Promise<HistoryStore | null> | null = null;
let storeOpen: HistoryStore | null = null;
/**
 * This worker is the one writer of its backend's history file, opened with the first feed or history request (a
 * worker that only searches symbols never loads DuckDB). A CLI reading the file (no host was running) holds it
 * briefly: the open waits a few seconds for that; a file that cannot be opened leaves the feeds without storage.
 */
function store(): Promise<HistoryStore | null> {
  const file = init.historyFile;
  if (!file) return Promise.resolve(null);
  storeOpening ??= HistoryStore.open(file, { lockWaitMs: 5_000, log }).then(
    (s) => {
      storeState = 'open';
      s.onGapsChanged = (fqme, timeframe) => post({ t: 'gaps', fqme, timeframe });
      return (storeOpen = s);
    },
    (e: Error) => {
      storeState = `unavailable: ${e.message}`;
      log(`history store ${file} not opened, history is not stored: ${e.message}`);
      return null;
    },
  );
  return storeOpening;
}
const feeds = new Map<string, Feed>();
const backups = new Map<string, DataBackend>();

/** A backup backend runs in this worker (not in its own datad) because it feeds this worker's buffers. */
function backupFor(fqme: string): { fqme: string; backend: DataBackend } | null {
  const b = init.failover[fqme];
  if (!b) return null;
  const broker = b.fqme.split('.').pop()!;
  let backend = backups.get(broker);
  if (!backend) {
    backend = createDataBackend(broker, {
      seed: init.seed,
      rate: init.rate,
      cacheDir: b.cacheDir,
      config: b.config,
      log: (line) => console.error(`[datad.${init.broker} backup ${broker}] ${line}`),
    });
    backups.set(broker, backend);
  }
  return { fqme: b.fqme, backend };
}
const opening = new Map<string, Promise<Feed>>();
let ingested = 0;

const post = (m: FromWorker, transfer?: ArrayBuffer[]) => port.postMessage(m, transfer);
const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));

async function openFeed(fqme: string): Promise<Feed> {
  const mkt = await backend.getMktInfo(fqme);
  const existing = feeds.get(mkt.fqme) ?? opening.get(mkt.fqme);
  if (existing) return existing;
  const p = (async () => {
    const feed = new Feed(mkt, backend, init.history, {
      onBuffer: (f, timeframe, buf) => post({ t: 'buffer', fqme: f, timeframe, sab: buf.sab }),
      onHistory: (f, timeframe, first, done) => post({ t: 'history', fqme: f, timeframe, first, done }),
      onTicks: (f, ticks) => {
        ingested += ticks.length;
        const packed = packTicks(ticks);
        post({ t: 'quotes', fqme: f, packed }, [packed.buffer as ArrayBuffer]);
      },
      onLink: (f, state, detail, source) => post({ t: 'link', fqme: f, state, detail, source }),
      onEngine: (f, status) => post({ t: 'engine', fqme: f, status }),
    }, backupFor(mkt.fqme), await store(), log);
    await feed.open(Date.now());
    feeds.set(mkt.fqme, feed);
    return feed;
  })();
  opening.set(mkt.fqme, p);
  try {
    const feed = await p;
    void feed.backfill(yieldToLoop).catch((e) => console.error(`datad.${init.broker}: backfill of ${mkt.fqme} failed:`, e));
    return feed;
  } finally {
    opening.delete(mkt.fqme);
  }
}

async function handle(req: DatadRequest): Promise<DatadResult> {
  switch (req.op) {
    case 'open': {
      const feed = await openFeed(req.fqme);
      return {
        mkt: feed.mkt,
        link: feed.link,
        engine: feed.engine,
        buffers: [...feed.buffers].map(([timeframe, buf]) => ({ timeframe, sab: buf.sab })),
      };
    }
    case 'search':
      return backend.searchSymbols(req.pattern, req.limit);
    case 'mktinfo':
      return backend.getMktInfo(req.fqme);
    case 'history.export': {
      const s = await storeFor(req.fqme);
      const fqme = normalizeFqme(req.fqme);
      if (!s.spans(fqme, req.timeframe).length && (await s.count(fqme, req.timeframe)) === 0) {
        throw new NotFoundError(`no stored ${req.timeframe} s history for ${fqme} (stored: ${s.series().map((x) => `${x.fqme} ${x.timeframe} s`).join(', ') || 'nothing yet'})`);
      }
      return s.exportTo(fqme, req.timeframe, req.format, req.path);
    }
    case 'history.gaps': {
      const s = await storeFor(req.fqme ?? `x.${init.broker}`);
      return s.gaps(req.fqme === null ? undefined : normalizeFqme(req.fqme));
    }
  }
}

async function storeFor(fqme: string): Promise<HistoryStore> {
  const s = await store();
  if (!s) throw new NotFoundError(`${init.broker} history is not stored (${storeState}); for the sim set [history] store_sim = true (asked for ${fqme})`);
  return s;
}

/** Closes the feeds (their closed bars are written) and the store (queued writes finish, the WAL is checkpointed). */
async function shutdown(): Promise<void> {
  for (const f of feeds.values()) f.close();
  if (storeOpening) await (await storeOpening)?.close();
}

/** How long a dying worker waits for its history store to finish what it runs before it goes anyway. */
const FATAL_CLOSE_MS = 3_000;

/**
 * A worker that dies with a DuckDB statement still running takes the whole host down: the statement finishes into a
 * torn-down thread and the native addon aborts the process ("terminate called after throwing Napi::Error"). So an
 * error nothing caught first lets the store finish and close (bounded), then ends the worker with that error, for
 * the supervisor to report and restart as before.
 */
function onFatal(e: unknown): void {
  // The first error is the one the supervisor hears; what the dying feeds throw meanwhile is only logged, since
  // ending the thread on it would cut the store's drain short.
  process.off('uncaughtException', onFatal);
  process.off('unhandledRejection', onFatal);
  process.on('uncaughtException', whileDying);
  process.on('unhandledRejection', whileDying);
  const err = e instanceof Error ? e : new Error(`unhandled rejection: ${String(e)}`);
  let gone = false;
  const die = () => {
    if (gone) return;
    gone = true;
    setImmediate(() => {
      process.off('uncaughtException', whileDying);
      process.off('unhandledRejection', whileDying);
      throw err;
    });
  };
  setTimeout(die, FATAL_CLOSE_MS);
  // The feeds stop first (no more ticks, timers or writes), then the store finishes what it runs and closes.
  try {
    for (const f of feeds.values()) f.close();
  } catch (closeErr) {
    log(`closing feeds after a crash: ${(closeErr as Error).message}`);
  }
  (storeOpening ?? Promise.resolve(null))
    .then((s) => s?.close())
    .catch((closeErr: Error) => log(`closing the history store after a crash: ${closeErr.message}`))
    .finally(die);
}

function whileDying(e: unknown): void {
  log(`while stopping after a crash: ${e instanceof Error ? e.message : String(e)}`);
}
process.on('uncaughtException', onFatal);
process.on('unhandledRejection', onFatal);

port.on('message', (m: ToWorker) => {
  if (m.t === 'req') {
    handle(m.req).then(
      (result) => post({ t: 'reply', id: m.id, result }),
      (e: unknown) =>
        post({
          t: 'reply',
          id: m.id,
          error: { code: e instanceof NotFoundError ? 'not_found' : 'internal', message: (e as Error).message },
        }),
    );
  } else if (m.t === 'step') {
    for (const feed of feeds.values()) feed.step(m.period as Timeframe, m.time);
  } else if (m.t === 'stop') {
    shutdown().then(
      () => post({ t: 'stopped' }),
      (e: Error) => {
        log(`stop: ${e.message}`);
        post({ t: 'stopped' });
      },
    );
  } else if (m.t === 'crash') {
    // As a bug would that throws on every tick: the first error, then more while the worker is dying.
    setInterval(() => {
      throw new Error(`datad.${init.broker}: crash requested by a test hook (thrown again)`);
    }, 5);
    setImmediate(() => {
      throw new Error(`datad.${init.broker}: crash requested by a test hook`);
    });
  }
});

let lastStatsAt = Date.now();
setInterval(() => {
  const now = Date.now();
  const rate = (ingested * 1000) / Math.max(1, now - lastStatsAt);
  ingested = 0;
  lastStatsAt = now;
  post({
    t: 'stats',
    feeds: [...feeds.values()].map((f) => f.feedStats()),
    ingestRate: Math.round(rate),
    backend: backend.stats?.() ?? null,
    store: init.historyFile ? { state: storeState, written: storeOpen?.written ?? 0 } : null,
  });
}, 1000).unref();

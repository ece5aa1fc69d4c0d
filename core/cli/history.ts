import { copyFileSync, existsSync, renameSync, unlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../host/config.js';
import { resolveDataDir } from '../host/paths.js';
import { normalizeFqme, parseFqme } from '../protocol/fqme.js';
import { HISTORY_FORMATS, type HistoryFormat, type HistoryGap } from '../protocol/messages.js';
import type { ApiClient } from '../protocol/client.js';
import type { Timeframe } from '../protocol/types.js';
import { HistoryStore, StoreLockedError } from '../data/history/store.js';
import { parse, UsageError } from './args.js';
import { formatGaps } from './format.js';

/**
 * `candlewick history export|gaps`. A backend's history file has one writer, its datad worker in a running host;
 * DuckDB lets no other process open a file a writer holds, not even to read. So these commands open the file
 * directly (read-only) when no host holds it, and otherwise ask the host over the API, whose datad does the work.
 * The file tells which: a lock held by another process means a host runs on this data dir.
 */
export interface HistoryDeps {
  connect(url: string | undefined): Promise<{ client: ApiClient; close(): void }>;
  out(line: string): void;
}

const FLAGS = { url: { type: 'string' }, 'data-dir': { type: 'string' }, timeframe: { type: 'string' } } as const;

export async function historyCommand(argv: string[], deps: HistoryDeps): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'export') {
    const { values, positionals } = parse(rest, { ...FLAGS, format: { type: 'string' }, out: { type: 'string' } }, 1);
    const fqme = fqmeArg(positionals[0]!);
    const timeframe = timeframeFlag(values.timeframe);
    const format = (values.format ?? 'parquet') as HistoryFormat;
    if (!HISTORY_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${HISTORY_FORMATS.join(', ')}, got '${values.format}'`);
    const out = resolve(values.out ?? `${fqme}.${timeframe}s.${format}`);
    const rows = await withStore(fqme, values, deps, {
      direct: async (store) => {
        if (store.spans(fqme, timeframe).length === 0 && (await store.count(fqme, timeframe)) === 0) throw notStored(fqme, timeframe, store);
        return (await store.exportTo(fqme, timeframe, format, out)).rows;
      },
      host: async (c) => {
        const r = await c.call('history.export', { fqme, timeframe, format });
        // The host wrote the file into its own data dir; on the same machine it moves here, else it stays there.
        if (!existsSync(r.path)) {
          deps.out(`the host wrote ${r.path} (not on this machine)`);
          return r.rows;
        }
        moveFile(r.path, out);
        return r.rows;
      },
    });
    deps.out(`${rows} ${timeframe} s bars of ${fqme} -> ${out}`);
    return 0;
  }
  if (sub === 'gaps') {
    const { values, positionals } = parse(rest, FLAGS, 1);
    const fqme = fqmeArg(positionals[0]!);
    const tf = values.timeframe === undefined ? undefined : timeframeFlag(values.timeframe);
    const gaps = await withStore(fqme, values, deps, {
      direct: (store) => store.gaps(fqme, tf),
      host: async (c) => (await c.call('history.gaps', { fqme })).filter((g: HistoryGap) => tf === undefined || g.timeframe === tf),
    });
    deps.out(formatGaps(fqme, gaps));
    return 0;
  }
  throw new UsageError(sub === undefined ? 'history needs a subcommand: export or gaps' : `unknown history subcommand '${sub}' (export, gaps)`);
}

function fqmeArg(arg: string): string {
  try {
    const fqme = normalizeFqme(arg);
    parseFqme(fqme);
    return fqme;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function timeframeFlag(v: string | undefined): Timeframe {
  if (v === undefined) return 60;
  if (v === '60' || v === '1') return Number(v) as Timeframe;
  throw new UsageError(`--timeframe must be 60 or 1 (seconds), got '${v}'`);
}

/** The history file of a market's backend in a data dir (the sim's is per seed, as the host names it). */
export function historyFileFor(dataDir: string, fqme: string): string {
  const broker = parseFqme(fqme).broker;
  const name = broker === 'sim' ? `sim-seed${loadConfig(dataDir).sim.seed}` : broker;
  return join(dataDir, 'history', `${name}.duckdb`);
}

async function withStore<T>(
  fqme: string,
  flags: { url?: string; 'data-dir'?: string },
  deps: HistoryDeps,
  how: { direct(store: HistoryStore): Promise<T>; host(c: ApiClient): Promise<T> },
): Promise<T> {
  const dataDir = resolveDataDir(flags['data-dir']);
  const file = historyFileFor(dataDir, fqme);
  let store: HistoryStore | null = null;
  if (existsSync(file)) {
    try {
      store = await HistoryStore.open(file, { readOnly: true });
    } catch (e) {
      if (!(e instanceof StoreLockedError)) throw e;
    }
  } else if (flags.url === undefined) {
    throw new Error(`no stored history for ${parseFqme(fqme).broker} in ${join(dataDir, 'history')} (give --url to ask a host on another data dir)`);
  }
  if (store) {
    try {
      return await how.direct(store);
    } finally {
      await store.close();
    }
  }
  // A host holds the file (or was named with --url): its datad owns the store.
  const { client, close } = await deps.connect(flags.url);
  try {
    return await how.host(client);
  } finally {
    close();
  }
}

function notStored(fqme: string, tf: Timeframe, store: HistoryStore): Error {
  const have = store.series().map((s) => `${s.fqme} ${s.timeframe} s`);
  return new Error(`no stored ${tf} s history for ${fqme} in ${store.path} (stored: ${have.join(', ') || 'nothing yet'})`);
}

function moveFile(from: string, to: string): void {
  if (from === to) return;
  try {
    renameSync(from, to);
  } catch {
    copyFileSync(from, to);
    unlinkSync(from);
  }
}

import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { historyCommand } from '../../core/cli/history.js';
import { HistoryStore, type Rows } from '../../core/data/history/store.js';
import { COLUMNS } from '../../core/protocol/frames.js';
import { until } from './harness.js';
import { settled, venueRig } from './history-helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const BTC = 'btcusdt.spot.binance';
const ETH = 'ethusdt.spot.binance';

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'core/cli/main.ts', ...args], { cwd: root, timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** `historyCommand` in this process, with no host to reach (direct mode only). */
async function direct(args: string[]): Promise<string[]> {
  const out: string[] = [];
  await historyCommand(args, { connect: () => Promise.reject(new Error('no host in this test')), out: (l) => out.push(l) });
  return out;
}

const table = (r: Rows) => Array.from({ length: r.length }, (_, i) => COLUMNS.map((c) => r[c][i]!));
const csvRows = (path: string) =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').map(Number));

describe('candlewick history export / gaps', () => {
  const rig = venueRig();

  it('exports through a running host (it holds the file) and directly from the data dir once it stopped', async () => {
    const venues = await rig.startVenues();
    const minute = Math.floor(Date.now() / 60_000) * 60;
    const hole = { symbol: 'ETHUSDT', interval: 60, from: minute - 20 * 60, to: minute - 18 * 60, times: Infinity };
    venues.binance.klineHoles.push(hole);
    const t = await rig.startHost();
    const c = await t.connect();
    for (const fqme of [BTC, ETH]) await c.call('bars.subscribe', { fqme, timeframe: 60 });
    await settled(venues.binance.spot.httpLog, 400);
    await until(async () => (await c.call('history.gaps', { fqme: ETH })).length > 0, 'the ETH gap to be recorded');
    const out = mkdtempSync(join(tmpdir(), 'cw-hcli-'));
    const dataDir = t.dataDir;

    // The host's datad holds the file: the CLI goes through the API, and the file the host wrote moves here.
    const [viaHost, gapsViaHost] = await Promise.all([
      cli(['history', 'export', BTC, '--format', 'csv', '--out', join(out, 'host.csv'), '--data-dir', dataDir, '--url', t.server.url]),
      cli(['history', 'gaps', ETH, '--data-dir', dataDir, '--url', t.server.url]),
    ]);
    expect(viaHost.stderr).toBe('');
    expect(viaHost.code).toBe(0);
    const n = Number(/^(\d+) 60 s bars of btcusdt\.spot\.binance -> /.exec(viaHost.stdout)?.[1]);
    expect(n).toBeGreaterThanOrEqual(59);
    expect(csvRows(join(out, 'host.csv'))).toHaveLength(n);
    expect(readdirSync(join(dataDir, 'exports'))).toEqual([]);
    expect(gapsViaHost.code).toBe(0);
    const iso = (s: number) => new Date(s * 1000).toISOString().replace('.000Z', 'Z');
    expect(gapsViaHost.stdout).toMatch(new RegExp(`^ethusdt\\.spot\\.binance\\s+60s\\s+${iso(hole.from)}\\s+${iso(hole.to)}\\s+2\\s+\\d+\\s+the venue has no bars`, 'm'));

    await rig.stopHost();

    // No host: the CLI opens the file read-only itself. Rows equal the stored bars, in both formats.
    const store = await HistoryStore.open(join(dataDir, 'history', 'binance.duckdb'), { readOnly: true });
    const stored = table(await store.readRange(BTC, 60, -Infinity, Infinity));
    await store.close();
    const args = ['--data-dir', dataDir];
    expect(await direct(['export', BTC, '--format', 'csv', '--out', join(out, 'd.csv'), ...args])).toEqual([`${stored.length} 60 s bars of ${BTC} -> ${join(out, 'd.csv')}`]);
    expect(csvRows(join(out, 'd.csv'))).toEqual(stored);
    await direct(['export', BTC, '--out', join(out, 'd.parquet'), ...args]);
    const duck = await DuckDBInstance.create(':memory:');
    const conn = await duck.connect();
    const parquet = (await conn.runAndReadAll(`SELECT time::DOUBLE, open, high, low, close, volume FROM read_parquet('${join(out, 'd.parquet')}')`)).getRows();
    conn.closeSync();
    duck.closeSync();
    expect(parquet).toEqual(stored);
    expect((await direct(['gaps', ETH, ...args]))[0]).toMatch(/^FQME\s+TF\s+FROM\s+TO\s+BARS\s+TRIES\s+REASON/);
    expect(await direct(['gaps', BTC, ...args])).toEqual([`no recorded gaps in the stored history of ${BTC}`]);

    // The real command, no host: direct too; and its errors.
    const [csv, unknown, usage] = await Promise.all([
      cli(['history', 'export', BTC, '--format', 'csv', '--out', join(out, 'p.csv'), ...args]),
      cli(['history', 'export', 'solusdt.spot.binance', ...args]),
      cli(['history', 'export', BTC, '--format', 'xlsx', ...args]),
    ]);
    expect(csv.code).toBe(0);
    expect(csvRows(join(out, 'p.csv'))).toEqual(stored);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no stored 60 s history for solusdt\.spot\.binance .*stored: .*btcusdt\.spot\.binance 60 s/);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--format must be one of parquet, csv/);
    expect(existsSync(join(out, 'xlsx'))).toBe(false);
  }, 30_000);
});

// `npm run bench`: runs each benchmark in its own Node process (under tsx) and passes their JSON lines through
// to stdout, one object per figure; progress and diagnostics go to stderr. Figures are printed, never asserted:
// the exit code is non-zero only when a benchmark crashed. `npm run bench -- chart memory` runs a subset
// (names as in BENCHES). Expects a build (`node scripts/build.mjs`, which the npm script runs first).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BENCHES = [
  { name: 'ingest', file: 'datad-ingest.ts', what: 'datad.ingest.*: trades/s through parse + normalize + OHLC update in one worker' },
  { name: 'binance-ingest', file: 'binance-ingest.ts', what: 'binance.ingest: Binance stream frames through the backend frame handler -> Feed.ingest in one worker' },
  { name: 'kraken-ingest', file: 'kraken-ingest.ts', what: 'kraken.ingest: Kraken WS v2 frames through the stream frame handler -> Feed.ingest in one worker' },
  { name: 'bybit-ingest', file: 'bybit-ingest.ts', what: 'bybit.ingest: Bybit publicTrade frames through the frame parser -> Feed.ingest in one worker' },
  { name: 'history', file: 'host-history.ts', what: 'sim.history, memory.host: 1M 1 m bars into a host buffer' },
  { name: 'history-store', file: 'history-store.ts', what: 'history.*: DuckDB history store: write 1M bars, read a year, first paint of a 1M-bar chart from storage' },
  { name: 'chart', file: 'chart-1m.ts', what: 'chart.1m_bars.*: first paint and frame times, windowed vs naive' },
  { name: 'memory', file: 'memory.ts', what: 'memory.renderer, memory.bytes_per_bar' },
  { name: 'tick', file: 'tick-to-chart.ts', what: 'tick_to_chart*: datad write -> chart at 20k trades/s' },
  { name: 'dark-trigger', file: 'dark-trigger.ts', what: 'ems.dark_trigger_check: per-tick dark trigger check with 10,000 resting triggers' },
  { name: 'paper', file: 'paper.ts', what: 'paper.submit_to_fill: marketable order -> BrokerdFill in paperd, in process' },
  { name: 'journal', file: 'journal.ts', what: 'ems.journal_append*: intent journal append -> fdatasync latency, 1 and 8 appenders' },
  { name: 'reconnect', file: 'reconnect.ts', what: 'venue.reconnect_to_live_bar: fake Binance connection dropped -> first new trade in the feed buffers' },
  { name: 'ems', file: 'ems.ts', what: 'ems.paper_submit_to_fill, ems.throughput: emsd in a host, paper submit -> fill Status, orders/s with 8 submitters' },
  { name: 'indicators', file: 'indicators.ts', what: 'indicators.*: Volume, VWAP, SMA, EMA, RSI kept current on a 1M-bar series: per tick, worker round trip, batch' },
];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !BENCHES.some((b) => b.name === w));
if (unknown.length) {
  console.error(`unknown benchmark(s) ${unknown.join(', ')}; known: ${BENCHES.map((b) => b.name).join(', ')}`);
  process.exit(2);
}
const selected = wanted.length ? BENCHES.filter((b) => wanted.includes(b.name)) : BENCHES;

const info = (line) => process.stderr.write(`[bench] ${line}\n`);
const quiet = (cmd, args) => {
  try {
    return execFileSync(cmd, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
};

const env = {
  bench: 'env',
  unit: 'info',
  value: null,
  node: process.version,
  chromium: quiet(process.env.CHROMIUM ?? '/usr/bin/chromium', ['--version']),
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? null,
  loadavg: loadavg().map((l) => Math.round(l * 100) / 100),
  commit: quiet('git', ['rev-parse', '--short', 'HEAD']),
  date: new Date().toISOString(),
};
process.stdout.write(JSON.stringify(env) + '\n');
if (env.loadavg[0] > env.cpus * 0.5) info(`note: load average ${env.loadavg[0]} on ${env.cpus} CPUs at start: figures will be noisy`);

const tmp = mkdtempSync(join(tmpdir(), 'candlewick-bench-'));
const failed = [];
const started = Date.now();
try {
  for (const b of selected) {
    info(`${b.name}: ${b.what}`);
    const t0 = Date.now();
    const code = await new Promise((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench', b.file)], {
        cwd: root,
        env: { ...process.env, BENCH_TMP: tmp },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      // Only JSON objects are figures; anything else a benchmark prints goes to stderr.
      createInterface({ input: child.stdout }).on('line', (line) => {
        const t = line.trim();
        if (!t) return;
        let ok = false;
        try {
          ok = typeof JSON.parse(t) === 'object';
        } catch {}
        if (ok) process.stdout.write(t + '\n');
        else process.stderr.write(`[${b.name}] ${line}\n`);
      });
      child.on('exit', (c, sig) => resolve(sig ? 128 : (c ?? 1)));
    });
    info(`${b.name}: ${code === 0 ? 'done' : `FAILED (exit ${code})`} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    if (code !== 0) failed.push(b.name);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
info(`all benchmarks: ${((Date.now() - started) / 1000).toFixed(1)} s${failed.length ? `; failed: ${failed.join(', ')}` : ''}`);
process.exit(failed.length ? 1 : 0);

/**
 * A real `candlewick serve` host for one e2e test: `node dist/cli.js serve` on a free port with a throwaway data
 * directory (small history, so backfill is quick) and the test hooks on (`debug.crash`). The tests drive the same
 * build a user runs; nothing is mocked.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './paths.js';

/** Small history: 14 days of 1 m bars and one hour of 1 s bars, instead of the default two years. */
export const FAST_CONFIG_TOML = '[history]\ndays60 = 14\nhours1 = 1\n';
export const E2E_SEED = 7;
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

/**
 * A fresh data directory with the fast config; the caller removes it. An `extraConfig` with its own `[history]` table
 * (a spec that wants a deep history) replaces the fast one (TOML forbids defining a table twice).
 */
export function makeDataDir(extraConfig = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'candlewick-e2e-'));
  const base = /^\[history\]\s*$/m.test(extraConfig) ? '' : FAST_CONFIG_TOML;
  writeFileSync(join(dir, 'config.toml'), base + extraConfig);
  return dir;
}

export interface ServeHost {
  /** http://127.0.0.1:<port>/ */
  readonly url: string;
  readonly dataDir: string;
  /** Everything the host printed so far, over restarts (attached to a failing test). */
  log(): string;
  /** Stops the host process (SIGTERM), keeping its data directory: the UI sees the connection drop. */
  kill(): Promise<void>;
  /** Starts the host again on the same port and data directory, after kill(). */
  restart(): Promise<void>;
  /** Stops the host and removes its data directory. */
  stop(): Promise<void>;
}

/** `extraConfig`: TOML appended to the fast config (e.g. venue URLs of local fake exchanges). */
export async function startServeHost(extraConfig = ''): Promise<ServeHost> {
  const cli = join(ROOT, 'dist', 'cli.js');
  if (!existsSync(cli) || !existsSync(join(ROOT, 'dist', 'renderer', 'index.html'))) {
    throw new Error(`no build at ${join(ROOT, 'dist')}: run \`npm run build\` (or \`npm run test:e2e\`, which builds first)`);
  }
  const dataDir = makeDataDir(extraConfig);
  let output = '';
  let child: ChildProcess | null = null;

  const launch = async (port: number): Promise<string> => {
    const args = [cli, 'serve', '--port', String(port), '--data-dir', dataDir, '--seed', String(E2E_SEED), '--test-hooks'];
    const proc = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    const from = output.length;
    proc.stdout.setEncoding('utf8').on('data', (s: string) => (output += s));
    proc.stderr.setEncoding('utf8').on('data', (s: string) => (output += s));
    try {
      return await waitForUrl(proc, () => output.slice(from));
    } catch (e) {
      await kill(proc);
      throw e;
    }
  };

  let url: string;
  try {
    url = await launch(0);
  } catch (e) {
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  const port = Number(new URL(url).port);
  return {
    url,
    dataDir,
    log: () => output,
    kill: async () => {
      if (child) await kill(child);
    },
    restart: async () => {
      if (child) await kill(child);
      output += '\n--- restart ---\n';
      await launch(port);
    },
    stop: async () => {
      if (child) await kill(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function waitForUrl(child: ChildProcess, output: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`host did not start within ${START_TIMEOUT_MS} ms:\n${output()}`)), START_TIMEOUT_MS);
    const onData = () => {
      const m = /candlewick serving (http:\/\/\S+)/.exec(output());
      if (m) done(null, m[1]!.endsWith('/') ? m[1]! : `${m[1]}/`);
    };
    const onExit = (code: number | null, signal: string | null) =>
      done(new Error(`host exited before serving (code ${code}, signal ${signal}):\n${output()}`));
    function done(err: Error | null, url?: string) {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(url!);
    }
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
    onData();
  });
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

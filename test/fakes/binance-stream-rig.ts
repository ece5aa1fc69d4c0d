import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { LinkEvent } from '../../core/brokers/backend.js';
import { BinanceBackend, type BinanceBackendOptions } from '../../core/brokers/binance/backend.js';
import type { Tick } from '../../core/protocol/types.js';
import { FakeBinance, fmtSize, type FakeBinanceOptions, type FakeKind } from './binance-server.js';

/** A fake Binance and a BinanceBackend on it, and what the stream tests check the delivered trades with. */
export const until = async (cond: () => boolean, ms = 5_000, what = 'condition') => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`${what} not met in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

export interface Run {
  fake: FakeBinance;
  backend: BinanceBackend;
  logs: string[];
}

let run: Run | null = null;

/** For afterEach: closes what start() opened. */
export async function stopRun(): Promise<void> {
  run?.backend.close();
  await run?.fake.close();
  run = null;
}

export async function start(fo: FakeBinanceOptions = {}, config: Record<string, number> = {}, bo: BinanceBackendOptions = {}): Promise<Run> {
  const fake = await FakeBinance.start({ rate: 25, historyMs: 60_000, ...fo });
  const logs: string[] = [];
  const backend = new BinanceBackend({ seed: 1, rate: 1, cacheDir: mkdtempSync(join(tmpdir(), 'cw-bns-')), config: fake.config(config), log: (l) => logs.push(l) }, bo);
  run = { fake, backend, logs };
  return run;
}

/** Ticks and link events of one streamQuotes subscription. */
export function listen(backend: BinanceBackend, fqme: string) {
  const trades: Tick[] = [];
  const quotes: Tick[] = [];
  const links: LinkEvent[] = [];
  const stop = backend.streamQuotes(
    fqme,
    Date.now(),
    (_f, ticks) => {
      for (const t of ticks) (t.type === 'trade' ? trades : quotes).push(t);
    },
    (e) => links.push(e),
  );
  return { trades, quotes, links, stop };
}

/**
 * Where the delivered trades sit in the venue's tape: runs of consecutive tape trades. One run = exactly the
 * tape's trades from the first delivered on; a run boundary = trades the venue printed while we were away.
 */
export function runsInTape(fake: FakeBinance, kind: FakeKind, symbol: string, got: Tick[]): { runs: number[][]; unique: boolean } {
  const tape = fake.tape(kind, symbol);
  const key = (time: number, price: number, size: number) => `${time}|${tape.fmt(price)}|${fmtSize(tape, size)}`;
  const at = new Map(tape.trades.map((t, i) => [key(t.time, t.price, t.size), i]));
  const idx = got.map((t) => at.get(key(t.time, t.price, t.size)) ?? -1);
  expect(idx.includes(-1), 'every delivered trade is a tape trade').toBe(false);
  const runs: number[][] = [];
  for (const i of idx) {
    const last = runs[runs.length - 1];
    if (last && i === last[last.length - 1]! + 1) last.push(i);
    else runs.push([i]);
  }
  return { runs, unique: new Set(idx).size === idx.length };
}

/** Every delivered trade is the next tape trade: no gap, no duplicate. */
export function expectExactlyTape(fake: FakeBinance, kind: FakeKind, symbol: string, got: Tick[]): void {
  const { runs, unique } = runsInTape(fake, kind, symbol, got);
  expect(unique).toBe(true);
  expect(runs.length).toBe(1);
}

/** Waits for `k` more trades than there are now. */
export async function moreTrades(s: { trades: Tick[] }, k: number): Promise<void> {
  const n = s.trades.length;
  await until(() => s.trades.length >= n + k, 5_000, `${k} more trades`);
}

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Journal } from './journal.js';
import { replayAll } from './replay.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const WRITER = fileURLToPath(new URL('./test-workers/crash-writer.ts', import.meta.url));
const ROUNDS = 8;
const CLIENTS = 4;

interface Round {
  ready: string;
  lines: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Starts the writer on `dir` and kill -9's it `killAfterMs` after it reports ready (its replay done). */
function crashRound(dir: string, killAfterMs: number): Promise<Round> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir, String(CLIENTS), '16384', '250'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const round: Round = { ready: '', lines: [], code: null, signal: null, stderr: '' };
    const giveUp = setTimeout(() => child.kill('SIGKILL'), 8000);
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (line.startsWith('ready')) {
          round.ready = line;
          setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        } else round.lines.push(line);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (round.stderr += chunk));
    // 'close', not 'exit': the pipe may still hold lines written just before the kill. A partial last line is dropped.
    child.on('close', (code, signal) => {
      clearTimeout(giveUp);
      resolve({ ...round, code, signal });
    });
  });
}

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

describe('journal crash test', () => {
  it('loses no acknowledged order or fill and doubles none across repeated kill -9', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cw-crash-'));
    roots.push(root);
    const dir = join(root, 'journal');
    const ackedOrders = new Set<string>();
    const ackedFills = new Set<string>();
    const delays: number[] = [];
    const readies: string[] = [];

    for (let i = 0; i < ROUNDS; i++) {
      const delay = 100 + Math.floor(Math.random() * 200);
      delays.push(delay);
      const r = await crashRound(dir, delay);
      readies.push(r.ready);
      const context = `round ${i} (kill delays ${delays.join(', ')} ms): ${r.ready}\n${r.stderr}`;
      expect(r.signal, context).toBe('SIGKILL');
      expect(r.ready, context).toMatch(/^ready /);
      for (const line of r.lines) {
        const [kind, oid, tid] = line.split(' ');
        if (kind === 'A') ackedOrders.add(oid!);
        else if (kind === 'F') ackedFills.add(`${oid}/${tid}`);
        else throw new Error(`unexpected writer output ${JSON.stringify(line)}; ${context}`);
      }
    }

    const { entries, report } = await replayAll(dir);
    const seqs = entries.map((e) => e.seq);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]!);

    // How many times each order and each fill is in the journal: the snapshot (if compacted) counts as one.
    const orders = new Map<string, number>();
    const fills = new Map<string, number>();
    const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
    for (const e of entries) {
      if (e.type === 'snapshot') {
        expect(e).toBe(entries[0]);
        for (const s of e.index.oids) {
          if (s.intent) bump(orders, s.oid);
          for (const t of s.tids) bump(fills, `${s.oid}/${t}`);
        }
      } else if (e.type === 'order') bump(orders, e.order.oid);
      else if (e.type === 'fill') bump(fills, `${e.oid}/${e.fill.tid}`);
    }

    for (const oid of ackedOrders) expect(orders.get(oid), `acknowledged order ${oid}`).toBe(1);
    for (const f of ackedFills) expect(fills.get(f), `acknowledged fill ${f}`).toBe(1);
    for (const [oid, n] of orders) expect(n, `order ${oid} doubled`).toBe(1);
    for (const [f, n] of fills) expect(n, `fill ${f} doubled`).toBe(1);
    // Each client waits for one order's acknowledgement before the next: what a crash loses is at most the tail
    // that was never acknowledged, so every client's orders in the journal run from 0 without a hole.
    for (let c = 0; c < CLIENTS; c++) {
      const ids = [...orders.keys()].filter((o) => o.startsWith(`c${c}-`)).map((o) => Number(o.split('-')[1]));
      expect(ids.sort((a, b) => a - b)).toEqual(ids.map((_, i) => i));
    }
    expect(ackedOrders.size).toBeGreaterThan(200);

    // And the journal opens for business again, with every acknowledged order known to its idempotency index.
    const j = await Journal.open(dir);
    for (const oid of ackedOrders) expect(j.has(oid)).toBe(true);
    await j.close();
    console.log(
      `crash test: ${ROUNDS} kills (${delays.join(', ')} ms), ${ackedOrders.size} orders and ${ackedFills.size} fills acknowledged, ` +
        `${orders.size} orders and ${fills.size} fills journaled, ${entries.length} records replayed (${report.segments} segments, ` +
        `snapshot: ${report.snapshotSegment ?? 'none'}, torn tail: ${report.tornTail?.bytes ?? 0} bytes)\n${readies.join('\n')}`,
    );
  }, 30_000);
});

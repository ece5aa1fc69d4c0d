// The host crash test (issue 3, "Tests that must exist"): the real host runs as a child process
// (host-child.ts), a WebSocket client drives hundreds of order lifecycles through emsd, and the child is kill -9'd
// at a random moment of each round, then restarted on the same data directory. After every restart:
//  - every acknowledged dark order and alert that was not canceled is back in orders.active as dark_open, at the
//    price it was last acknowledged at; every acknowledged resting paper limit not canceled is working again;
//  - nothing whose cancel was acknowledged comes back, no oid is listed twice;
//  - every fill a client was shown is in the ledger file, no tid is in it twice, and the ledger adds up to the
//    positions emsd reports; no order has more fills than its size;
//  - re-submitting acknowledged oids with the same content creates nothing (no new order, no new fill).
// "Acknowledged" is what the client was told: orders.submit resolved with a non-error Status, orders.cancel
// resolved with a non-error Status, a `fill` event (or a Status with resp 'fill') received. A request in flight
// at the kill is in doubt: either outcome is allowed, and the test settles it from what the restarted host reports.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { connectWs } from '../../core/cli/node-client.js';
import type { ApiClient } from '../../core/protocol/client.js';
import type { Order, Status } from '../../core/protocol/orders.js';
import type { FillInfo } from '../../core/protocol/messages.js';
import { addDec, compareDec, mulDec, quantize } from '../../core/protocol/decimal.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./host-child.ts', import.meta.url));
const ROUNDS = 6;
const WORKERS = 6;
const MARKETS = [
  { fqme: 'xbtusd.spot.sim', tick: '0.5', sizes: ['0.001', '0.002', '0.005'] },
  { fqme: 'ethusd.spot.sim', tick: '0.01', sizes: ['0.01', '0.02', '0.05'] },
] as const;
type Market = (typeof MARKETS)[number];
type Kind = 'market' | 'rest' | 'dark' | 'alert';

/** One oid as the client knows it. */
interface Tracked {
  oid: string;
  kind: Kind;
  /** The content emsd last acknowledged; null while no submit of this oid was acknowledged. */
  acked: Order | null;
  /** Contents sent and not answered before a kill: any of them may be what emsd holds. */
  doubt: Order[];
  cancel: 'no' | 'doubt' | 'acked';
  /** Sum of the fills received for it. */
  filled: string;
  /** The largest size ever sent for it (acknowledged or not): more fills than this would be a double. */
  maxSize: string;
  /** Not active after a restart (finished, or never journaled): it must never come back. */
  gone: boolean;
}

class Killed extends Error {}

/** mulberry32: a seeded stream, so a failing run can be told apart (the seed is in every failure message). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Child {
  proc: ChildProcess;
  url: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr: () => string;
}

function startChild(dataDir: string): Promise<Child> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    let out = '';
    proc.stderr!.setEncoding('utf8').on('data', (s: string) => {
      err = (err + s).slice(-20_000);
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => proc.on('close', (code, signal) => r({ code, signal })));
    const giveUp = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`host child did not print its URL within 30 s; stderr:\n${err}`));
    }, 30_000);
    void exited.then(({ code, signal }) => {
      clearTimeout(giveUp);
      reject(new Error(`host child exited (${code ?? signal}) before printing its URL; stderr:\n${err}`));
    });
    proc.stdout!.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      const m = /^url (\S+)$/m.exec(out);
      if (m) {
        clearTimeout(giveUp);
        resolve({ proc, url: m[1]!, exited, stderr: () => err });
      }
    });
  });
}

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

describe('host crash test', () => {
  it('loses no acknowledged order, alert or fill and doubles none across repeated kill -9 of the host', async () => {
    const seed = Number(process.env.CW_CRASH_SEED ?? Date.now() % 2 ** 31);
    const rand = rng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const dataDir = mkdtempSync(join(tmpdir(), 'cw-host-crash-'));
    roots.push(dataDir);
    writeFileSync(join(dataDir, 'config.toml'), '[history]\ndays60 = 2\nhours1 = 1\n[ems]\ncompact_bytes = 65536\n');

    const tracked = new Map<string, Tracked>();
    const fills = new Map<string, FillInfo>();
    const problems: string[] = [];
    const log: string[] = [];
    let oidSeq = 0;
    let round = 0;
    const problem = (what: string) => problems.push(`round ${round}: ${what}`);
    const context = () => `seed ${seed}\n${log.join('\n')}\n${problems.slice(0, 40).join('\n')}`;

    const onFill = (f: FillInfo) => {
      if (fills.has(f.tid)) return;
      fills.set(f.tid, f);
      const t = tracked.get(f.oid);
      if (t) t.filled = addDec(t.filled, f.size);
    };

    const contentIs = (a: Order, b: Order) =>
      a.action === b.action && a.execMode === b.execMode && a.fqme === b.fqme && a.account === b.account && compareDec(a.price, b.price) === 0 && compareDec(a.size, b.size) === 0;

    /** What the restarted host reports, checked against what the client was told; then the doubts are settled. */
    async function checkRecovered(c: ApiClient): Promise<void> {
      const active = await c.call('orders.active', {});
      const byOid = new Map<string, Status>();
      for (const s of active) {
        if (byOid.has(s.oid)) problem(`oid ${s.oid} is listed twice in orders.active`);
        byOid.set(s.oid, s);
      }
      for (const s of active) {
        const t = tracked.get(s.oid);
        const req = s.req as Order;
        if (!t) {
          problem(`orders.active lists ${s.oid}, which no client ever submitted`);
          continue;
        }
        if (t.cancel === 'acked') problem(`${t.kind} ${s.oid} came back although its cancel was acknowledged (${s.resp})`);
        if (t.acked === null && t.doubt.length === 0) problem(`${t.kind} ${s.oid} is active although its submit was refused`);
        if (t.gone) problem(`${t.kind} ${s.oid} was gone after an earlier restart and came back (${s.resp})`);
        // A marketable order may come back for what remained of it: its size can be smaller, never its price other.
        const allowed = [t.acked, ...t.doubt].filter((o): o is Order => o !== null);
        const ok = allowed.some((o) => (t.kind === 'market' ? compareDec(o.price, req.price) === 0 && compareDec(req.size, o.size) <= 0 : contentIs(o, req)));
        if (!ok) problem(`${t.kind} ${s.oid} came back as ${req.action} ${req.size} @ ${req.price}; acknowledged: ${JSON.stringify(allowed.map((o) => `${o.size} @ ${o.price}`))}`);
      }
      for (const t of tracked.values()) {
        const s = byOid.get(t.oid);
        const mustBeBack = !t.gone && t.acked !== null && t.cancel === 'no' && (t.kind === 'dark' || t.kind === 'alert' || (t.kind === 'rest' && compareDec(t.filled, '0') === 0));
        if (mustBeBack && !s) problem(`acknowledged ${t.kind} ${t.oid} (${t.acked!.action} ${t.acked!.size} @ ${t.acked!.price}) is not back after the restart`);
        if (mustBeBack && s) {
          const want = t.kind === 'rest' ? ['pending', 'open'] : ['dark_open'];
          if (!want.includes(s.resp)) problem(`acknowledged ${t.kind} ${t.oid} is back as ${s.resp}, not ${want.join('/')}`);
        }
        // Settle what was in doubt: the host's answer is the truth from now on.
        if (s) {
          const req = s.req as Order;
          // A re-placed marketable order reports what remained of it: keep the size the client asked for.
          t.acked = t.kind === 'market' ? ([t.acked, ...t.doubt].find((o) => o && compareDec(o.price, req.price) === 0) ?? req) : req;
          t.doubt = [];
          t.cancel = 'no';
        } else {
          if (t.cancel === 'doubt') t.cancel = 'acked';
          t.doubt = [];
          t.gone = true;
        }
      }
    }

    async function checkFills(c: ApiClient): Promise<void> {
      // The ledger and the positions: re-placed orders may still be filling, so compare once both hold still.
      // A fill is shown only after its ledger line is on disk: every fill shown before the file is read is in it.
      let last = '';
      const paperPositions = async () => (await c.call('positions.list', {})).filter((p) => p.broker === 'sim' && p.account === 'paper');
      for (let attempt = 0; ; attempt++) {
        const shown = [...fills.values()];
        const before = JSON.stringify(await paperPositions());
        const path = join(dataDir, 'ledgers', 'sim.paper.jsonl');
        const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
        const lines = text.split('\n');
        if (!text.endsWith('\n')) lines.pop(); // a line being written right now
        const tids = new Map<string, number>();
        const sum = new Map<string, string>();
        for (const line of lines) {
          if (!line.trim()) continue;
          const e = JSON.parse(line) as { tid: string; fqme: string; size: string };
          tids.set(e.tid, (tids.get(e.tid) ?? 0) + 1);
          sum.set(e.fqme, addDec(sum.get(e.fqme) ?? '0', e.size));
        }
        const positions = await paperPositions();
        const mismatch: string[] = JSON.stringify(positions) === before ? [] : ['positions changed while the ledger was read'];
        for (const m of MARKETS) {
          const pos = positions.find((p) => p.fqme === m.fqme)?.size ?? '0';
          const led = sum.get(m.fqme) ?? '0';
          if (compareDec(pos, led) !== 0) mismatch.push(`${m.fqme}: ledger sums to ${led}, positions.list says ${pos}`);
        }
        if (mismatch.length && attempt < 50) {
          await sleep(100);
          continue;
        }
        for (const m of mismatch) problem(m);
        for (const [tid, n] of tids) if (n > 1) problem(`tid ${tid} is in the ledger ${n} times`);
        for (const f of shown) if (!tids.has(f.tid)) problem(`fill ${f.tid} of ${f.oid} (${f.size} @ ${f.price}) was shown but is not in the ledger`);
        last = `${tids.size} ledger lines`;
        break;
      }
      for (const t of tracked.values()) {
        const size = t.maxSize;
        if (t.kind !== 'alert' && compareDec(t.filled, size) > 0) problem(`${t.kind} ${t.oid} has ${t.filled} filled, more than its size ${size}`);
      }
      log.push(`  ${last}, ${fills.size} fills shown`);
    }

    /** Retried submits of acknowledged oids, same content: nothing new may come of them. */
    async function checkRetries(c: ApiClient): Promise<void> {
      const candidates = [...tracked.values()].filter((t) => t.acked !== null && t.doubt.length === 0);
      const chosen = new Set<Tracked>();
      for (const kind of ['market', 'rest', 'dark', 'alert'] as const) {
        const ofKind = candidates.filter((t) => t.kind === kind);
        for (let i = 0; i < 4 && ofKind.length; i++) chosen.add(ofKind.splice(Math.floor(rand() * ofKind.length), 1)[0]!);
      }
      const before = new Map([...chosen].map((t) => [t.oid, t.filled]));
      for (const t of chosen) {
        const s = await c.call('orders.submit', { order: t.acked! });
        if (t.cancel === 'acked' && s.resp !== 'canceled' && s.resp !== 'error') problem(`retry of canceled ${t.kind} ${t.oid} answered ${s.resp}`);
      }
      await sleep(400);
      const active = await c.call('orders.active', {});
      const seen = new Set<string>();
      for (const s of active) {
        if (seen.has(s.oid)) problem(`oid ${s.oid} is listed twice in orders.active after retries`);
        seen.add(s.oid);
        const t = tracked.get(s.oid);
        if (t && chosen.has(t) && t.cancel === 'acked') problem(`retrying canceled ${t.kind} ${t.oid} revived it (${s.resp})`);
        if (t && chosen.has(t) && t.kind === 'market' && compareDec(before.get(t.oid)!, t.acked!.size) >= 0) problem(`retrying filled ${t.oid} placed it again (${s.resp})`);
      }
      for (const t of chosen) {
        if (compareDec(t.filled, t.acked!.size) > 0) problem(`retrying ${t.kind} ${t.oid} filled it again: ${before.get(t.oid)} -> ${t.filled} of ${t.acked!.size}`);
      }
    }

    async function lastPrices(c: ApiClient): Promise<Map<string, string>> {
      const last = new Map<string, number>();
      const off = c.on('quote', (q) => {
        for (const tk of q.ticks) if (tk.type === 'trade' || tk.type === 'last') last.set(q.fqme, tk.price);
      });
      for (const m of MARKETS) await c.call('quotes.subscribe', { fqme: m.fqme });
      for (let waited = 0; last.size < MARKETS.length; waited += 20) {
        if (waited > 20_000) throw new Error('no trades from the sim within 20 s');
        await sleep(20);
      }
      off();
      for (const m of MARKETS) await c.call('quotes.unsubscribe', { fqme: m.fqme });
      return new Map(MARKETS.map((m) => [m.fqme, String(last.get(m.fqme)!)]));
    }

    /** Drives lifecycles until `stop()` says the host is gone. */
    function traffic(c: ApiClient, px: Map<string, string>, stopped: () => boolean) {
      const resps = new Map<string, string[]>();
      c.on('status', (s) => {
        const seen = resps.get(s.oid);
        if (seen) seen.push(s.resp);
        if (s.resp === 'fill' && s.fill) {
          const req = s.req as Order;
          onFill({ oid: s.oid, fqme: req.fqme, account: req.account, action: req.action as 'buy' | 'sell', size: s.fill.size, price: s.fill.price, fee: s.fill.fee, tid: s.fill.tid, time: s.time });
        }
      });
      const stats = { lifecycles: 0, submits: 0, acked: 0, cancels: 0, modifies: 0 };
      const call = async <T>(p: Promise<T>): Promise<T> => {
        try {
          return await p;
        } catch (e) {
          if (stopped() || c.isClosed) throw new Killed();
          throw e;
        }
      };
      const submit = async (t: Tracked, o: Order): Promise<Status> => {
        t.doubt.push(o);
        if (compareDec(o.size, t.maxSize) > 0) t.maxSize = o.size;
        stats.submits++;
        const s = await call(c.call('orders.submit', { order: o }));
        t.doubt = t.doubt.filter((x) => x !== o);
        if (s.resp !== 'error') {
          t.acked = o;
          stats.acked++;
        }
        return s;
      };
      const cancel = async (t: Tracked): Promise<void> => {
        t.cancel = 'doubt';
        stats.cancels++;
        const s = await call(c.call('orders.cancel', { cancel: { action: 'cancel', oid: t.oid, fqme: t.acked!.fqme } }));
        t.cancel = s.resp === 'error' ? 'no' : 'acked';
      };
      const price = (m: Market, factor: string) => quantize(mulDec(px.get(m.fqme)!, factor), m.tick);
      const waitFor = async (oid: string, resp: string, ms: number) => {
        for (let w = 0; w < ms && !stopped(); w += 10) {
          if (resps.get(oid)?.includes(resp)) return true;
          await sleep(10);
        }
        return false;
      };

      async function lifecycle(): Promise<void> {
        const m = pick(MARKETS);
        const r = rand();
        const kind: Kind = r < 0.35 ? 'market' : r < 0.6 ? 'rest' : r < 0.8 ? 'dark' : 'alert';
        const buy = rand() < 0.5;
        const oid = `crash-${seed}-${++oidSeq}`;
        const t: Tracked = { oid, kind, acked: null, doubt: [], cancel: 'no', filled: '0', maxSize: '0', gone: false };
        tracked.set(oid, t);
        resps.set(oid, []);
        const base = { oid, fqme: m.fqme, account: 'paper', size: pick(m.sizes) };
        stats.lifecycles++;
        if (kind === 'market') {
          await submit(t, { ...base, action: buy ? 'buy' : 'sell', execMode: 'paper', price: price(m, buy ? '1.02' : '0.98') });
          return;
        }
        if (kind === 'rest') {
          const o: Order = { ...base, action: buy ? 'buy' : 'sell', execMode: 'paper', price: price(m, buy ? '0.9' : '1.1') };
          if ((await submit(t, o)).resp === 'error') return;
          // Half the modifies wait for the venue's open; the others race the ack (and may be refused for it).
          if (rand() < 0.5) {
            if (rand() < 0.5) await waitFor(oid, 'open', 1_000);
            stats.modifies++;
            await submit(t, { ...o, price: price(m, buy ? '0.88' : '1.12') });
          }
          if (rand() < 0.6) await cancel(t);
          return;
        }
        const o: Order =
          kind === 'dark'
            ? { ...base, action: buy ? 'buy' : 'sell', execMode: 'dark', price: price(m, buy ? '0.5' : '2') }
            : { ...base, action: 'alert', execMode: 'dark', size: '0', price: price(m, buy ? '0.5' : '2') };
        if ((await submit(t, o)).resp === 'error') return;
        if (rand() < 0.4) {
          stats.modifies++;
          await submit(t, { ...o, price: price(m, buy ? '0.45' : '2.2') });
        }
        if (rand() < 0.4) await cancel(t);
      }

      const workers = Array.from({ length: WORKERS }, async () => {
        while (!stopped()) {
          try {
            await lifecycle();
          } catch (e) {
            if (e instanceof Killed) return;
            throw e;
          }
          await sleep(Math.floor(rand() * 15));
        }
      });
      return { done: Promise.all(workers), stats };
    }

    let totals = { lifecycles: 0, submits: 0, acked: 0, cancels: 0, modifies: 0 };
    for (round = 0; round <= ROUNDS; round++) {
      const child = await startChild(dataDir);
      try {
        const c = await connectWs(child.url, 20_000);
        c.on('fill', onFill);
        if (round > 0) {
          await checkRecovered(c);
          await checkFills(c);
          await checkRetries(c);
          await checkFills(c);
        }
        if (round === ROUNDS) {
          c.close();
          child.proc.kill('SIGTERM');
          const end = await child.exited;
          expect(end.code, `clean stop; ${child.stderr()}`).toBe(0);
          break;
        }
        const px = await lastPrices(c);
        let stopped = false;
        const killAfter = 500 + Math.floor(rand() * 1000);
        const run = traffic(c, px, () => stopped);
        await sleep(killAfter);
        stopped = true;
        child.proc.kill('SIGKILL');
        const end = await child.exited;
        await run.done;
        c.close();
        if (end.signal !== 'SIGKILL') problem(`host child ended with ${end.code ?? end.signal}, not by the kill: ${child.stderr()}`);
        const s = run.stats;
        totals = { lifecycles: totals.lifecycles + s.lifecycles, submits: totals.submits + s.submits, acked: totals.acked + s.acked, cancels: totals.cancels + s.cancels, modifies: totals.modifies + s.modifies };
        log.push(`round ${round}: killed after ${killAfter} ms: ${s.lifecycles} lifecycles, ${s.submits} submits (${s.acked} acked), ${s.modifies} modifies, ${s.cancels} cancels`);
      } catch (e) {
        child.proc.kill('SIGKILL');
        throw new Error(`${(e as Error).message}\n${context()}\nhost stderr:\n${child.stderr()}`, { cause: e });
      }
    }

    const kinds = (k: Kind) => [...tracked.values()].filter((t) => t.kind === k && t.acked !== null).length;
    log.push(
      `totals: ${totals.lifecycles} lifecycles, ${totals.acked} acknowledged submits, ${fills.size} fills; acknowledged ` +
        `market ${kinds('market')}, rest ${kinds('rest')}, dark ${kinds('dark')}, alert ${kinds('alert')}`,
    );
    console.log(`host crash test, ${context()}`);
    expect(problems, context()).toEqual([]);
    expect(totals.acked).toBeGreaterThan(30);
    expect(fills.size).toBeGreaterThan(0);
  }, 120_000);
});

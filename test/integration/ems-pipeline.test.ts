// emsd pipelines a paper order through one journal group commit (emsd.ts, outbox.ts): it hands the order to the
// in-process paper engine while the intent is being written, and lets nothing out (the submit's answer, statuses,
// fills) before what it depends on is durable. A real host with the sim feed and a zero-latency paper engine:
//  - every fill and status a client is sent was durable when it was sent, and so was each answered intent;
//  - a marketable paper order costs one sync from submit to its fill being shown (intent, statuses, fill together);
//  - once the journal fails, nothing more is shown, although the paper engine may have filled the order.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Host } from '../../core/host/host.js';
import type { FillInfo } from '../../core/protocol/messages.js';
import type { Order, Status } from '../../core/protocol/orders.js';
import { attachTextClient, lastTrade } from '../../core/host/in-process-client.test-util.js';
import { addDec, compareDec, quantize } from '../../core/protocol/decimal.js';
import { replayAll, type Journal } from '../../core/clearing/journal/index.js';
import { until } from './harness.js';

const FQME = 'xbtusd.spot.sim';
let dir: string;
let host: Host;
let last: () => number = () => 0;
/** What the client was sent, with the journal's durable seq at that moment. */
const sent: { event: string; data: unknown; durable: number }[] = [];

const journalOf = (h: Host) => (h.ems as unknown as { journal: Journal }).journal;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cw-ems-pipeline-'));
  writeFileSync(join(dir, 'config.toml'), '[history]\ndays60 = 1\nhours1 = 1\n');
  host = await Host.start({ dataDir: dir, seed: 3, simRate: 200, paperLatency: { ackMs: 0, openMs: 0, cancelMs: 0 }, log: () => {} });
  attachTextClient(
    host,
    'test',
    (text) => {
      const m = JSON.parse(text) as { event?: string; data?: unknown };
      if (m.event === 'status' || m.event === 'fill') sent.push({ event: m.event, data: m.data, durable: journalOf(host).durableSeq });
    },
    FQME,
  );
  last = await lastTrade(host, FQME);
});

afterAll(async () => {
  await host?.stop().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
const marketable = (): Order => {
  const buy = ++n % 2 === 1;
  return { action: buy ? 'buy' : 'sell', execMode: 'paper', oid: `pipe-${n}`, fqme: FQME, account: 'paper', price: quantize((last() * (buy ? 1.02 : 0.98)).toFixed(1), '0.5'), size: '0.0002' };
};

describe('emsd pipeline', () => {
  it('shows nothing before it is durable, and fills a marketable paper order within one group commit', async () => {
    const journal = journalOf(host);
    const syncsToFill: number[] = [];
    const answeredAt = new Map<string, number>();
    for (let i = 0; i < 31; i++) {
      const o = marketable();
      const syncs0 = journal.stats.syncs;
      const answer = host.ems.submit(o).then((s) => {
        answeredAt.set(o.oid, journal.durableSeq);
        return s;
      });
      await until(() => sent.some((x) => x.event === 'fill' && (x.data as FillInfo).oid === o.oid), `a fill of ${o.oid}`, 5_000);
      // The first order starts paperd.sim, which has no quote yet: it fills on the next tick (a later commit).
      if (i > 0) syncsToFill.push(journal.stats.syncs - syncs0);
      expect((await answer).resp).toBe('pending');
      await until(() => sent.some((x) => x.event === 'status' && (x.data as Status).oid === o.oid && (x.data as Status).resp === 'closed'), `${o.oid} to close`, 5_000);
    }
    // Intent, statuses and fill share one write + sync: the paper engine filled while the intent was being written.
    expect(syncsToFill).toEqual(syncsToFill.map(() => 1));

    await journal.whenDurable(journal.lastSeq);
    const { entries } = await replayAll(journal.dir, { repair: false });
    const intentSeq = new Map(entries.flatMap((e) => (e.type === 'order' ? [[e.order.oid, e.seq] as const] : [])));
    const fillSeq = new Map(entries.flatMap((e) => (e.type === 'fill' ? [[e.fill.tid, e.seq] as const] : [])));
    let fills = 0;
    for (const x of sent) {
      if (x.event === 'fill') {
        const f = x.data as FillInfo;
        expect(fillSeq.get(f.tid), `fill ${f.tid} journaled`).toBeDefined();
        expect(fillSeq.get(f.tid)!, `fill ${f.tid} durable before it was shown`).toBeLessThanOrEqual(x.durable);
        fills++;
      } else {
        const s = x.data as Status;
        if (!s.oid.startsWith('pipe-')) continue;
        expect(intentSeq.get(s.oid)!, `the intent of ${s.oid} durable before its ${s.resp}`).toBeLessThanOrEqual(x.durable);
        if (s.resp === 'fill') expect(fillSeq.get(s.fill!.tid)!).toBeLessThanOrEqual(x.durable);
      }
    }
    expect(fills).toBeGreaterThanOrEqual(30);
    for (const [oid, durable] of answeredAt) expect(intentSeq.get(oid)!, `${oid} answered once durable`).toBeLessThanOrEqual(durable);
    // The ledger has every fill (it follows the journal, without a sync of its own).
    const shown = sent.filter((x) => x.event === 'fill').map((x) => x.data as FillInfo);
    const net = shown.reduce((n, f) => addDec(n, f.action === 'buy' ? f.size : `-${f.size}`), '0');
    const positions = await host.ems.positions();
    expect(compareDec(positions.find((p) => p.fqme === FQME && p.account === 'paper')?.size ?? '0', net)).toBe(0);
  });

  it('shows nothing more once the journal fails', async () => {
    const journal = journalOf(host);
    const before = sent.length;
    // Pull the file out from under it, as a dying disk would: the next write fails the journal for good.
    await (journal as unknown as { fh: { close(): Promise<void> } }).fh.close();
    const o = marketable();
    await expect(host.ems.submit(o)).rejects.toThrow(/journal write failed/);
    await new Promise((r) => setTimeout(r, 100));
    expect(sent.slice(before).filter((x) => JSON.stringify(x.data).includes(o.oid))).toEqual([]);
    expect(host.ems.recentFills(10).some((f) => f.oid === o.oid)).toBe(false);
  });
});

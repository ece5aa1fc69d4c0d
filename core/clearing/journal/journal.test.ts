import { mkdtempSync, readdirSync, rmSync, copyFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal } from './journal.js';
import { intentRecord, type AppendRecord } from './records.js';
import { replayAll } from './replay.js';
import { fillOf, openStatus, sampleOrder } from './test-workers/fixtures.js';

const dirs: string[] = [];
function tempJournal(): string {
  const d = mkdtempSync(join(tmpdir(), 'cw-journal-'));
  dirs.push(d);
  return join(d, 'journal');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const segmentsIn = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.jnl')).sort();

/** One order's lifecycle: intent, ack, open status, fill. */
function lifecycle(i: number): AppendRecord[] {
  const o = sampleOrder(`o${i}`, { price: String(60000 + i) });
  return [intentRecord(o), { type: 'ack', oid: o.oid, reqid: `r${i}`, account: 'paper' }, openStatus(o, `r${i}`), fillOf(o, `r${i}`, `t${i}`)];
}

describe('journal: append and replay', () => {
  it('round-trips many records in seq order, across reopen', async () => {
    const dir = tempJournal();
    const j = await Journal.open(dir);
    const written: AppendRecord[] = [];
    for (let i = 0; i < 250; i++) {
      const recs = lifecycle(i);
      written.push(...recs);
      expect(await j.append(recs)).toBe(written.length);
    }
    await j.close();

    const { entries, report } = await replayAll(dir);
    expect(report).toMatchObject({ records: 1000, lastSeq: 1000, tornTails: 0, segments: 1 });
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(entries.map(({ seq: _s, time: _t, ...r }) => r)).toEqual(written);

    const seen: number[] = [];
    const again = await Journal.open(dir, { onReplay: (e) => seen.push(e.seq) });
    expect(seen.length).toBe(1000);
    expect(again.lastSeq).toBe(1000);
    expect(again.get('o7')).toMatchObject({ reqid: 'r7', tids: ['t7'], intentType: 'order' });
    expect(await again.append([intentRecord(sampleOrder('next'))])).toBe(1001);
    await again.close();
  });

  it('resolves an append only once its bytes are on disk', async () => {
    const dir = tempJournal();
    const j = await Journal.open(dir);
    const seq = await j.append([intentRecord(sampleOrder('a'))]);
    expect(j.durableSeq).toBe(seq);
    // Read the file behind the still-open journal's back: the record is there.
    const { entries } = await replayAll(dir, { repair: false });
    expect(entries.map((e) => e.seq)).toEqual([seq]);
    await j.close();
  });

  it('knows a retry while the first submit is still in flight', async () => {
    const j = await Journal.open(tempJournal());
    const o = sampleOrder('a');
    const first = j.append([intentRecord(o)]);
    expect(j.classify(o)).toBe('duplicate');
    expect(j.durableSeq).toBe(0);
    await j.whenDurable(j.get('a')!.intentSeq);
    expect(j.durableSeq).toBe(1);
    await first;
    await j.close();
  });

  it('refuses a malformed record without using up a seq', async () => {
    const j = await Journal.open(tempJournal());
    await expect(j.append([{ type: 'fill', oid: 'a' } as unknown as AppendRecord])).rejects.toThrow(/not an appendable/);
    await expect(j.append([{ type: 'snapshot', state: 1, index: { oids: [] } } as unknown as AppendRecord])).rejects.toThrow(/not an appendable/);
    expect(await j.append([intentRecord(sampleOrder('a'))])).toBe(1);
    await j.close();
    await expect(j.append([intentRecord(sampleOrder('b'))])).rejects.toThrow(/closed/);
  });

  it('fails for good after an I/O error: nothing is acknowledged that might not be on disk', async () => {
    const j = await Journal.open(tempJournal());
    await j.append([intentRecord(sampleOrder('a'))]);
    // Pull the file out from under it, as a dying disk would.
    await (j as unknown as { fh: { close(): Promise<void> } }).fh.close();
    await expect(j.append([intentRecord(sampleOrder('b'))])).rejects.toThrow(/journal write failed/);
    await expect(j.append([intentRecord(sampleOrder('c'))])).rejects.toThrow(/journal write failed/);
  });
});

describe('journal: group commit', () => {
  it('shares one write and fsync among appends made in the same tick', async () => {
    const dir = tempJournal();
    const j = await Journal.open(dir);
    const seqs = await Promise.all(Array.from({ length: 200 }, (_, i) => j.append([intentRecord(sampleOrder(`o${i}`))])));
    expect(new Set(seqs).size).toBe(200);
    expect(j.stats.appendCalls).toBe(200);
    expect(j.stats.syncs).toBe(1);
    await j.close();
    expect((await replayAll(dir)).report.records).toBe(200);
  });

  it('batches concurrent appenders that each wait for their own append', async () => {
    const dir = tempJournal();
    const j = await Journal.open(dir);
    const acked: string[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async (_, c) => {
        for (let i = 0; i < 40; i++) {
          await j.append(lifecycle(c * 1000 + i).slice(0, 2));
          acked.push(`o${c * 1000 + i}`);
        }
      }),
    );
    expect(j.stats.appendCalls).toBe(320);
    expect(j.stats.syncs).toBeLessThan(j.stats.appendCalls / 2);
    await j.close();
    const again = await Journal.open(dir);
    for (const oid of acked) expect(again.has(oid)).toBe(true);
    expect(again.lastSeq).toBe(640);
    await again.close();
  });
});

describe('journal: lazy appends', () => {
  const tick = () => new Promise((r) => setImmediate(r));

  it('starts no write for lazy records alone: they go out with the next eager append, in seq order', async () => {
    const dir = tempJournal();
    const j = await Journal.open(dir, { lazyFlushMs: 60_000 });
    const [intent, ack, status, fill] = lifecycle(1);
    await j.append([intent!]);
    expect(j.stats.syncs).toBe(1);
    const lazy = j.append([ack!, status!], { lazy: true });
    expect(j.lastSeq).toBe(3);
    await tick();
    await tick();
    expect(j.stats.syncs).toBe(1);
    expect(j.durableSeq).toBe(1);
    // The index knows them at once, like any append.
    expect(j.get('o1')).toMatchObject({ reqid: 'r1' });
    expect(await j.append([fill!])).toBe(4);
    expect(await lazy).toBe(3);
    expect(j.stats.syncs).toBe(2);
    await j.close();
    expect((await replayAll(dir)).entries.map((e) => [e.seq, e.type])).toEqual([
      [1, 'order'],
      [2, 'ack'],
      [3, 'status'],
      [4, 'fill'],
    ]);
  });

  it('writes lazy records after lazyFlushMs when nothing else comes', async () => {
    const dir = tempJournal();
    const j = await Journal.open(dir, { lazyFlushMs: 20 });
    const t0 = Date.now();
    const seq = await j.append(lifecycle(1), { lazy: true });
    expect(seq).toBe(4);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(15);
    expect(j.durableSeq).toBe(4);
    expect(j.stats.syncs).toBe(1);
    await j.close();
  });

  it('writes a lazy record at once when someone waits for it, and on close', async () => {
    const dir = tempJournal();
    const j = await Journal.open(dir, { lazyFlushMs: 60_000 });
    void j.append(lifecycle(1).slice(0, 2), { lazy: true });
    const t0 = Date.now();
    await j.whenDurable(1);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(j.durableSeq).toBe(2);
    void j.append(lifecycle(2), { lazy: true });
    await j.close();
    expect((await replayAll(dir)).report.records).toBe(6);
  });

  it('fails lazy records with the journal', async () => {
    const j = await Journal.open(tempJournal(), { lazyFlushMs: 60_000 });
    await j.append([intentRecord(sampleOrder('a'))]);
    const lazy = j.append([openStatus(sampleOrder('a'), 'r1')], { lazy: true });
    await (j as unknown as { fh: { close(): Promise<void> } }).fh.close();
    await expect(j.append([intentRecord(sampleOrder('b'))])).rejects.toThrow(/journal write failed/);
    await expect(lazy).rejects.toThrow(/journal write failed/);
  });
});

describe('journal: segments and compaction', () => {
  it('rolls to a new segment at the size limit and replays across segments in order', async () => {
    const dir = tempJournal();
    const j = await Journal.open(dir, { segmentBytes: 4096 });
    for (let i = 0; i < 100; i++) await j.append(lifecycle(i));
    await j.close();
    const segs = segmentsIn(dir);
    expect(segs.length).toBeGreaterThan(10);
    expect(segs[0]).toBe('00000000000000000001.jnl');
    const { entries, report } = await replayAll(dir);
    expect(report.segments).toBe(segs.length);
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
  });

  it('compacts to a snapshot segment that preserves the state and the oid index', async () => {
    const dir = tempJournal();
    const j = await Journal.open(dir, { segmentBytes: 4096 });
    let applied = 0;
    for (let i = 0; i < 60; i++) {
      await j.append(lifecycle(i));
      applied++;
    }
    // An append made before compact() but still in flight must be in the state the snapshot captures.
    const late = j.append(lifecycle(60)).then(() => applied++);
    const snapSeq = await j.compact(() => ({ applied }));
    await late;
    expect(snapSeq).toBe(245);
    expect(segmentsIn(dir)).toEqual(['00000000000000000245.jnl']);
    await j.append(lifecycle(61));
    await j.close();

    const { entries, report } = await replayAll(dir);
    expect(report.snapshotSegment).toBe('00000000000000000245.jnl');
    expect(entries[0]).toMatchObject({ type: 'snapshot', seq: 245, state: { applied: 61 } });
    expect(entries.slice(1).map((e) => e.seq)).toEqual([246, 247, 248, 249]);

    const again = await Journal.open(dir);
    expect(again.index.size).toBe(62);
    expect(again.classify(sampleOrder('o3', { price: '60003' }))).toBe('duplicate');
    expect(again.get('o60')).toMatchObject({ reqid: 'r60', tids: ['t60'] });
    expect(again.index.oidForReqid('r61')).toBe('o61');
    expect(await again.append(lifecycle(62))).toBe(253);
    await again.close();
  });

  it('keeps appending and rolling after compaction, and compacts again', async () => {
    const dir = tempJournal();
    const j = await Journal.open(dir, { segmentBytes: 2048 });
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 30; i++) await j.append(lifecycle(round * 100 + i));
      await j.compact(() => ({ round }), { forget: (s) => s.oid.startsWith('o0') });
    }
    for (let i = 0; i < 5; i++) await j.append(lifecycle(900 + i));
    await j.close();
    const { entries } = await replayAll(dir);
    expect(entries[0]).toMatchObject({ type: 'snapshot', state: { round: 2 } });
    expect(entries.length).toBe(1 + 20);
    const again = await Journal.open(dir);
    expect(again.has('o0')).toBe(false);
    expect(again.has('o229')).toBe(true);
    expect(again.has('o904')).toBe(true);
    await again.close();
  });

  it('counts the bytes from the latest snapshot on: what compaction shrinks, across reopen', async () => {
    const dir = tempJournal();
    const sizeOnDisk = () => segmentsIn(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
    const j = await Journal.open(dir, { segmentBytes: 2048 });
    for (let i = 0; i < 20; i++) await j.append(lifecycle(i));
    expect(j.bytes).toBe(sizeOnDisk());
    expect(j.snapshotBytes).toBe(0);
    await j.compact(() => 'S');
    expect(j.bytes).toBe(sizeOnDisk());
    expect(j.snapshotBytes).toBe(j.bytes);
    await j.append(lifecycle(20));
    expect(j.bytes).toBe(sizeOnDisk());
    await j.close();
    const again = await Journal.open(dir);
    expect(again.bytes).toBe(sizeOnDisk());
    await again.close();
  });

  it('finishes a compaction that crashed after its rename: older segments are ignored, then deleted', async () => {
    const dir = tempJournal();
    const j = await Journal.open(dir, { segmentBytes: 2048 });
    for (let i = 0; i < 20; i++) await j.append(lifecycle(i));
    await j.close();
    const before = segmentsIn(dir);
    const saved = before.map((n) => {
      const to = join(dir, '..', `saved-${n}`);
      copyFileSync(join(dir, n), to);
      return [to, n] as const;
    });
    const k = await Journal.open(dir, { segmentBytes: 2048 });
    await k.compact(() => 'S');
    await k.append(lifecycle(20));
    await k.close();
    // Put the pre-compaction segments back, as if the process died between the rename and the deletes.
    for (const [from, n] of saved) copyFileSync(from, join(dir, n));
    writeFileSync(join(dir, '00000000000000000099.jnl.tmp'), 'half a snapshot');

    const { entries, report } = await replayAll(dir, { repair: false });
    expect(report.obsoleteSegments.map((s) => s.name)).toEqual(before);
    expect(entries.map((e) => e.type)).toEqual(['snapshot', 'order', 'ack', 'status', 'fill']);

    const again = await Journal.open(dir);
    expect(segmentsIn(dir)[0]).toBe('00000000000000000081.jnl');
    expect(again.replayReport.segments).toBe(segmentsIn(dir).length);
    expect(readdirSync(dir).some((n) => n.endsWith('.tmp'))).toBe(false);
    expect(again.has('o0')).toBe(true);
    expect(again.lastSeq).toBe(85);
    await again.close();
  });

  it('ignores a snapshot left half-written under its temporary name', async () => {
    const dir = tempJournal();
    const j = await Journal.open(dir);
    for (let i = 0; i < 3; i++) await j.append(lifecycle(i));
    await j.close();
    writeFileSync(join(dir, '00000000000000000013.jnl.tmp'), Buffer.from([1, 2, 3]));
    const again = await Journal.open(dir);
    expect(again.lastSeq).toBe(12);
    expect(again.replayReport.snapshotSegment).toBeNull();
    await again.close();
  });
});

import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeFrame } from './frame.js';
import { Journal } from './journal.js';
import { intentRecord } from './records.js';
import { JournalCorruptError, replayAll } from './replay.js';
import { sampleOrder } from './test-workers/fixtures.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A closed journal of `n` orders (o1..on, seq = i), in one segment unless `segmentBytes` says otherwise. */
async function journalOf(n: number, segmentBytes?: number): Promise<{ dir: string; segments: string[] }> {
  const root = mkdtempSync(join(tmpdir(), 'cw-replay-'));
  dirs.push(root);
  const dir = join(root, 'journal');
  const j = await Journal.open(dir, { segmentBytes, now: () => TIME });
  for (let i = 1; i <= n; i++) await j.append([intentRecord(sampleOrder(`o${i}`))]);
  await j.close();
  return { dir, segments: readdirSync(dir).sort().map((n) => join(dir, n)) };
}

const TIME = 1_700_000_000_000;
/** The exact frame journalOf wrote for seq `seq`, and the offset of a seq's frame (from the segment's start at seq 1). */
const frameFor = (seq: number) => encodeFrame({ ...intentRecord(sampleOrder(`o${seq}`)), seq, time: TIME });
const offsetOf = (seq: number, first = 1) => Array.from({ length: seq - first }, (_, i) => frameFor(first + i).length).reduce((a, b) => a + b, 0);

async function expectCorrupt(dir: string, segment: string, offset: number, why: RegExp): Promise<void> {
  const err = await replayAll(dir).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(JournalCorruptError);
  expect(err).toMatchObject({ segment, offset });
  expect((err as Error).message).toMatch(why);
  expect((err as Error).message).toContain(`at offset ${offset}`);
}

describe('replay: torn tails', () => {
  it('cuts off a partial last frame, reports it, and appends continue after the last intact record', async () => {
    const { dir, segments } = await journalOf(20);
    const seg = segments[0]!;
    const intact = statSync(seg).size;
    appendFileSync(seg, frameFor(21).subarray(0, 30));

    const { entries, report } = await replayAll(dir);
    expect(entries.length).toBe(20);
    expect(report.tornTails).toBe(1);
    expect(report.tornTail).toMatchObject({ offset: intact, bytes: 30, reason: expect.stringContaining('runs past the end') });
    expect(report.truncated).toBe(true);
    expect(statSync(seg).size).toBe(intact);

    const j = await Journal.open(dir);
    expect(j.replayReport.tornTails).toBe(0);
    expect(await j.append([intentRecord(sampleOrder('o21'))])).toBe(21);
    await j.close();
    expect((await replayAll(dir)).entries.map((e) => e.seq)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
  });

  it.each([
    ['a partial header', Buffer.from([0x20, 0x01, 0x00])],
    ['random garbage', Buffer.from('\x93\x11\xfe not a frame at all \x00\x7f')],
    ['a zero-filled tail (a crash after the size grew but before the data landed)', Buffer.alloc(4096)],
  ])('treats %s at the end as a torn tail', async (_what, tail) => {
    const { dir, segments } = await journalOf(5);
    appendFileSync(segments[0]!, tail);
    const { entries, report } = await replayAll(dir);
    expect(entries.length).toBe(5);
    expect(report.tornTail).toMatchObject({ offset: offsetOf(6), bytes: tail.length });
  });

  it('treats a bad CRC in the last frame as torn: that write was never acknowledged', async () => {
    const { dir, segments } = await journalOf(5);
    const buf = readFileSync(segments[0]!);
    buf[buf.length - 4]! ^= 0xff;
    writeFileSync(segments[0]!, buf);
    const { entries, report } = await replayAll(dir);
    expect(entries.length).toBe(4);
    expect(report.tornTail).toMatchObject({ offset: offsetOf(5), bytes: frameFor(5).length, reason: 'CRC mismatch' });
  });

  it('only reports a torn tail when asked not to repair', async () => {
    const { dir, segments } = await journalOf(3);
    appendFileSync(segments[0]!, Buffer.from([1, 2, 3, 4, 5]));
    const before = statSync(segments[0]!).size;
    const { report } = await replayAll(dir, { repair: false });
    expect(report).toMatchObject({ tornTails: 1, truncated: false });
    expect(statSync(segments[0]!).size).toBe(before);
  });
});

describe('replay: corruption is an error, never skipped', () => {
  it('names the segment and offset of a bad CRC in the middle', async () => {
    const { dir, segments } = await journalOf(10);
    const buf = readFileSync(segments[0]!);
    buf[offsetOf(5) + 20]! ^= 0x01;
    writeFileSync(segments[0]!, buf);
    await expectCorrupt(dir, '00000000000000000001.jnl', offsetOf(5), /CRC mismatch, with an intact record after it at offset/);
    // Nothing was truncated: the damage is for a human to look at.
    expect(readFileSync(segments[0]!).length).toBe(buf.length);
  });

  it('refuses a corrupt length in the middle rather than reading the rest as a torn tail', async () => {
    const { dir, segments } = await journalOf(10);
    const buf = readFileSync(segments[0]!);
    buf.writeUInt32LE(1_000_000, offsetOf(3));
    writeFileSync(segments[0]!, buf);
    await expectCorrupt(dir, '00000000000000000001.jnl', offsetOf(3), /runs past the end.*intact record after it/);
  });

  it('refuses any bad frame in a sealed segment, even at its end', async () => {
    const { dir, segments } = await journalOf(12, offsetOf(5) + 10);
    expect(segments.length).toBe(3);
    appendFileSync(segments[1]!, Buffer.from([9, 9, 9]));
    await expectCorrupt(dir, '00000000000000000005.jnl', offsetOf(9, 5), /sealed segment/);
  });

  it('notices a missing segment by the gap in seqs', async () => {
    const { dir, segments } = await journalOf(12, offsetOf(5) + 10);
    unlinkSync(segments[1]!);
    await expectCorrupt(dir, '00000000000000000009.jnl', 0, /starts at seq 9 where 5 was expected/);
    unlinkSync(segments[0]!);
    await expectCorrupt(dir, '00000000000000000009.jnl', 0, /starts at seq 9 where 1 was expected/);
  });

  it('refuses a record out of seq order', async () => {
    const { dir, segments } = await journalOf(3);
    appendFileSync(segments[0]!, Buffer.concat([frameFor(3), frameFor(4)]));
    await expectCorrupt(dir, '00000000000000000001.jnl', offsetOf(4), /record seq 3 where 4 was expected/);
  });

  it('will not open a corrupt journal for appends', async () => {
    const { dir, segments } = await journalOf(6);
    const buf = readFileSync(segments[0]!);
    buf[offsetOf(2) + 12]! ^= 0x40;
    writeFileSync(segments[0]!, buf);
    await expect(Journal.open(dir)).rejects.toThrow(JournalCorruptError);
  });
});

import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Ledger, ledgerPath, listLedgers } from './ledger.js';
import type { LedgerEntry } from './ledger-lines.js';

let dir: string;
const open: Ledger[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'candlewick-ledger-'));
});
afterEach(async () => {
  for (const l of open.splice(0)) await l.close();
  await rm(dir, { recursive: true, force: true });
});

async function ledger(account = 'paper', broker = 'sim'): Promise<Ledger> {
  const l = await Ledger.open(dir, broker, account);
  open.push(l);
  return l;
}
const entry = (tid: string, time: number, size: string, price: string, fee = '0', fqme = 'xbtusd.spot.sim'): LedgerEntry => ({
  tid,
  time,
  fqme,
  size,
  price,
  fee,
});
const LINE_A = '{"tid":"a","time":1000,"fqme":"xbtusd.spot.sim","size":"0.5","price":"50000.5","fee":"12.5"}\n';
const LINE_B = '{"tid":"b","time":2000,"fqme":"xbtusd.spot.sim","size":"-0.25","price":"50100.5","fee":"6.25"}\n';

async function writeLedger(text: string, account = 'paper') {
  await mkdir(join(dir, 'ledgers'), { recursive: true });
  await writeFile(ledgerPath(dir, 'sim', account), text);
}

describe('Ledger on disk', () => {
  it('round-trips: appended fills are one readable line each and rebuild the same positions', async () => {
    const l = await ledger();
    expect(await l.append(entry('a', 1000, '0.5', '50000.5', '12.5'))).toBe(true);
    expect(await l.append(entry('b', 2000, '-0.25', '50100.5', '6.25'))).toBe(true);
    expect(await l.append(entry('e', 1500, '-2', '2000', '0', 'ETHUSD.SPOT.SIM'))).toBe(true);
    const text = await readFile(ledgerPath(dir, 'sim', 'paper'), 'utf8');
    expect(text).toBe(LINE_A + LINE_B + '{"tid":"e","time":1500,"fqme":"ethusd.spot.sim","size":"-2","price":"2000","fee":"0"}\n');
    const before = l.positions();
    // 0.25 * 100 gross - 6.25 of the entry fee - the 6.25 exit fee.
    expect(l.position('xbtusd.spot.sim')).toMatchObject({ size: '0.25', ppu: '50050.5', realizedPnl: '12.5' });
    await l.close();

    const again = await ledger();
    expect(again.problems).toEqual([]);
    expect(again.entries().map((e) => e.tid)).toEqual(['a', 'b', 'e']);
    expect(again.positions()).toEqual(before);
  });

  it('writes without an fsync when asked (the caller holds the fill durably), and syncs on sync() and close()', async () => {
    const l = await ledger();
    const handle = (l as unknown as { handle: { datasync(): Promise<void> } }).handle;
    const datasync = vi.spyOn(handle, 'datasync');
    expect(await l.append(entry('a', 1000, '0.5', '50000.5', '12.5'), { sync: false })).toBe(true);
    expect(await l.append(entry('b', 2000, '-0.25', '50100.5', '6.25'), { sync: false })).toBe(true);
    expect(datasync).not.toHaveBeenCalled();
    // Written (the position and a reader see it), only not forced to the disk yet.
    expect(await readFile(ledgerPath(dir, 'sim', 'paper'), 'utf8')).toBe(LINE_A + LINE_B);
    expect(l.position('xbtusd.spot.sim')).toMatchObject({ size: '0.25' });
    await l.sync();
    expect(datasync).toHaveBeenCalledTimes(1);
    await l.sync();
    expect(datasync).toHaveBeenCalledTimes(1);
    await l.append(entry('c', 3000, '0.25', '50000'), { sync: false });
    await l.close();
    expect(datasync).toHaveBeenCalledTimes(2);
  });

  it('books a tid once: appending a known tid writes nothing', async () => {
    const l = await ledger();
    const [first, second] = await Promise.all([l.append(entry('a', 1000, '1', '10')), l.append(entry('a', 1000, '1', '10'))]);
    expect([first, second]).toEqual([true, false]);
    expect(await l.append(entry('a', 5000, '3', '11'))).toBe(false);
    expect((await readFile(l.path, 'utf8')).split('\n').filter(Boolean)).toHaveLength(1);
    expect(l.position('xbtusd.spot.sim')!.size).toBe('1');
  });

  it('refuses an invalid fill', async () => {
    const l = await ledger();
    await expect(l.append(entry('z', 1, '0', '10'))).rejects.toThrow('ledger sim.paper: size must not be zero');
    await expect(l.append(entry('z', 1, '1', '-10'))).rejects.toThrow(/price must be > 0/);
    await expect(l.append(entry('z', 1, '1', '10', '0', 'nonsense'))).rejects.toThrow(/malformed fqme/);
    expect(l.has('z')).toBe(false);
  });

  it('a torn final line is reported, ignored and cut off; appends then continue cleanly', async () => {
    await writeLedger(LINE_A + LINE_B + '{"tid":"c","time":3000,"fqme":"btcu');
    const l = await ledger();
    expect(l.entries().map((e) => e.tid)).toEqual(['a', 'b']);
    expect(l.problems).toHaveLength(1);
    expect(l.problems[0]).toMatch(/^line 3: torn final line \(35 bytes\), ignored/);
    expect(await readFile(l.path, 'utf8')).toBe(LINE_A + LINE_B);
    await l.append(entry('c', 3000, '0.25', '50000'));
    await l.close();
    const again = await ledger();
    expect(again.problems).toEqual([]);
    expect(again.position('xbtusd.spot.sim')!.size).toBe('0.5');
  });

  it('a last line missing only its newline is kept and terminated', async () => {
    await writeLedger(LINE_A + LINE_B.trimEnd());
    const l = await ledger();
    expect(l.problems).toEqual([]);
    expect(l.entries()).toHaveLength(2);
    expect(await readFile(l.path, 'utf8')).toBe(LINE_A + LINE_B);
  });

  it('skips corrupt and invalid lines in the middle, and never crashes on them', async () => {
    await writeLedger(LINE_A + 'garbage\n\n{"tid":"x","time":1,"fqme":"xbtusd.spot.sim","size":"1","price":"abc","fee":"0"}\n' + LINE_B);
    const l = await ledger();
    expect(l.entries().map((e) => e.tid)).toEqual(['a', 'b']);
    expect(l.problems).toEqual([
      'line 2: not JSON, skipped: "garbage"',
      'line 4: price is not a decimal string: "abc", skipped',
    ]);
  });

  it('skips duplicate tids on load: exact repeats quietly, conflicting ones reported', async () => {
    const conflicting = LINE_A.replace('"size":"0.5"', '"size":"5"');
    await writeLedger(LINE_A + LINE_A + LINE_B + conflicting);
    const l = await ledger();
    expect(l.entries().map((e) => [e.tid, e.size])).toEqual([
      ['a', '0.5'],
      ['b', '-0.25'],
    ]);
    expect(l.problems).toEqual(['line 4: tid a already booked on line 1 with other values, kept the first']);
  });

  it('keeps accounts apart: same tids, separate files and positions', async () => {
    const paper = await ledger('paper');
    const live = await ledger('live');
    await paper.append(entry('t1', 1000, '1', '100'));
    await live.append(entry('t1', 1000, '-3', '100'));
    await live.append(entry('t2', 2000, '1', '90'));
    expect(paper.position('xbtusd.spot.sim')).toMatchObject({ account: 'paper', size: '1' });
    expect(live.position('xbtusd.spot.sim')).toMatchObject({ account: 'live', size: '-2', realizedPnl: '10' });
    expect(paper.path).not.toBe(live.path);
    expect(await listLedgers(dir)).toEqual([
      { broker: 'sim', account: 'live' },
      { broker: 'sim', account: 'paper' },
    ]);
  });

  it('compacts atomically into time order and keeps appending after', async () => {
    await writeLedger(LINE_B + 'junk\n' + LINE_A + LINE_A);
    const l = await ledger();
    await l.compact();
    expect(await readFile(l.path, 'utf8')).toBe(LINE_A + LINE_B);
    await l.append(entry('c', 3000, '0.25', '50000'));
    expect((await readFile(l.path, 'utf8')).split('\n').filter(Boolean)).toHaveLength(3);
    expect(l.entries().map((e) => e.tid)).toEqual(['a', 'b', 'c']);
  });

  it('starts empty, names only safe files and lists nothing when there is nothing', async () => {
    expect(await listLedgers(dir)).toEqual([]);
    const l = await ledger();
    expect(l.positions()).toEqual([]);
    expect(() => ledgerPath(dir, 'sim', '../etc')).toThrow('account name "../etc" must be letters, digits, _ or -');
    expect(() => ledgerPath(dir, 'a.b', 'paper')).toThrow(/broker name/);
  });
});

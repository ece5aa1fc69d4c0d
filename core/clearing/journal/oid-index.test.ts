import { describe, expect, it } from 'vitest';
import { OidIndex } from './oid-index.js';
import { intentRecord, type AppendRecord, type JournalEntry } from './records.js';
import { fillOf, openStatus, sampleOrder } from './test-workers/fixtures.js';

function indexOf(records: AppendRecord[]): OidIndex {
  const idx = new OidIndex();
  records.forEach((r, i) => idx.apply({ ...r, seq: i + 1, time: 0 } as JournalEntry));
  return idx;
}

describe('oid index', () => {
  it('tells a new submit, a retried one and a modify apart', () => {
    const o = sampleOrder('a');
    const idx = indexOf([intentRecord(o)]);
    expect(idx.classify(sampleOrder('b'))).toBe('new');
    expect(idx.classify({ ...o })).toBe('duplicate');
    // The same decimal spelled differently is the same order, not a modify.
    expect(idx.classify({ ...o, price: '64250.50', size: '0.0150' })).toBe('duplicate');
    expect(idx.classify({ ...o, price: '64251' })).toBe('modify');
    expect(idx.classify({ ...o, size: '0.02' })).toBe('modify');
    expect(idx.classify({ ...o, execMode: 'dark' })).toBe('modify');
  });

  it('keeps the latest intent and the latest record per oid', () => {
    const o = sampleOrder('a');
    const moved = { ...o, price: '64000' };
    const idx = indexOf([intentRecord(o), openStatus(o, 'r1'), intentRecord(moved), { type: 'cancel', cancel: { action: 'cancel', oid: 'a', fqme: o.fqme } }]);
    const s = idx.get('a')!;
    expect(s.intent).toEqual(moved);
    expect(s.intentSeq).toBe(3);
    expect(s.last).toMatchObject({ seq: 4, type: 'cancel' });
    expect(idx.classify(moved)).toBe('duplicate');
  });

  it('types intents by where they live: venue order, dark order, alert', () => {
    expect(intentRecord(sampleOrder('a')).type).toBe('order');
    expect(intentRecord(sampleOrder('b', { execMode: 'dark' })).type).toBe('dark');
    expect(intentRecord(sampleOrder('c', { action: 'alert', execMode: 'dark' })).type).toBe('alert');
  });

  it('maps reqids back to oids and books each trade id once', () => {
    const o = sampleOrder('a');
    const idx = indexOf([intentRecord(o), { type: 'ack', oid: 'a', reqid: 'r1', account: 'paper' }, fillOf(o, 'r1', 't1'), fillOf(o, 'r1', 't1')]);
    expect(idx.oidForReqid('r1')).toBe('a');
    expect(idx.hasFill('a', 't1')).toBe(true);
    expect(idx.hasFill('a', 't2')).toBe(false);
    expect(idx.get('a')!.tids).toEqual(['t1']);
  });

  it('opens an entry for an oid first seen in a status (an adopted order) without inventing an intent', () => {
    const o = sampleOrder('adopted');
    const idx = indexOf([openStatus(o, 'v9')]);
    expect(idx.has('adopted')).toBe(true);
    expect(idx.get('adopted')!.intent).toBeNull();
    expect(idx.classify(o)).toBe('new');
    expect(idx.oidForReqid('v9')).toBe('adopted');
  });

  it('survives a snapshot round trip, and forgets what it is told to', () => {
    const a = sampleOrder('a');
    const b = sampleOrder('b');
    const idx = indexOf([intentRecord(a), intentRecord(b), { type: 'ack', oid: 'b', reqid: 'rb', account: 'paper' }, fillOf(b, 'rb', 'tb')]);
    const snap = JSON.parse(JSON.stringify(idx.snapshot()));
    const again = new OidIndex();
    again.apply({ type: 'snapshot', state: null, index: snap, seq: 10, time: 0 });
    expect([...again.values()]).toEqual([...idx.values()]);
    expect(again.hasFill('b', 'tb')).toBe(true);
    expect(again.oidForReqid('rb')).toBe('b');
    expect(again.forget((s) => s.oid === 'b')).toBe(1);
    expect(again.has('b')).toBe(false);
    expect(again.oidForReqid('rb')).toBeUndefined();
    expect(idx.has('b')).toBe(true);
  });
});

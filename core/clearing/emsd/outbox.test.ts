import { describe, expect, it } from 'vitest';
import { DurableOutbox, type DurableLog } from './outbox.js';

/** A log whose durable seq moves only when the test says so. */
class FakeLog implements DurableLog {
  durableSeq = 0;
  private waiters: { seq: number; resolve: () => void; reject: (e: Error) => void }[] = [];

  whenDurable(seq: number): Promise<void> {
    if (seq <= this.durableSeq) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ seq, resolve, reject }));
  }

  advance(seq: number): void {
    this.durableSeq = seq;
    const still = this.waiters.filter((w) => w.seq > seq);
    for (const w of this.waiters) if (w.seq <= seq) w.resolve();
    this.waiters = still;
  }

  fail(e: Error): void {
    for (const w of this.waiters.splice(0)) w.reject(e);
  }
}

const settle = () => new Promise((r) => setImmediate(r));

describe('DurableOutbox', () => {
  it('runs an output once its seq is durable, at once when it already is', async () => {
    const log = new FakeLog();
    const out = new DurableOutbox(log, (e) => {
      throw e;
    });
    const ran: string[] = [];
    out.after(0, () => ran.push('nothing needed'));
    expect(ran).toEqual(['nothing needed']);
    out.after(3, () => ran.push('seq 3'));
    log.advance(2);
    await settle();
    expect(ran).toEqual(['nothing needed']);
    log.advance(3);
    await settle();
    expect(ran).toEqual(['nothing needed', 'seq 3']);
    expect(out.size).toBe(0);
  });

  it('keeps outputs in order: a later one that needs less still waits for the earlier one', async () => {
    const log = new FakeLog();
    const out = new DurableOutbox(log, () => {});
    const ran: string[] = [];
    out.after(5, () => ran.push('fill (seq 5)'));
    out.after(0, () => ran.push('status after it'));
    out.after(2, () => ran.push('ack (seq 2)'));
    const answer = out.release('answer');
    log.advance(4);
    await settle();
    expect(ran).toEqual([]);
    expect(out.needs).toBe(5);
    log.advance(5);
    expect(await answer).toBe('answer');
    expect(ran).toEqual(['fill (seq 5)', 'status after it', 'ack (seq 2)']);
  });

  it('runs nothing more once the log fails, and tells each waiting output', async () => {
    const log = new FakeLog();
    const out = new DurableOutbox(log, () => {});
    const ran: string[] = [];
    const failed: string[] = [];
    out.after(1, () => ran.push('a'), (e) => failed.push(`a: ${e.message}`));
    const answer = out.release('b');
    log.fail(new Error('disk gone'));
    await expect(answer).rejects.toThrow('disk gone');
    expect(failed).toEqual(['a: disk gone']);
    out.after(0, () => ran.push('later'), (e) => failed.push(`later: ${e.message}`));
    expect(ran).toEqual([]);
    expect(failed).toEqual(['a: disk gone', 'later: disk gone']);
  });

  it('reports an output that throws and goes on with the next', async () => {
    const log = new FakeLog();
    const errors: string[] = [];
    const out = new DurableOutbox(log, (e) => errors.push(e.message));
    const ran: string[] = [];
    out.after(1, () => {
      throw new Error('broadcast failed');
    });
    out.after(1, () => ran.push('next'));
    log.advance(1);
    await settle();
    expect(errors).toEqual(['broadcast failed']);
    expect(ran).toEqual(['next']);
  });
});

import { describe, expect, it } from 'vitest';
import { FlushScheduler } from './flush-scheduler.js';

function harness() {
  const frames: Array<() => void> = [];
  const micro: Array<() => void> = [];
  let flushed = 0;
  const s = new FlushScheduler(() => flushed++, { raf: (cb) => frames.push(cb), microtask: (cb) => micro.push(cb) });
  const runMicro = () => micro.splice(0).forEach((f) => f());
  const frame = () => frames.splice(0).forEach((f) => f());
  return { s, runMicro, frame, flushed: () => flushed, pendingFrames: () => frames.length };
}

describe('FlushScheduler', () => {
  it('flushes the first request of a frame right away (next microtask)', () => {
    const h = harness();
    h.s.request();
    h.s.request();
    expect(h.flushed()).toBe(0);
    h.runMicro();
    expect(h.flushed()).toBe(1);
  });

  it('coalesces later requests of the same frame into one flush at the next frame', () => {
    const h = harness();
    h.s.request();
    h.runMicro();
    for (let i = 0; i < 50; i++) h.s.request();
    h.runMicro();
    expect(h.flushed()).toBe(1);
    h.frame();
    expect(h.flushed()).toBe(2);
    // That flush used up the new frame: more requests wait for the one after.
    h.s.request();
    h.runMicro();
    expect(h.flushed()).toBe(2);
    h.frame();
    expect(h.flushed()).toBe(3);
  });

  it('is immediate again after an idle frame, and stops asking for frames when idle', () => {
    const h = harness();
    h.s.request();
    h.runMicro();
    h.frame();
    expect(h.pendingFrames()).toBe(0);
    h.s.request();
    h.runMicro();
    expect(h.flushed()).toBe(2);
  });

  it('never flushes more than once per frame however requests interleave', () => {
    const h = harness();
    let frames = 0;
    for (let f = 0; f < 20; f++) {
      for (let i = 0; i < 7; i++) {
        h.s.request();
        if (i % 3 === 0) h.runMicro();
      }
      h.runMicro();
      h.frame();
      frames++;
    }
    expect(h.flushed()).toBeLessThanOrEqual(frames + 1);
    expect(h.flushed()).toBeGreaterThanOrEqual(frames);
  });
});

describe('FlushScheduler lazy (view) requests', () => {
  it('runs view work at the next frame without using up that frame for data', () => {
    const h = harness();
    h.s.request();
    h.runMicro();
    expect(h.flushed()).toBe(1);
    h.s.request(true); // the chart's range-change callback after update()
    h.frame();
    expect(h.flushed()).toBe(2);
    // Data arriving in the new frame still goes out at once.
    h.s.request();
    h.runMicro();
    expect(h.flushed()).toBe(3);
  });

  it('lets a data request take the leading slot when only view work is waiting', () => {
    const h = harness();
    h.s.request(true);
    h.s.request();
    h.runMicro();
    expect(h.flushed()).toBe(1);
    h.frame();
    expect(h.flushed()).toBe(1);
  });

  it('keeps data coalesced to one flush per frame under a steady feed with view requests between', () => {
    const h = harness();
    for (let f = 0; f < 30; f++) {
      h.s.request();
      h.runMicro();
      h.s.request(true);
      h.s.request();
      h.runMicro();
      h.frame();
    }
    // One leading data flush per frame plus the coalesced one at each frame: never a growing backlog.
    expect(h.flushed()).toBeLessThanOrEqual(61);
    expect(h.flushed()).toBeGreaterThanOrEqual(30);
  });
});

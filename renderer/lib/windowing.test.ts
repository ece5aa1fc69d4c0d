import { describe, expect, it } from 'vitest';
import { historyRequest, initialWindow, pendingRows, planWindow, rebaseLogical, type WindowOptions } from './windowing.js';

const opts: WindowOptions = { margin: 2000, edge: 500, initial: 2500 };
const data = { from: 0, to: 1_000_000 };

describe('initialWindow', () => {
  it('takes the newest bars', () => {
    expect(initialWindow(data, opts)).toEqual({ from: 997_500, to: 1_000_000 });
    expect(initialWindow({ from: 10, to: 100 }, opts)).toEqual({ from: 10, to: 100 });
  });
});

describe('planWindow', () => {
  const tailWindow = { from: 997_500, to: 1_000_000 };

  it('opens on the newest bars when there is no window yet', () => {
    expect(planWindow(data, null, null, opts)).toEqual(tailWindow);
  });

  it('keeps the window while the view is well inside it', () => {
    expect(planWindow(data, tailWindow, { from: 999_700, to: 1_000_003 }, opts)).toBeNull();
  });

  it('moves left with the margin when the view nears the left edge', () => {
    const next = planWindow(data, tailWindow, { from: 997_800.5, to: 998_100 }, opts);
    expect(next).toEqual({ from: 995_800, to: 1_000_000 });
  });

  it('stops following the tail once the view is far from it', () => {
    const next = planWindow(data, tailWindow, { from: 900_100, to: 900_400 }, opts);
    expect(next).toEqual({ from: 898_100, to: 902_400 });
  });

  it('extends to the data end when the view comes back to the newest bars', () => {
    const w = { from: 898_100, to: 902_400 };
    expect(planWindow(data, w, { from: 902_000, to: 902_300 }, opts)).toEqual({ from: 900_000, to: 904_300 });
    expect(planWindow(data, w, { from: 999_600.2, to: 999_999.7 }, opts)).toEqual({ from: 997_600, to: 1_000_000 });
  });

  it('trims a tail-following window that grew long from live appends', () => {
    const grown = { from: 990_000, to: 1_000_000 };
    expect(planWindow(data, grown, { from: 999_700, to: 1_000_005 }, opts)).toEqual({ from: 997_700, to: 1_000_000 });
    // Still within bounds: kept.
    const ok = { from: 995_000, to: 1_000_000 };
    expect(planWindow(data, ok, { from: 999_700, to: 1_000_005 }, opts)).toBeNull();
  });

  it('does not move against an edge that has no more data', () => {
    const small = { from: 0, to: 300 };
    expect(planWindow(small, { from: 0, to: 300 }, { from: -20, to: 310 }, opts)).toBeNull();
  });

  it('never plans past the held data', () => {
    const held = { from: 500, to: 1500 };
    const next = planWindow(held, { from: 500, to: 1500 }, { from: 520, to: 800 }, opts);
    expect(next).toBeNull();
    // Store trimmed under the window (e.g. replaced): the window is clipped to it.
    expect(planWindow({ from: 700, to: 1500 }, { from: 500, to: 1500 }, { from: 1200, to: 1400 }, opts)).toEqual({ from: 700, to: 1500 });
  });

  it('re-opens on the newest bars when the data no longer overlaps the window', () => {
    expect(planWindow({ from: 5000, to: 6000 }, { from: 0, to: 100 }, { from: 10, to: 90 }, opts)).toEqual({ from: 5000, to: 6000 });
  });

  it('covers a zoomed-out view with the margin on both sides', () => {
    const next = planWindow(data, tailWindow, { from: 990_000, to: 1_000_010 }, opts);
    expect(next).toEqual({ from: 988_000, to: 1_000_000 });
  });

  it('returns null on empty data', () => {
    expect(planWindow({ from: 5, to: 5 }, null, null, opts)).toBeNull();
  });
});

describe('rebaseLogical', () => {
  it('keeps the same absolute bars in view after a re-window', () => {
    // Window started at 997_500, view at relative 300..600 (absolute 997_800..998_100); new window at 995_800.
    expect(rebaseLogical({ from: 300, to: 600 }, 997_500, 995_800)).toEqual({ from: 2000, to: 2300 });
  });
});

describe('historyRequest', () => {
  it('asks for one page of older rows when the view nears the oldest row held', () => {
    const held = { from: 800_000, to: 1_000_000 };
    expect(historyRequest(held, 0, { from: 801_000, to: 801_300 }, 5000, opts)).toEqual({ from: 795_000, to: 800_000 });
    expect(historyRequest(held, 797_000, { from: 801_000, to: 801_300 }, 5000, opts)).toEqual({ from: 797_000, to: 800_000 });
  });

  it('asks nothing when far from the oldest row or when the host has nothing older', () => {
    const held = { from: 800_000, to: 1_000_000 };
    expect(historyRequest(held, 0, { from: 900_000, to: 900_300 }, 5000, opts)).toBeNull();
    expect(historyRequest(held, 800_000, { from: 800_001, to: 800_300 }, 5000, opts)).toBeNull();
    expect(historyRequest(held, 0, null, 5000, opts)).toBeNull();
  });
});

describe('pendingRows', () => {
  it('takes written rows inside the window, and appended rows only when the series held the newest', () => {
    // Following (held the newest row 100): rows 98..100 rewritten, 100..103 appended.
    expect(pendingRows({ from: 50, to: 100 }, 100, 103, { from: 98, to: 101 })).toEqual({ start: 98, end: 103, newTo: 103 });
    // Not following (scrolled back): appended rows stay out, writes outside the window too.
    expect(pendingRows({ from: 20, to: 60 }, 100, 103, { from: 98, to: 101 })).toMatchObject({ newTo: 60 });
    const off = pendingRows({ from: 20, to: 60 }, 100, 103, { from: 98, to: 101 });
    expect(off.end > off.start).toBe(false);
    // Nothing written, nothing appended: nothing to do.
    const idle = pendingRows({ from: 50, to: 100 }, 100, 100, null);
    expect(idle.end > idle.start).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import type { Clear } from './clear.js';
import { positionFromClears, type Position } from './position.js';
import { applyClear, FLAT } from './ppu.js';

const KEY = { broker: 'sim', account: 'paper', fqme: 'xbtusd.spot.sim' };
let n = 0;
/** A clear at increasing times; size signed (+ buy, - sell). */
function c(size: string, price: string, fee = '0', tid = `t${++n}`): Clear {
  return { tid, time: n * 1000, price, size, fee };
}
function fold(...clears: Clear[]): Position {
  return positionFromClears(KEY, clears);
}
function books(p: Position) {
  return { size: p.size, ppu: p.ppu, realizedPnl: p.realizedPnl };
}

describe('ppu without fees', () => {
  it('builds up: ppu is the size-weighted average of entries', () => {
    const p = fold(c('10', '100'), c('10', '110'), c('5', '120'));
    expect(books(p)).toEqual({ size: '25', ppu: '108', realizedPnl: '0' });
  });

  it('a partial close realizes against ppu and leaves ppu alone', () => {
    const p = fold(c('10', '100'), c('10', '110'), c('5', '120'), c('-5', '130'));
    expect(books(p)).toEqual({ size: '20', ppu: '108', realizedPnl: '110' });
  });

  it('closing to flat resets ppu and keeps the realized PnL', () => {
    const p = fold(c('10', '100'), c('10', '110'), c('5', '120'), c('-5', '130'), c('-20', '100'));
    expect(books(p)).toEqual({ size: '0', ppu: '0', realizedPnl: '-50' });
    expect(p.exitFeePerUnit).toBe('0');
  });

  it('re-entering after flat starts a fresh average', () => {
    const p = fold(c('10', '100'), c('-10', '90'), c('2', '50'));
    expect(books(p)).toEqual({ size: '2', ppu: '50', realizedPnl: '-100' });
  });

  it('a short: adding sells averages, covering realizes (entry - exit) * size', () => {
    const p = fold(c('-4', '200'), c('-4', '210'), c('3', '190'));
    expect(books(p)).toEqual({ size: '-5', ppu: '205', realizedPnl: '45' });
  });

  it('flips long -> short in one clear: closes at the price, restarts from the remainder', () => {
    const p = fold(c('10', '100'), c('-15', '110'));
    expect(books(p)).toEqual({ size: '-5', ppu: '110', realizedPnl: '100' });
  });

  it('flips short -> long in one clear', () => {
    const p = fold(c('-2', '50'), c('5', '40'));
    expect(books(p)).toEqual({ size: '3', ppu: '40', realizedPnl: '20' });
  });

  it('keeps ppu at 18 digits, half-even, when the average does not terminate', () => {
    const p = fold(c('1', '1'), c('2', '2'));
    expect(p.ppu).toBe('1.666666666666666667');
    // The rounding of ppu (5e-19 per unit at most) is all realized PnL can be off by.
    expect(fold(c('1', '1'), c('2', '2'), c('-3', '2')).realizedPnl).toBe('0.999999999999999999');
  });
});

describe('ppu with fees (piker: price*|size| + sign*2*fee on entries)', () => {
  it('a long: each entry adds twice its fee to the basis; realized charges each fee exactly once', () => {
    const a = fold(c('2', '100', '1'));
    expect(books(a)).toEqual({ size: '2', ppu: '101', realizedPnl: '0' });
    expect(a.exitFeePerUnit).toBe('0.5');

    const b = fold(c('2', '100', '1'), c('2', '104', '1'));
    expect(books(b)).toEqual({ size: '4', ppu: '103', realizedPnl: '0' });

    // Sell 1 @110 paying 0.5: (110-103) + the 0.5 presumed exit fee released - the 0.5 paid.
    const d = fold(c('2', '100', '1'), c('2', '104', '1'), c('-1', '110', '0.5'));
    expect(books(d)).toEqual({ size: '3', ppu: '103', realizedPnl: '7' });

    // Close 3 @99 paying 2: (99-103)*3 + 1.5 - 2 = -12.5. Cash check: paid 408 + 4.5 fees, got 407 back.
    const e = fold(c('2', '100', '1'), c('2', '104', '1'), c('-1', '110', '0.5'), c('-3', '99', '2'));
    expect(books(e)).toEqual({ size: '0', ppu: '0', realizedPnl: '-5.5' });
    expect(e.feesPaid).toBe('4.5');
  });

  it('a short: fees lower ppu (a short breaks even lower)', () => {
    const a = fold(c('-3', '50', '0.3'));
    expect(books(a)).toEqual({ size: '-3', ppu: '49.8', realizedPnl: '0' });
    // Covering at ppu with the presumed fee breaks even: 0.6 gross - 0.6 fees.
    expect(fold(c('-3', '50', '0.3'), c('3', '49.8', '0.3')).realizedPnl).toBe('0');
    // Covering at 49: 150 - 147 - 0.6 fees.
    expect(fold(c('-3', '50', '0.3'), c('3', '49', '0.3')).realizedPnl).toBe('2.4');
  });

  it('fees on a reducing clear reduce realized PnL even at the entry price', () => {
    const p = fold(c('1', '100'), c('-1', '100', '0.25'));
    expect(p.realizedPnl).toBe('-0.25');
  });

  it('an exit fee unlike the presumed one is booked as paid', () => {
    // Entry fee 1 presumes an exit fee of 1; the exit costs 3.
    const p = fold(c('1', '100', '1'), c('-1', '100', '3'));
    expect(p.realizedPnl).toBe('-4');
  });

  it('a flip closes the old side and the new side carries the whole fee', () => {
    const flipped = fold(c('10', '100', '1'), c('-15', '110', '1.5'));
    // Old side: (110 - 100.2) * 10 + 0.1 * 10 released = 99; the flip's 1.5 goes into the short's ppu.
    expect(books(flipped)).toEqual({ size: '-5', ppu: '109.4', realizedPnl: '99' });
    expect(flipped.exitFeePerUnit).toBe('0.3');
    // Cover: 147 = 100 + 50 gross - 3 fees, every fee once.
    const closed = fold(c('10', '100', '1'), c('-15', '110', '1.5'), c('5', '100', '0.5'));
    expect(books(closed)).toEqual({ size: '0', ppu: '0', realizedPnl: '147' });
    expect(closed.feesPaid).toBe('3');
  });

  it('a rebate (negative fee) improves ppu', () => {
    expect(fold(c('2', '100', '-0.5')).ppu).toBe('99.5');
    expect(fold(c('2', '100', '-0.5'), c('-2', '100', '-0.5')).realizedPnl).toBe('1');
  });
});

describe('ppu at the extremes of price', () => {
  it('tiny prices (0.00001234) stay exact', () => {
    const a = c('1000000', '0.00001234', '0.01');
    const b = c('500000', '0.0000124', '0.005');
    expect(books(fold(a, b))).toEqual({ size: '1500000', ppu: '0.00001238', realizedPnl: '0' });
    const p = fold(a, b, c('-1500000', '0.000013', '0.0195'));
    // Sold 19.5, bought 18.54, fees 0.0345.
    expect(books(p)).toEqual({ size: '0', ppu: '0', realizedPnl: '0.9255' });
  });

  it('big prices (50000.5) with fractional sizes stay exact', () => {
    const a = c('0.5', '50000.5', '12.5');
    const b = c('1.5', '50010', '37.5');
    expect(books(fold(a, b))).toEqual({ size: '2', ppu: '50057.625', realizedPnl: '0' });
    const p = fold(a, b, c('-1', '50100.5', '25'));
    expect(books(p)).toEqual({ size: '1', ppu: '50057.625', realizedPnl: '42.875' });
  });
});

describe('idempotence and order', () => {
  it('a duplicate tid is booked once', () => {
    const buy = c('10', '100', '1');
    const sell = c('-4', '105', '0.4');
    const once = fold(buy, sell);
    const twice = fold(buy, sell, { ...sell }, { ...buy, price: '999' });
    expect(twice).toEqual(once);
    expect(twice.clears).toBe(2);
  });

  it('folds in time order whatever the arrival order', () => {
    const t1 = c('10', '100');
    const t2 = c('10', '120');
    const t3 = c('-10', '130');
    expect(books(fold(t1, t3, t2))).toEqual({ size: '10', ppu: '110', realizedPnl: '200' });
  });

  it('refuses a zero-size clear', () => {
    expect(() => applyClear(FLAT, { tid: 'z', time: 0, price: '1', size: '0', fee: '0' })).toThrow(/zero size/);
  });
});

import { describe, expect, it } from 'vitest';
import { entrySize, orderSlots, parseLimit, parseSlots, slotsUsed, type AllocSettings } from './allocator.js';

const XBT = { sizeTick: '0.0001', minSize: '0.0001', minNotional: '5' };
const ES = { sizeTick: '1', minSize: '1', minNotional: '0' };
const EUR = { sizeTick: '1', minSize: '1000', minNotional: '1000' };
const PEPE = { sizeTick: '1000', minSize: '100000', minNotional: '1' };

describe('limit parsing (k/M/B)', () => {
  it('accepts plain numbers and suffixes exactly', () => {
    expect(parseLimit('250')).toBe('250');
    expect(parseLimit('0.5')).toBe('0.5');
    expect(parseLimit('5k')).toBe('5000');
    expect(parseLimit('1.5M')).toBe('1500000');
    expect(parseLimit('2b')).toBe('2000000000');
    expect(parseLimit(' 10 K ')).toBe('10000');
  });
  it('refuses junk, zero and negatives', () => {
    for (const bad of ['', 'abc', '-5', '0', '0k', '1e3', '5kk', '1,000']) expect(parseLimit(bad)).toBeNull();
  });
  it('slots are whole numbers 1..99', () => {
    expect(parseSlots('4')).toBe(4);
    expect(parseSlots(1)).toBe(1);
    for (const bad of ['0', '-1', '2.5', 'x', 100, 0]) expect(parseSlots(bad)).toBeNull();
  });
});

describe('entry sizing: limit / slots, rounded down to the size tick, at least the minimum', () => {
  it('currency limit divides by the price', () => {
    const a: AllocSettings = { unit: 'currency', limit: '5k', slots: 4 };
    // 1250 / 50000 = 0.025
    expect(entrySize(a, '50000', XBT)).toBe('0.025');
    // 1250 / 50001.5 = 0.024998... -> down to 0.0249
    expect(entrySize(a, '50001.5', XBT)).toBe('0.0249');
    // 1250 / 6000 = 0.2 -> 0 lots -> the minimum 1
    expect(entrySize(a, '6000', ES)).toBe('1');
    // 1250 / 1.08 = 1157.4 -> 1157
    expect(entrySize(a, '1.08', EUR)).toBe('1157');
    // 1250 / 0.0001 = 12,500,000 (a multiple of 1000)
    expect(entrySize(a, '0.0001', PEPE)).toBe('12500000');
    // 1250 / 0.00012345 = 10,125,557.3 -> down to 10,125,000
    expect(entrySize(a, '0.00012345', PEPE)).toBe('10125000');
  });

  it('units limit ignores the price', () => {
    const a: AllocSettings = { unit: 'units', limit: '1', slots: 3 };
    // 1/3 = 0.33333 -> 0.3333
    expect(entrySize(a, '50000', XBT)).toBe('0.3333');
    expect(entrySize({ unit: 'units', limit: '10', slots: 4 }, '6000', ES)).toBe('2');
  });

  it('minimum size and minimum notional lift tiny slots', () => {
    expect(entrySize({ unit: 'currency', limit: '1', slots: 4 }, '50000', XBT)).toBe('0.0001');
    // 0.0001 xbt at 100 is 0.01 notional < 5: needs 0.05
    expect(entrySize({ unit: 'currency', limit: '1', slots: 4 }, '100', XBT)).toBe('0.05');
    expect(entrySize({ unit: 'currency', limit: '100', slots: 4 }, '1.08', EUR)).toBe('1000');
  });

  it('no size without a limit or a price', () => {
    expect(entrySize({ unit: 'currency', limit: 'x', slots: 4 }, '50000', XBT)).toBeNull();
    expect(entrySize({ unit: 'currency', limit: '5k', slots: 4 }, '0', XBT)).toBeNull();
  });

  it('slots used by a position and by one order', () => {
    const a: AllocSettings = { unit: 'currency', limit: '5k', slots: 4 };
    expect(slotsUsed(a, '0.05', '50000')).toBe('2');
    expect(slotsUsed(a, '-0.025', '50000')).toBe('1');
    expect(slotsUsed({ unit: 'units', limit: '1', slots: 4 }, '0.3', '50000')).toBe('1.2');
    expect(orderSlots(a, '0.025', '50000')).toBe('1');
    expect(orderSlots(a, '0.0249', '50001.5')).toBe('1');
  });
});

import { describe, expect, it } from 'vitest';
import { onTick } from '../../core/protocol/decimal.js';
import { floatToDecimal, snapOrderPrice, snapPrice, stepTicks } from './price-snap.js';

describe('snapping float prices to the tick grid', () => {
  it('tick 0.5 (xbt)', () => {
    expect(snapPrice(50_000.26, '0.5')).toBe('50000.5');
    expect(snapPrice(50_000.24, '0.5')).toBe('50000');
    expect(snapPrice(50_000.75, '0.5')).toBe('50001');
    expect(snapPrice(49_999.7499999, '0.5')).toBe('49999.5');
  });

  it('tick 0.01', () => {
    expect(snapPrice(3000.005, '0.01')).toBe('3000.01');
    expect(snapPrice(0.1 + 0.2, '0.01')).toBe('0.3');
    expect(snapPrice(2999.994999, '0.01')).toBe('2999.99');
  });

  it('tick 0.00001 (fx) without float noise', () => {
    expect(snapPrice(1.0800000000000001, '0.00001')).toBe('1.08');
    expect(snapPrice(1.08 + 0.00001 * 3, '0.00001')).toBe('1.08003');
    expect(snapPrice(1.079995, '0.00001')).toBe('1.08');
    expect(floatToDecimal(1.0800000000000001, '0.00001')).toBe('1.08');
    expect(floatToDecimal(1.2e-7, '0.00000001')).toBe('0.000000120000000000');
    expect(floatToDecimal(-0, '0.5')).toBe('0');
  });

  it('tick 0.00000001 (sub-cent)', () => {
    expect(snapPrice(0.000123456789, '0.00000001')).toBe('0.00012346');
    expect(snapPrice(1e-4, '0.00000001')).toBe('0.0001');
    expect(snapPrice(9.9999999e-5, '0.00000001')).toBe('0.0001');
  });

  it('results are always on the grid and never exponents', () => {
    const ticks = ['0.5', '0.01', '0.00001', '0.00000001', '0.25', '1000'];
    for (const tick of ticks) {
      for (let i = 0; i < 200; i++) {
        const v = Math.random() * 10 ** (Math.floor(Math.random() * 10) - 4);
        const s = snapPrice(v, tick)!;
        expect(s).toMatch(/^\d+(\.\d+)?$/);
        expect(onTick(s, tick)).toBe(true);
      }
    }
  });

  it('not-finite values give null; order prices are at least one tick', () => {
    expect(snapPrice(NaN, '0.5')).toBeNull();
    expect(snapPrice(Infinity, '0.5')).toBeNull();
    expect(snapOrderPrice(0.1, '0.5')).toBe('0.5');
    expect(snapOrderPrice(-3, '0.01')).toBe('0.01');
    expect(snapPrice(-0.0000001, '0.01')).toBe('0');
  });

  it('steps by ticks exactly', () => {
    expect(stepTicks('1.08', '0.00001', 3)).toBe('1.08003');
    expect(stepTicks('50000', '0.5', -1)).toBe('49999.5');
    expect(stepTicks('0.0001', '0.00000001', 1)).toBe('0.00010001');
  });
});

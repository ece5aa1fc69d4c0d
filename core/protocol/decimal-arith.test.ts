import { describe, expect, it } from 'vitest';
import { absDec, divDec, maxDec, minDec, negDec, roundDec, signDec, subDec } from './decimal.js';

const HUGE = '123456789012345678901234567890.123456789012345678901234567890';

describe('signed decimal helpers', () => {
  it('subtracts across zero and keeps exactness', () => {
    expect(subDec('0.3', '0.1')).toBe('0.2');
    expect(subDec('0.1', '0.3')).toBe('-0.2');
    expect(subDec('-1.5', '-1.5')).toBe('0');
    expect(subDec('0', '0.00001234')).toBe('-0.00001234');
    expect(subDec(HUGE, HUGE)).toBe('0');
    expect(subDec(HUGE, '0.00000000000000000000000000000000000000000001')).toBe(
      '123456789012345678901234567890.12345678901234567890123456788999999999999999',
    );
  });

  it('negates, never producing -0', () => {
    expect(negDec('1.50')).toBe('-1.5');
    expect(negDec('-0.001')).toBe('0.001');
    expect(negDec('0')).toBe('0');
    expect(negDec('-0')).toBe('0');
    expect(negDec(HUGE)).toBe('-' + HUGE.replace(/0+$/, ''));
  });

  it('takes absolute values and signs', () => {
    expect(absDec('-50000.5')).toBe('50000.5');
    expect(absDec('0.00001234')).toBe('0.00001234');
    expect(absDec('-0')).toBe('0');
    expect(signDec('-0.00000001')).toBe(-1);
    expect(signDec('0.000')).toBe(0);
    expect(signDec('-0')).toBe(0);
    expect(signDec(HUGE)).toBe(1);
  });

  it('picks min and max by value, returning the argument as given', () => {
    expect(minDec('0.10', '0.2')).toBe('0.10');
    expect(maxDec('0.10', '0.2')).toBe('0.2');
    expect(minDec('-3', '2')).toBe('-3');
    expect(maxDec('-3', '-2.5')).toBe('-2.5');
    expect(minDec('1.0', '1')).toBe('1.0'); // tie: the first
    expect(maxDec(HUGE, '1000')).toBe(HUGE);
  });

  it('rejects what is not a decimal', () => {
    expect(() => subDec('1e3', '1')).toThrow(/not a decimal/);
    expect(() => negDec('')).toThrow(/not a decimal/);
    expect(() => minDec('NaN', '1')).toThrow(/not a decimal/);
  });
});

describe('divDec', () => {
  it('divides exactly when the quotient fits', () => {
    expect(divDec('10', '4', 2)).toBe('2.5');
    expect(divDec('0.00001234', '2', 8)).toBe('0.00000617');
    expect(divDec('50000.5', '0.5', 0)).toBe('100001');
    expect(divDec('0', '-7', 5)).toBe('0');
  });

  it('rounds half-even by default at the given scale', () => {
    expect(divDec('1', '3', 18)).toBe('0.333333333333333333');
    expect(divDec('2', '3', 18)).toBe('0.666666666666666667');
    expect(divDec('-2', '3', 4)).toBe('-0.6667');
    expect(divDec('1', '8', 2)).toBe('0.12'); // 0.125 -> even
    expect(divDec('3', '8', 2)).toBe('0.38'); // 0.375 -> even
    expect(divDec('-1', '8', 2)).toBe('-0.12');
    expect(divDec('5', '2', 0)).toBe('2');
    expect(divDec('7', '2', 0)).toBe('4');
  });

  it('supports the other rounding modes, with signs', () => {
    const cases: Array<[string, string, string, string, string, string, string]> = [
      // a / b, then: half-up, down, up, floor, ceil (scale 0)
      ['5', '2', '3', '2', '3', '2', '3'],
      ['-5', '2', '-3', '-2', '-3', '-3', '-2'],
      ['7', '-3', '-2', '-2', '-3', '-3', '-2'],
      ['-7', '-3', '2', '2', '3', '2', '3'],
    ];
    for (const [a, b, halfUp, down, up, floor, ceil] of cases) {
      expect(divDec(a, b, 0, 'half-up')).toBe(halfUp);
      expect(divDec(a, b, 0, 'down')).toBe(down);
      expect(divDec(a, b, 0, 'up')).toBe(up);
      expect(divDec(a, b, 0, 'floor')).toBe(floor);
      expect(divDec(a, b, 0, 'ceil')).toBe(ceil);
    }
  });

  it('handles huge operands without losing digits', () => {
    expect(divDec(HUGE, '1', 60)).toBe(HUGE.replace(/0+$/, ''));
    expect(divDec('1000000000000000000000000000000000000000', '0.000000000000000001', 0)).toBe(
      '1000000000000000000000000000000000000000000000000000000000',
    );
    expect(divDec('1', '100000000000000000000000000000', 30)).toBe('0.00000000000000000000000000001');
  });

  it('refuses division by zero with the operands in the message', () => {
    expect(() => divDec('1', '0', 2)).toThrow('division by zero: 1 / 0');
    expect(() => divDec('-5.5', '0.000', 2)).toThrow('division by zero: -5.5 / 0.000');
  });

  it('refuses a bad scale', () => {
    expect(() => divDec('1', '3', -1)).toThrow(/scale/);
    expect(() => divDec('1', '3', 1.5)).toThrow(/scale/);
  });

  it('rounds a decimal to a scale', () => {
    expect(roundDec('2.345', 2)).toBe('2.34');
    expect(roundDec('2.355', 2)).toBe('2.36');
    expect(roundDec('-2.345', 2, 'half-up')).toBe('-2.35');
    expect(roundDec('0.00001234', 18)).toBe('0.00001234');
  });
});

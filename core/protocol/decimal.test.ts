import { describe, expect, it } from 'vitest';
import { addDec, compareDec, isDecimal, mulDec, onTick, quantize, tickDigits, ticksToDec } from './decimal.js';

describe('exact decimals', () => {
  it('adds without float error', () => {
    expect(addDec('0.1', '0.2')).toBe('0.3');
    expect(addDec('50000.5', '-0.5')).toBe('50000');
    expect(addDec('-0.0001', '0.0001')).toBe('0');
  });
  it('multiplies exactly', () => {
    expect(mulDec('0.0001', '3')).toBe('0.0003');
    expect(mulDec('1.08', '100000')).toBe('108000');
  });
  it('checks tick alignment', () => {
    expect(onTick('50000.5', '0.5')).toBe(true);
    expect(onTick('50000.25', '0.5')).toBe(false);
    expect(onTick('0.0000123', '0.0000001')).toBe(true);
    expect(onTick('0.00001234', '0.0000001')).toBe(false);
    expect(onTick('1', '0')).toBe(false);
  });
  it('quantizes half away from zero', () => {
    expect(quantize('50000.74', '0.5')).toBe('50000.5');
    expect(quantize('50000.75', '0.5')).toBe('50001');
    expect(quantize('-1.25', '0.5')).toBe('-1.5');
    expect(quantize('0.000012345', '0.0000001')).toBe('0.0000123');
  });
  it('compares and converts ticks', () => {
    expect(compareDec('0.10', '0.1')).toBe(0);
    expect(compareDec('2', '10')).toBe(-1);
    expect(ticksToDec(108000, '0.00001')).toBe('1.08');
    expect(tickDigits('0.0000001')).toBe(7);
    expect(isDecimal('1e5')).toBe(false);
    expect(isDecimal('12.50')).toBe(true);
  });
});

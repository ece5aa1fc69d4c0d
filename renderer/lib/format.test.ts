import { describe, expect, it } from 'vitest';
import { changeText, formatPrice, formatVolume, legendText, priceFormatOf } from './format.js';

describe('price format from the market tick', () => {
  it('takes digits and min move from the tick', () => {
    expect(priceFormatOf('0.5')).toEqual({ digits: 1, minMove: 0.5 });
    expect(priceFormatOf('0.0001')).toEqual({ digits: 4, minMove: 0.0001 });
    expect(priceFormatOf('1')).toEqual({ digits: 0, minMove: 1 });
    expect(priceFormatOf(null)).toEqual({ digits: 2, minMove: 0.01 });
    expect(priceFormatOf('junk')).toEqual({ digits: 2, minMove: 0.01 });
  });

  it('formats prices with those digits', () => {
    expect(formatPrice(50_000.5, 1)).toBe('50000.5');
    expect(formatPrice(1.08, 5)).toBe('1.08000');
    expect(formatPrice(NaN, 2)).toBe('-');
  });
});

describe('formatVolume', () => {
  it('is compact for large and precise for small volumes', () => {
    expect(formatVolume(0)).toBe('0');
    expect(formatVolume(0.00012)).toBe('0.00012');
    expect(formatVolume(3.25)).toBe('3.25');
    expect(formatVolume(512.34)).toBe('512.3');
    expect(formatVolume(12_345)).toBe('12.35K');
    expect(formatVolume(2_500_000)).toBe('2.5M');
    expect(formatVolume(7e9)).toBe('7B');
  });
});

describe('legendText', () => {
  it('reads O H L C V', () => {
    const bar = { index: 1, time: 0, open: 50_000, high: 50_010.5, low: 49_990, close: 50_001, volume: 1.5 };
    expect(legendText(bar, 1)).toBe('O 50000.0 H 50010.5 L 49990.0 C 50001.0 V 1.5');
    expect(legendText(null, 2)).toBe('O - H - L - C - V -');
  });

  it('shows the change of the bar', () => {
    expect(changeText({ index: 0, time: 0, open: 100, high: 0, low: 0, close: 101.5, volume: 0 })).toBe('+1.50%');
    expect(changeText({ index: 0, time: 0, open: 100, high: 0, low: 0, close: 99, volume: 0 })).toBe('-1.00%');
    expect(changeText(null)).toBe('');
  });
});

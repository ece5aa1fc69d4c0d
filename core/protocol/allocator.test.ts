import { describe, expect, it } from 'vitest';
import { makeAllocator, nextOrder, orderSlots, slotsUsed, withLimit, withSlots, type Holding } from './allocator.js';
import { parseAmount } from './amount.js';

const flat: Holding = { size: '0', ppu: '0' };
const long = (size: string, ppu = '10'): Holding => ({ size, ppu });

describe('parseAmount (limits as typed)', () => {
  it('reads k/M/B exactly', () => {
    expect(parseAmount('10k')).toBe('10000');
    expect(parseAmount('1.5M')).toBe('1500000');
    expect(parseAmount('2B')).toBe('2000000000');
    expect(parseAmount('1.2345k')).toBe('1234.5');
    expect(parseAmount('2.5m')).toBe('2500000');
    expect(parseAmount(' 400 ')).toBe('400');
    expect(parseAmount('0.5')).toBe('0.5');
    expect(parseAmount('007')).toBe('7');
  });

  it('rejects garbage, naming it', () => {
    for (const bad of ['', 'abc', 'k', '10kk', '10x', '1e3', '-5k', '1.5 M', '1,000', '.5', 'NaN', '$10']) {
      expect(() => parseAmount(bad, 'limit')).toThrow(`limit ${JSON.stringify(bad)} is not a number`);
    }
  });

  it('rejects zero', () => {
    expect(() => parseAmount('0k', 'limit')).toThrow('limit must be > 0, got "0k"');
    expect(() => parseAmount('0.000')).toThrow(/must be > 0/);
  });
});

describe('allocator settings', () => {
  it('never lets the limit go below the current position, naming both numbers', () => {
    const a = makeAllocator({ sizeUnit: 'units', limit: '400', slots: 4 });
    expect(() => withLimit(a, '100', long('150'))).toThrow('limit 100 is below the current position size 150 (units)');
    expect(() => withLimit(a, '100', long('-150'))).toThrow('limit 100 is below the current position size 150 (units)');
    expect(withLimit(a, '150', long('-150')).limit).toBe('150');

    const c = makeAllocator({ sizeUnit: 'currency', limit: '1M', slots: 4 });
    expect(() => withLimit(c, '100k', { size: '-2', ppu: '50000.5' })).toThrow(
      'limit 100000 is below the current position value |size * ppu| 100001 (currency)',
    );
    expect(() => makeAllocator({ sizeUnit: 'units', limit: '1', slots: 4 }, long('2'))).toThrow(/below/);
  });

  it('refuses a zero limit, bad slots and unknown units', () => {
    expect(() => makeAllocator({ sizeUnit: 'units', limit: '0', slots: 4 })).toThrow('limit must be > 0');
    expect(() => makeAllocator({ sizeUnit: 'units', limit: '10', slots: 0 })).toThrow(/slots must be a whole number >= 1/);
    expect(() => makeAllocator({ sizeUnit: 'units', limit: '10', slots: 2.5 })).toThrow(/slots/);
    expect(() => makeAllocator({ sizeUnit: 'units', limit: '10', slots: 'x' })).toThrow(/slots/);
    expect(() => makeAllocator({ sizeUnit: 'lots' as never, limit: '10', slots: 1 })).toThrow(/size unit/);
    expect(withSlots(makeAllocator({ sizeUnit: 'units', limit: '10', slots: 1 }), '6').slots).toBe(6);
  });

  it('counts slots used: |size| per slot in units, |size * ppu| in currency', () => {
    const u = makeAllocator({ sizeUnit: 'units', limit: '400', slots: 4 });
    expect(slotsUsed(u, long('-250'))).toBe('2.5');
    expect(slotsUsed(u, flat)).toBe('0');
    const c = makeAllocator({ sizeUnit: 'currency', limit: '10k', slots: 4 });
    expect(slotsUsed(c, { size: '0.15', ppu: '50000' })).toBe('3');
    expect(slotsUsed(c, { size: '0.1', ppu: '33333.3' })).toBe('1.33'); // 1.333332
  });
});

describe('units sizing', () => {
  const a = makeAllocator({ sizeUnit: 'units', limit: '400', slots: 4 });
  const req = (side: 'buy' | 'sell', position: Holding, startupSize?: string) => ({ side, price: '10', sizeTick: '1', position, startupSize });

  it('enters one slot at a time until the limit', () => {
    expect(nextOrder(a, req('buy', flat))).toEqual({ kind: 'entry', size: '100', notional: '1000', slots: '1' });
    expect(nextOrder(a, req('sell', flat))).toMatchObject({ kind: 'entry', size: '100' });
    expect(nextOrder(a, req('buy', long('300')))).toMatchObject({ size: '100', slots: '1' });
  });

  it('makes the last entry smaller than a slot, then zero at the limit', () => {
    expect(nextOrder(a, req('buy', long('350')))).toEqual({ kind: 'entry', size: '50', notional: '500', slots: '0.5' });
    expect(nextOrder(a, req('buy', long('400'))).size).toBe('0');
    expect(nextOrder(a, req('sell', long('-400'))).size).toBe('0');
  });

  it('exits a slot at a time and the whole position below 1.5 slots', () => {
    expect(nextOrder(a, req('sell', long('350')))).toEqual({ kind: 'exit', size: '100', notional: '1000', slots: '1' });
    expect(nextOrder(a, req('sell', long('150'))).size).toBe('100'); // exactly 1.5 slots: not yet
    expect(nextOrder(a, req('sell', long('149')))).toEqual({ kind: 'exit', size: '149', notional: '1490', slots: '1.49' });
    expect(nextOrder(a, req('buy', long('-120'))).size).toBe('120');
    expect(nextOrder(a, req('sell', long('30'))).size).toBe('30');
  });

  it('slices a position bigger than the limit by its startup size', () => {
    expect(nextOrder(a, req('sell', long('1000'))).size).toBe('250');
    expect(nextOrder(a, req('sell', long('500'), '1000')).size).toBe('250');
    expect(nextOrder(a, req('sell', long('370'), '1000')).size).toBe('370'); // < 1.5 * 250
  });

  it('rounds fractional slots down to the size tick, and exits leave no dust', () => {
    const btc = makeAllocator({ sizeUnit: 'units', limit: '1', slots: 3 });
    const r = (side: 'buy' | 'sell', size: string) => ({ side, price: '50000.5', sizeTick: '0.001', position: long(size, '50000') });
    expect(nextOrder(btc, r('buy', '0'))).toEqual({ kind: 'entry', size: '0.333', notional: '16650.1665', slots: '1' });
    expect(nextOrder(btc, r('buy', '0.999')).size).toBe('0.001');
    expect(nextOrder(btc, r('sell', '1')).size).toBe('0.333');
    expect(nextOrder(btc, r('sell', '0.667')).size).toBe('0.333');
    expect(nextOrder(btc, r('sell', '0.334')).size).toBe('0.334');
  });

  it('exits one tick when a slot is finer than the tick', () => {
    const a2 = makeAllocator({ sizeUnit: 'units', limit: '3', slots: 6 });
    expect(nextOrder(a2, { side: 'sell', price: '10', sizeTick: '1', position: long('3') }).size).toBe('1');
    expect(nextOrder(a2, { side: 'buy', price: '10', sizeTick: '1', position: flat }).size).toBe('0');
  });

  it('refuses a bad price or tick', () => {
    expect(() => nextOrder(a, { side: 'buy', price: '0', sizeTick: '1', position: flat })).toThrow(/price must be > 0/);
    expect(() => nextOrder(a, { side: 'buy', price: '1', sizeTick: '0', position: flat })).toThrow(/size tick/);
  });
});

describe('currency sizing', () => {
  const a = makeAllocator({ sizeUnit: 'currency', limit: '10k', slots: 4 });
  const req = (side: 'buy' | 'sell', position: Holding, price = '50000.5') => ({ side, price, sizeTick: '0.0001', position });

  it('a slot is limit/slots of money at the price, rounded down to the tick', () => {
    // 2500 / 50000.5 = 0.049999500...
    expect(nextOrder(a, req('buy', flat))).toEqual({ kind: 'entry', size: '0.0499', notional: '2495.02495', slots: '1' });
  });

  it('the last entry is what is left of the limit after the position at ppu', () => {
    expect(nextOrder(a, req('buy', { size: '0.15', ppu: '50000' })).size).toBe('0.0499');
    // 10000 - 9000 left: 1000 / 50000.5 = 0.0199998...
    expect(nextOrder(a, req('buy', { size: '0.18', ppu: '50000' }))).toEqual({
      kind: 'entry',
      size: '0.0199',
      notional: '995.00995',
      slots: '0.4',
    });
    expect(nextOrder(a, req('sell', { size: '-0.2', ppu: '50000' })).size).toBe('0');
  });

  it('exits in slots valued at ppu, whatever the price now', () => {
    expect(nextOrder(a, req('sell', { size: '0.2', ppu: '50000' }, '60000'))).toEqual({
      kind: 'exit',
      size: '0.05',
      notional: '3000',
      slots: '1.2',
    });
    expect(nextOrder(a, req('sell', { size: '0.07', ppu: '50000' })).size).toBe('0.07');
    expect(nextOrder(a, req('buy', { size: '-0.12', ppu: '50000' })).size).toBe('0.05');
  });

  it('tiny prices: whole units of a 0.00001234 coin', () => {
    const small = makeAllocator({ sizeUnit: 'currency', limit: '1k', slots: 4 });
    const r = nextOrder(small, { side: 'buy', price: '0.00001234', sizeTick: '1', position: flat });
    expect(r).toEqual({ kind: 'entry', size: '20259319', notional: '249.99999646', slots: '1' });
  });
});

describe('venue minimums (MktPair minSize / minNotional, as order mode passes them)', () => {
  const XBT = { sizeTick: '0.0001', minSize: '0.0001', minNotional: '5' };
  const ES = { sizeTick: '1', minSize: '1', minNotional: '0' };
  const EUR = { sizeTick: '1', minSize: '1000', minNotional: '1000' };
  const PEPE = { sizeTick: '1000', minSize: '100000', minNotional: '1' };
  const five = makeAllocator({ sizeUnit: 'currency', limit: '5k', slots: 4 });
  const entry = (a: ReturnType<typeof makeAllocator>, price: string, rules: typeof XBT, position: Holding = flat) =>
    nextOrder(a, { side: 'buy', price, position, ...rules }).size;

  it('a currency slot is limit/slots divided by the price, down to the size tick', () => {
    expect(entry(five, '50000', XBT)).toBe('0.025'); // 1250 / 50000
    expect(entry(five, '50001.5', XBT)).toBe('0.0249'); // 0.024998...
    expect(entry(five, '1.08', EUR)).toBe('1157'); // 1157.4
    expect(entry(five, '0.0001', PEPE)).toBe('12500000');
    expect(entry(five, '0.00012345', PEPE)).toBe('10125000'); // 10,125,557.3 down to the 1000 tick
    expect(entry(makeAllocator({ sizeUnit: 'units', limit: '1', slots: 3 }), '50000', XBT)).toBe('0.3333');
  });

  it('lifts a slot smaller than the venue takes to its minimum while the limit has room', () => {
    expect(entry(five, '6000', ES)).toBe('1'); // 1250 / 6000 = 0.2 of a contract
    const tiny = makeAllocator({ sizeUnit: 'currency', limit: '1', slots: 4 });
    expect(entry(tiny, '50000', XBT)).toBe('0.0001');
    expect(entry(tiny, '100', XBT)).toBe('0.05'); // 0.0001 at 100 is 0.01 of notional; 5 needs 0.05
    expect(entry(makeAllocator({ sizeUnit: 'currency', limit: '100', slots: 4 }), '1.08', EUR)).toBe('1000');
    // No room left: nothing, minimum or not.
    expect(entry(five, '6000', ES, { size: '1', ppu: '6000' })).toBe('0');
  });

  it('lifts an exit to the minimum, never past the position', () => {
    const a = makeAllocator({ sizeUnit: 'units', limit: '10000', slots: 4 });
    const exit = (held: string) => nextOrder(a, { side: 'sell', price: '1.08', position: long(held, '1.07'), ...EUR }).size;
    expect(exit('8000')).toBe('2500');
    const small = makeAllocator({ sizeUnit: 'units', limit: '2000', slots: 4 });
    expect(nextOrder(small, { side: 'sell', price: '1.08', position: long('2000', '1.07'), ...EUR }).size).toBe('1000'); // 500 lifted
    expect(nextOrder(small, { side: 'sell', price: '1.08', position: long('700', '1.07'), ...EUR }).size).toBe('700');
  });

  it('the slots of an order line, at its price', () => {
    expect(orderSlots(five, '0.025', '50000')).toBe('1');
    expect(orderSlots(five, '0.0249', '50001.5')).toBe('1');
    expect(orderSlots(makeAllocator({ sizeUnit: 'units', limit: '1', slots: 4 }), '0.3', '50000')).toBe('1.2');
    expect(orderSlots(five, '-0.05', '50000', 2)).toBe('2');
  });
});

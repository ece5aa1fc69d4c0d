import { describe, expect, it } from 'vitest';
import { BookSide, type Resting } from './book.js';
import { divRound, floatOnTick, ticksOf } from './exact.js';

interface O extends Resting {
  id: number;
  done?: boolean;
}

describe('BookSide', () => {
  it('keeps buys best (highest) first and sells lowest first, FIFO at a price', () => {
    const buys = new BookSide<O>('buy');
    const sells = new BookSide<O>('sell');
    [5n, 7n, 5n, 9n, 6n].forEach((key, i) => {
      buys.insert({ key, seq: i, id: i });
      sells.insert({ key, seq: i, id: i });
    });
    expect(buys.orders().map((o) => o.id)).toEqual([3, 1, 4, 0, 2]);
    expect(sells.orders().map((o) => o.id)).toEqual([0, 2, 4, 1, 3]);
    const third = buys.orders()[2]!;
    expect(buys.remove(third)).toBe(true);
    expect(buys.remove(third)).toBe(false);
    expect(buys.orders().map((o) => o.id)).toEqual([3, 1, 0, 2]);
  });

  it('visits only the crossed orders: a quote away from 10,000 resting orders touches none', () => {
    const buys = new BookSide<O>('buy');
    for (let i = 0; i < 10_000; i++) buys.insert({ key: BigInt(1000 + (i % 500)), seq: i, id: i });
    let visits = 0;
    buys.match(1500n, () => (visits++, true), () => false);
    expect(visits).toBe(0);
    buys.match(1499n, () => (visits++, true), () => false);
    expect(visits).toBe(20);
  });

  it('drops the finished prefix after a match, keeping a partly filled order', () => {
    const sells = new BookSide<O>('sell');
    for (let i = 0; i < 4; i++) sells.insert({ key: BigInt(10 + i), seq: i, id: i });
    sells.match(
      12n,
      (o) => {
        if (o.id < 2) o.done = true;
        return o.id < 2;
      },
      (o) => !!o.done,
    );
    expect(sells.orders().map((o) => o.id)).toEqual([2, 3]);
  });
});

describe('exact conversions', () => {
  it('puts float quotes on the tick without float error', () => {
    expect(floatOnTick(1.0800000000000001, '0.00001')).toBe('1.08');
    expect(floatOnTick(0.1 + 0.2, '0.001')).toBe('0.3');
    expect(floatOnTick(5e-8, '0.00000001')).toBe('0.00000005');
    expect(floatOnTick(50000.5, '0.5')).toBe('50000.5');
    expect(floatOnTick(123456000, '1000')).toBe('123456000');
    expect(floatOnTick(NaN, '0.01')).toBeNull();
    expect(floatOnTick(-1, '0.01')).toBeNull();
    expect(ticksOf('1.08', '0.00001')).toBe(108000n);
    expect(ticksOf('123456000', '1000')).toBe(123456n);
  });

  it('divides with half-away-from-zero rounding at a given scale', () => {
    expect(divRound('302', '3', 4)).toBe('100.6667');
    expect(divRound('1', '8', 2)).toBe('0.13');
    expect(divRound('-1', '8', 2)).toBe('-0.13');
    expect(divRound('0.3', '0.1', 0)).toBe('3');
  });
});

import { describe, expect, it } from 'vitest';
import type { Clear } from './clear.js';
import { markFor, pnlPercent, unrealizedPnl } from './pnl.js';
import { PositionBook, positionFromClears } from './position.js';

const paper = { broker: 'sim', account: 'paper', fqme: 'xbtusd.spot.sim' };
const live = { broker: 'sim', account: 'live', fqme: 'xbtusd.spot.sim' };
const eth = { broker: 'sim', account: 'paper', fqme: 'ethusd.spot.sim' };
const clear = (tid: string, time: number, size: string, price: string, fee = '0'): Clear => ({ tid, time, price, size, fee });

describe('PositionBook', () => {
  it('books a tid once per account, and separately per account', () => {
    const book = new PositionBook();
    expect(book.add(paper, clear('a', 1, '1', '100'))).toBe(true);
    expect(book.add(paper, clear('a', 1, '1', '100'))).toBe(false);
    expect(book.add(live, clear('a', 1, '2', '100'))).toBe(true);
    expect(book.get(paper)!.size).toBe('1');
    expect(book.get(live)!.size).toBe('2');
  });

  it('keeps fqmes apart and lists positions in a stable order', () => {
    const book = new PositionBook();
    book.add(eth, clear('e1', 1, '-3', '2000'));
    book.add(paper, clear('b1', 2, '0.5', '50000.5'));
    expect(book.all().map((p) => [p.account, p.fqme, p.size])).toEqual([
      ['paper', 'ethusd.spot.sim', '-3'],
      ['paper', 'xbtusd.spot.sim', '0.5'],
    ]);
    expect(book.clears(eth).map((c) => c.tid)).toEqual(['e1']);
  });

  it('matches a fold from scratch when fills arrive in order', () => {
    const clears = [clear('1', 1, '10', '100', '1'), clear('2', 2, '5', '103', '0.5'), clear('3', 3, '-12', '99', '1.2')];
    const book = new PositionBook();
    for (const c of clears) book.add(paper, c);
    expect(book.get(paper)).toEqual(positionFromClears(paper, clears));
  });

  it('refuses an invalid clear without booking its tid', () => {
    const book = new PositionBook();
    expect(() => book.add(paper, clear('z', 1, '0', '100'))).toThrow('clear "z" for sim/paper/xbtusd.spot.sim: size must not be zero');
    expect(() => book.add(paper, clear('z', 1, '1', '0'))).toThrow(/price must be > 0/);
    expect(book.add(paper, clear('z', 1, '1', '100'))).toBe(true);
  });

  it('re-folds in time order when a late fill arrives', () => {
    const book = new PositionBook();
    book.add(paper, clear('1', 1, '10', '100'));
    book.add(paper, clear('3', 3, '-10', '130'));
    expect(book.get(paper)).toMatchObject({ size: '0', realizedPnl: '300' });
    book.add(paper, clear('2', 2, '10', '120'));
    expect(book.get(paper)).toMatchObject({ size: '10', ppu: '110', realizedPnl: '200', clears: 3, lastClearTime: 3 });
  });
});

describe('unrealized PnL', () => {
  const long = { size: '2', ppu: '101' };
  const short = { size: '-3', ppu: '49.8' };

  it('marks a long at the bid and a short at the ask, else at the last price', () => {
    const q = { bid: '99', ask: '101', last: '100' };
    expect(markFor('2', q)).toBe('99');
    expect(markFor('-2', q)).toBe('101');
    expect(markFor('0', q)).toBe('100');
    expect(markFor('2', { last: '100' })).toBe('100');
    expect(markFor('-2', { bid: '99' })).toBeNull();
  });

  it('is (mark - ppu) * size for either side', () => {
    expect(unrealizedPnl(long, '110')).toBe('18');
    expect(unrealizedPnl(long, '100')).toBe('-2');
    expect(unrealizedPnl(short, '49')).toBe('2.4');
    expect(unrealizedPnl(short, '51')).toBe('-3.6');
    expect(unrealizedPnl({ size: '0', ppu: '0' }, '51')).toBe('0');
  });

  it('PnL% = sign * (mark - ppu) / ppu, in percent', () => {
    expect(pnlPercent({ size: '1', ppu: '100' }, '110')).toBe('10');
    expect(pnlPercent({ size: '-1', ppu: '100' }, '110')).toBe('-10');
    expect(pnlPercent(short, '49')).toBe('1.61'); // 0.8 / 49.8 = 1.606...%
    expect(pnlPercent({ size: '1', ppu: '3' }, '4', 4)).toBe('33.3333');
    expect(pnlPercent({ size: '0', ppu: '0' }, '4')).toBeNull();
  });
});

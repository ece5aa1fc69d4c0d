import { describe, expect, it } from 'vitest';
import { formatLedger } from './format.js';
import type { LedgerEntry } from './ledger-lines.js';
import { PositionBook } from './position.js';

const T0 = Date.UTC(2026, 0, 5, 14, 30);
const clears: LedgerEntry[] = [
  { tid: 'f-2', time: T0 + 60_000, fqme: 'xbtusd.spot.sim', size: '-0.25', price: '50100.5', fee: '6.25' },
  { tid: 'f-1', time: T0, fqme: 'xbtusd.spot.sim', size: '0.5', price: '50000.5', fee: '12.5' },
  { tid: 'f-3', time: T0 + 120_000, fqme: 'pepeusd.spot.sim', size: '1000000', price: '0.00001234', fee: '0.01' },
  { tid: 'f-4', time: T0 + 180_000, fqme: 'ethusd.spot.sim', size: '1', price: '2000', fee: '0' },
  { tid: 'f-5', time: T0 + 240_000, fqme: 'ethusd.spot.sim', size: '2', price: '2001', fee: '0' },
  { tid: 'f-6', time: T0 + 300_000, fqme: 'ethusd.spot.sim', size: '-3', price: '1990', fee: '0' },
  { tid: 'f-7', time: T0 + 360_000, fqme: 'pepeusd.spot.sim', size: '2000000', price: '0.00001235', fee: '0' },
];

function positionsOf(list: LedgerEntry[]) {
  const book = new PositionBook();
  for (const c of list) book.add({ broker: 'sim', account: 'paper', fqme: c.fqme }, c);
  return book.all();
}

describe('formatLedger', () => {
  it('prints positions then trades in time order, numbers right-aligned', () => {
    // ethusd's ppu is 2000.666...667 (18 digits), so its PnL is -32.000000000000000001 in the books; the table
    // shows prices' digits + 4. pepeusd's ppu 0.0000123533333... likewise.
    expect(formatLedger(positionsOf(clears), clears)).toBe(
      [
        'POSITIONS',
        'FQME                 SIZE             PPU  REALIZED PNL   FEES  CLEARS',
        'ethusd.spot.sim         0               -           -32      0       3',
        'pepeusd.spot.sim  3000000  0.000012353333             0   0.01       2',
        'xbtusd.spot.sim      0.25         50050.5          12.5  18.75       2',
        '',
        'TRADES',
        'TIME                      TID  FQME              SIDE     SIZE       PRICE   FEE',
        '2026-01-05T14:30:00.000Z  f-1  xbtusd.spot.sim   buy       0.5     50000.5  12.5',
        '2026-01-05T14:31:00.000Z  f-2  xbtusd.spot.sim   sell     0.25     50100.5  6.25',
        '2026-01-05T14:32:00.000Z  f-3  pepeusd.spot.sim  buy   1000000  0.00001234  0.01',
        '2026-01-05T14:33:00.000Z  f-4  ethusd.spot.sim   buy         1        2000     0',
        '2026-01-05T14:34:00.000Z  f-5  ethusd.spot.sim   buy         2        2001     0',
        '2026-01-05T14:35:00.000Z  f-6  ethusd.spot.sim   sell        3        1990     0',
        '2026-01-05T14:36:00.000Z  f-7  pepeusd.spot.sim  buy   2000000  0.00001235     0',
      ].join('\n'),
    );
    const eth = positionsOf(clears).find((p) => p.fqme === 'ethusd.spot.sim')!;
    expect(eth.realizedPnl).toBe('-32.000000000000000001');
  });

  it('says so when there is nothing', () => {
    expect(formatLedger([], [])).toBe('POSITIONS\nno positions\n\nTRADES\nno trades');
  });
});

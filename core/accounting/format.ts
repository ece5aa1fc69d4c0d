import { absDec, roundDec, signDec, toScaled } from '../protocol/decimal.js';
import type { LedgerEntry } from './ledger-lines.js';
import type { Position } from './position.js';
import { PPU_SCALE } from './ppu.js';

/**
 * The text of `candlewick ledger <account>`: positions (size, ppu, realized PnL, fees), then every trade in time
 * order. ppu and PnL are kept to 18 digits; here they are shown to 4 digits finer than the market's prices,
 * enough to read, while the ledger file keeps the exact values.
 */
export function formatLedger(positions: readonly Position[], clears: readonly LedgerEntry[]): string {
  const digits = new Map<string, number>();
  for (const c of clears) digits.set(c.fqme, Math.max(digits.get(c.fqme) ?? 2, toScaled(c.price).scale));
  const shown = (fqme: string, v: string) => roundDec(v, Math.min((digits.get(fqme) ?? 2) + 4, PPU_SCALE));

  const posRows = [...positions]
    .sort((a, b) => a.fqme.localeCompare(b.fqme))
    .map((p) => [
      p.fqme,
      p.size,
      signDec(p.size) === 0 ? '-' : shown(p.fqme, p.ppu),
      shown(p.fqme, p.realizedPnl),
      p.feesPaid,
      String(p.clears),
    ]);
  const tradeRows = [...clears]
    .sort((a, b) => a.time - b.time)
    .map((c) => {
      const side = signDec(c.size) > 0 ? 'buy' : 'sell';
      return [new Date(c.time).toISOString(), c.tid, c.fqme, side, absDec(c.size), c.price, c.fee];
    });

  return [
    'POSITIONS',
    posRows.length ? table(['FQME', 'SIZE', 'PPU', 'REALIZED PNL', 'FEES', 'CLEARS'], posRows, 1) : 'no positions',
    '',
    'TRADES',
    tradeRows.length ? table(['TIME', 'TID', 'FQME', 'SIDE', 'SIZE', 'PRICE', 'FEE'], tradeRows, 4) : 'no trades',
  ].join('\n');
}

/** Columns from `firstNumeric` on are right-aligned so digits line up. */
function table(head: string[], rows: string[][], firstNumeric: number): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r.map((cell, i) => (i >= firstNumeric ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

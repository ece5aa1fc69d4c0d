import { compareDec, divDec, mulDec, signDec, subDec, tickDigits } from '../../core/protocol/decimal.js';
import type { Order } from '../../core/protocol/orders.js';

/** 1234567.891 -> "1,234,567.89" (exact: the decimal string is rounded, never a float). */
export function money(v: string, digits = 2): string {
  const r = divDec(v, '1', digits, 'half-up');
  const neg = r.startsWith('-');
  const [int, frac = ''] = (neg ? r.slice(1) : r).split('.');
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${grouped}${digits > 0 ? `.${frac.padEnd(digits, '0')}` : ''}`;
}

/** An order line's label: `{account}: {size}u ~ ${notional}` (+ ` {slots}x`), or `alert => {price}`. */
export function orderLabel(o: Pick<Order, 'action' | 'account' | 'size' | 'price'>, slots?: string | null): string {
  if (o.action === 'alert') return `alert => ${o.price}`;
  const base = `${o.account}: ${o.size}u ~ $${money(mulDec(o.size, o.price))}`;
  return slots ? `${base} ${slots}x` : base;
}

/** Unrealized PnL of a position at `last`: size * (last - ppu), exact, in the quote currency. */
export function unrealizedPnl(size: string, ppu: string, last: string): string {
  return mulDec(size, subDec(last, ppu));
}

/** The same as a percentage of the entry (signed by the position's side), 2 digits; null at ppu 0. */
export function pnlPercent(size: string, ppu: string, last: string): string | null {
  if (signDec(ppu) === 0 || signDec(size) === 0) return null;
  const pct = divDec(mulDec(subDec(last, ppu), '100'), ppu, 2, 'half-up');
  return signDec(size) < 0 ? mulDec(pct, '-1') : pct;
}

/** "+12.5" / "-3" / "0": a signed figure for display. */
export function signed(v: string): string {
  return compareDec(v, '0') > 0 ? `+${v}` : v;
}

/** A signed amount of money: "+1,234.50", "-0.25", "0.00". */
export function signedMoney(v: string, digits = 2): string {
  const m = money(v, digits);
  return compareDec(v, '0') > 0 && !/^0\.?0*$/.test(m) ? `+${m}` : m;
}

/** An average price (ppu: a quotient, often long) for display: two digits past the tick's. */
export function avgPrice(v: string, tick: string | null): string {
  return divDec(v, '1', (tick ? tickDigits(tick) : 6) + 2, 'half-even');
}

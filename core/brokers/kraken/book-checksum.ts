import { crc32 } from '../../clearing/journal/crc32.js';
import { compareDec } from '../../protocol/decimal.js';

/**
 * Kraken's v2 book checksum (K4): CRC32 (IEEE) over the top 10 asks (lowest first) then the top 10 bids
 * (highest first), each level as price then qty with the '.' removed and leading zeros stripped. The digits must
 * be those of the pair's precision (`price_precision`, `qty_precision`): the wire drops trailing zeros of a JSON
 * number as soon as anything parses it, and "0.566" is not "0.5660". So levels are kept as exact decimal strings
 * (exact-json.ts) and re-padded here; never Number.prototype.toString().
 */
export interface BookLevel {
  price: string;
  qty: string;
}

export interface Precision {
  price: number;
  qty: number;
}

/** `value` written with exactly `digits` fraction digits (padding zeros; extra digits are kept as sent). */
export function atPrecision(value: string, digits: number): string {
  const dot = value.indexOf('.');
  const int = dot < 0 ? value : value.slice(0, dot);
  let frac = dot < 0 ? '' : value.slice(dot + 1);
  if (frac.length < digits) frac = frac.padEnd(digits, '0');
  else if (frac.length > digits && /^0*$/.test(frac.slice(digits))) frac = frac.slice(0, digits);
  return frac.length ? `${int}.${frac}` : int;
}

function levelDigits(v: string, digits: number): string {
  return atPrecision(v, digits).replace('.', '').replace(/^0+/, '');
}

const encoder = new TextEncoder();

export function bookChecksum(asks: readonly BookLevel[], bids: readonly BookLevel[], p: Precision): number {
  let s = '';
  for (const side of [asks, bids]) {
    for (let i = 0; i < Math.min(10, side.length); i++) {
      const l = side[i]!;
      s += levelDigits(l.price, p.price) + levelDigits(l.qty, p.qty);
    }
  }
  return crc32(encoder.encode(s));
}

/**
 * A small L2 book (default depth 10) maintained per K4: apply every level of a message in order (qty 0 deletes),
 * truncate to the subscribed depth (no deletes are sent for levels pushed out of scope), then compare checksums.
 * On a mismatch the owner resubscribes for a fresh snapshot.
 */
export class KrakenBook {
  asks: BookLevel[] = [];
  bids: BookLevel[] = [];

  constructor(
    readonly precision: Precision,
    readonly depth = 10,
  ) {}

  snapshot(asks: readonly BookLevel[], bids: readonly BookLevel[]): void {
    this.asks = [];
    this.bids = [];
    this.update(asks, bids);
  }

  update(asks: readonly BookLevel[], bids: readonly BookLevel[]): void {
    for (const l of asks) apply(this.asks, l, 1);
    for (const l of bids) apply(this.bids, l, -1);
    this.asks.length = Math.min(this.asks.length, this.depth);
    this.bids.length = Math.min(this.bids.length, this.depth);
  }

  checksum(): number {
    return bookChecksum(this.asks, this.bids, this.precision);
  }

  /** True when the venue's checksum matches this book. */
  verify(expected: number): boolean {
    return this.checksum() === expected >>> 0;
  }
}

/** Inserts, replaces or (qty 0) deletes a level; `dir` 1 keeps the side ascending (asks), -1 descending (bids). */
function apply(side: BookLevel[], l: BookLevel, dir: 1 | -1): void {
  let i = 0;
  while (i < side.length && compareDec(side[i]!.price, l.price) * dir < 0) i++;
  const same = i < side.length && compareDec(side[i]!.price, l.price) === 0;
  const remove = compareDec(l.qty, '0') === 0;
  if (same) {
    if (remove) side.splice(i, 1);
    else side[i] = l;
  } else if (!remove) side.splice(i, 0, l);
}

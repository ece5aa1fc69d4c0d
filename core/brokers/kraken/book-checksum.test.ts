import { describe, expect, it } from 'vitest';
import { atPrecision, bookChecksum, KrakenBook } from './book-checksum.js';
import { decimal, parseExact } from './exact-json.js';

// The documented MATIC/USD snapshot and update (K4), as the wire carries them (numbers, engine precision lost in print).
const SNAPSHOT = `{"channel":"book","type":"snapshot","data":[{"symbol":"MATIC/USD","bids":[
{"price":0.5666,"qty":4831.75496356},{"price":0.5665,"qty":6658.22734739},{"price":0.5664,"qty":18724.91513344},
{"price":0.5663,"qty":11563.92544914},{"price":0.5662,"qty":14006.65365711},{"price":0.5661,"qty":17454.85679807},
{"price":0.566,"qty":18097.1547},{"price":0.5659,"qty":33644.89175666},{"price":0.5658,"qty":148.3464},
{"price":0.5657,"qty":606.70854372}],"asks":[
{"price":0.5668,"qty":4410.79769741},{"price":0.5669,"qty":4655.40412487},{"price":0.567,"qty":49844.89424998},
{"price":0.5671,"qty":24306.41678},{"price":0.5672,"qty":29783.25223475},{"price":0.5673,"qty":57234.71239278},
{"price":0.5674,"qty":45065.04744},{"price":0.5675,"qty":5912.76380354},{"price":0.5676,"qty":42514.92434778},
{"price":0.5677,"qty":36304.0847022}],"checksum":2439117997,"timestamp":"2023-10-06T17:35:55.440295Z"}]}`;
const UPDATE = `{"channel":"book","type":"update","data":[{"symbol":"MATIC/USD","bids":[{"price":0.5657,"qty":1098.3947558}],
"asks":[],"checksum":2114181697,"timestamp":"2023-10-06T17:35:55.440295Z"}]}`;

type Lv = { price: string; qty: string };
function book(text: string): { bids: Lv[]; asks: Lv[]; checksum: number } {
  const d = (parseExact(text) as { data: { bids: Lv[]; asks: Lv[]; checksum: string }[] }).data[0]!;
  const norm = (ls: Lv[]) => ls.map((l) => ({ price: decimal(l.price)!, qty: decimal(l.qty)! }));
  return { bids: norm(d.bids), asks: norm(d.asks), checksum: Number(d.checksum) };
}

const MATIC = { price: 4, qty: 8 };

describe('kraken v2 book checksum', () => {
  it('matches the documented snapshot checksum 2439117997 at the pair precision', () => {
    const s = book(SNAPSHOT);
    expect(s.checksum).toBe(2439117997);
    expect(bookChecksum(s.asks, s.bids, MATIC)).toBe(2439117997);
  });

  it('gives a different CRC when the numbers are used as printed (why precision matters)', () => {
    const s = book(SNAPSHOT);
    expect(bookChecksum(s.asks, s.bids, { price: 0, qty: 0 })).toBe(3830085102);
  });

  it('matches the documented 2114181697 after applying the documented update', () => {
    const b = new KrakenBook(MATIC);
    const s = book(SNAPSHOT);
    b.snapshot(s.asks, s.bids);
    expect(b.verify(s.checksum)).toBe(true);
    const u = book(UPDATE);
    b.update(u.asks, u.bids);
    expect(b.bids.at(-1)).toEqual({ price: '0.5657', qty: '1098.3947558' });
    expect(b.checksum()).toBe(2114181697);
    expect(b.verify(u.checksum)).toBe(true);
    expect(b.verify(2439117997)).toBe(false);
  });

  it('deletes on qty 0 and truncates to depth (levels pushed out get no delete)', () => {
    const b = new KrakenBook(MATIC, 3);
    b.snapshot(
      [
        { price: '2', qty: '1' },
        { price: '3', qty: '1' },
        { price: '4', qty: '1' },
      ],
      [{ price: '1', qty: '1' }],
    );
    b.update([{ price: '1.5', qty: '2' }, { price: '3', qty: '0' }], [{ price: '1.2', qty: '5' }, { price: '1.2', qty: '6' }]);
    expect(b.asks.map((l) => l.price)).toEqual(['1.5', '2', '4']);
    expect(b.bids).toEqual([
      { price: '1.2', qty: '6' },
      { price: '1', qty: '1' },
    ]);
  });

  it('pads to precision, keeps non-zero extra digits', () => {
    expect(atPrecision('0.566', 4)).toBe('0.5660');
    expect(atPrecision('18097.1547', 8)).toBe('18097.15470000');
    expect(atPrecision('40.000', 1)).toBe('40.0');
    expect(atPrecision('5', 2)).toBe('5.00');
    expect(atPrecision('0.12345', 2)).toBe('0.12345');
  });
});

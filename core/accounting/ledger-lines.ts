import { normalizeFqme } from '../protocol/fqme.js';
import { clearProblem, type Clear } from './clear.js';

/** One line of a ledger file: a clear and the market it was in. */
export interface LedgerEntry extends Clear {
  fqme: string;
}

/**
 * One JSON object per line, keys in a fixed order so files diff and read well:
 *   {"tid":"t-1","time":1700000000000,"fqme":"btcusdt.sim","size":"-0.5","price":"50000.5","fee":"1.25"}
 * Appending a line is the only write in normal operation, which is why the format is JSON lines and not one
 * TOML table (piker's) that must be rewritten whole.
 */
export function entryLine(e: LedgerEntry): string {
  const { tid, time, fqme, size, price, fee } = e;
  return JSON.stringify({ tid, time, fqme, size, price, fee }) + '\n';
}

/** A valid entry (fqme normalised), or why not. */
export function toEntry(raw: unknown): LedgerEntry | string {
  const problem = clearProblem(raw);
  if (problem) return problem;
  const r = raw as LedgerEntry;
  if (typeof r.fqme !== 'string') return 'fqme must be a string';
  let fqme: string;
  try {
    fqme = normalizeFqme(r.fqme);
  } catch (err) {
    return (err as Error).message;
  }
  return { tid: r.tid, time: r.time, fqme, size: r.size, price: r.price, fee: r.fee };
}

export interface ParsedLedger {
  /** Valid entries in file order, first occurrence of each tid. */
  entries: LedgerEntry[];
  /** Lines skipped for a reason worth telling someone: corrupt lines, conflicting duplicates, a torn tail. */
  problems: string[];
  /** Exact repeats of an already booked tid (a retried append): skipped silently. */
  duplicates: number;
  /**
   * How to make the file end on a whole line again: cut at `truncateTo` bytes (a torn write), or just append a
   * newline (the last record was whole, only its newline was lost). Null when the file is well formed.
   */
  repair: { truncateTo: number } | { appendNewline: true } | null;
}

const NL = 0x0a;

/** Reads a ledger's bytes. Never throws on content: bad lines are reported and skipped. */
export function parseLedger(bytes: Uint8Array): ParsedLedger {
  const out: ParsedLedger = { entries: [], problems: [], duplicates: 0, repair: null };
  const firstLine = new Map<string, { line: number; text: string }>();
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const end = bytes.lastIndexOf(NL) + 1; // bytes after `end` are an unterminated last line
  let start = 0;
  let line = 0;

  const take = (text: string, lineNo: number, torn: boolean): boolean => {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      if (!torn) out.problems.push(`line ${lineNo}: not JSON, skipped: ${clip(text)}`);
      return false;
    }
    const e = toEntry(raw);
    if (typeof e === 'string') {
      if (!torn) out.problems.push(`line ${lineNo}: ${e}, skipped`);
      return false;
    }
    const canonical = entryLine(e);
    const prior = firstLine.get(e.tid);
    if (prior) {
      const conflict = `line ${lineNo}: tid ${e.tid} already booked on line ${prior.line} with other values, kept the first`;
      if (prior.text === canonical) out.duplicates++;
      else out.problems.push(conflict);
      return true;
    }
    firstLine.set(e.tid, { line: lineNo, text: canonical });
    out.entries.push(e);
    return true;
  };

  while (start < end) {
    const stop = bytes.indexOf(NL, start);
    line++;
    const text = decoder.decode(bytes.subarray(start, stop)).trim();
    if (text) take(text, line, false);
    start = stop + 1;
  }
  if (end < bytes.length) {
    line++;
    const text = decoder.decode(bytes.subarray(end)).trim();
    if (text && take(text, line, true)) {
      out.repair = { appendNewline: true };
    } else {
      // A crash mid-append: that write was never acknowledged (appends return after fsync), so nothing is lost.
      out.problems.push(`line ${line}: torn final line (${bytes.length - end} bytes), ignored: ${clip(text)}`);
      out.repair = { truncateTo: end };
    }
  }
  return out;
}

function clip(s: string): string {
  return JSON.stringify(s.length > 80 ? s.slice(0, 80) + '...' : s);
}

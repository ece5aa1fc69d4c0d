import { mulDec, signDec } from './decimal.js';

const SUFFIX: Record<string, string> = { k: '1000', m: '1000000', b: '1000000000' };
// Digits with an optional fraction and an optional k/M/B (any case: there is no "milli" in a size limit).
const AMOUNT = /^(\d+(?:\.\d+)?)([kmb])?$/i;

/**
 * A positive amount as a trader types it: '250', '0.5', '10k', '1.5M', '2B' (piker's `puterize`). Exact: '1.5M'
 * is '1500000', never 1499999.9999. Throws on anything else, naming the input.
 */
export function parseAmount(text: string, what = 'amount'): string {
  const m = AMOUNT.exec(String(text).trim());
  if (!m) throw new Error(`${what} ${JSON.stringify(text)} is not a number like 250, 0.5, 10k, 1.5M or 2B`);
  const value = m[2] ? mulDec(m[1]!, SUFFIX[m[2].toLowerCase()]!) : mulDec(m[1]!, '1');
  if (signDec(value) <= 0) throw new Error(`${what} must be > 0, got ${JSON.stringify(text)}`);
  return value;
}

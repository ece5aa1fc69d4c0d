/** fqme: `<pair>.<venue>[.<expiry>].<broker>`, lowercase, empty tokens dropped (piker-semantics §2). */
export interface Fqme {
  pair: string;
  venue: string;
  expiry: string | null;
  broker: string;
}

const TOKEN = /^[a-z0-9_-]+$/;

export class FqmeError extends Error {}

export function parseFqme(raw: string): Fqme {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 128) {
    throw new FqmeError(`malformed fqme ${JSON.stringify(raw)}: expected <pair>.<venue>[.<expiry>].<broker>`);
  }
  const tokens = raw.trim().toLowerCase().split('.').filter((t) => t.length > 0);
  if (tokens.length < 3 || tokens.length > 4 || !tokens.every((t) => TOKEN.test(t))) {
    throw new FqmeError(`malformed fqme ${JSON.stringify(raw)}: expected <pair>.<venue>[.<expiry>].<broker>`);
  }
  const broker = tokens[tokens.length - 1]!;
  return { pair: tokens[0]!, venue: tokens[1]!, expiry: tokens.length === 4 ? tokens[2]! : null, broker };
}

export function formatFqme(f: Fqme): string {
  return [f.pair, f.venue, f.expiry, f.broker].filter((t): t is string => !!t).join('.');
}

/** The fqme without its broker token (piker's `bs_fqme`). */
export function bsFqme(f: Fqme): string {
  return [f.pair, f.venue, f.expiry].filter((t): t is string => !!t).join('.');
}

export function normalizeFqme(raw: string): string {
  return formatFqme(parseFqme(raw));
}

import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {}

export const USAGE = `usage: candlewick <command> [options]

commands:
  serve [--port P] [--host H] [--data-dir D] [--seed N] [--sim-rate R]
                        run the host under Node: UI at http://H:P/, API at ws://H:P/api/ws
  services [--url U]    list the running services of a host
  search <pattern> [--url U] [--limit N]
                        fuzzy symbol search over every backend
  quote <fqme> [--url U] [--count N]
                        print the next N live ticks of a market
  chart <fqme> [--url U]
                        print the URL that opens <fqme> on a running host (and open it with --open)
  ledger <account> [--data-dir D] [--broker B]
                        positions and trades of an account (paper, live), read from the data dir
  history export <fqme> [--timeframe 60|1] [--format parquet|csv] [--out FILE] [--data-dir D] [--url U]
                        write a market's stored bars (time, open, high, low, close, volume) to a file
  history gaps <fqme> [--timeframe 60|1] [--data-dir D] [--url U]
                        the runs of bars the venue could not give, as recorded in the history store
  help                  this text

--url defaults to http://127.0.0.1:6116/ (the default serve port); --data-dir defaults to
$CANDLEWICK_HOME or ~/.candlewick. history reads the data dir's history file directly when no host holds it,
else asks the host at --url (its datad is the file's one writer).`;

/** parseArgs with strict flags: an unknown or malformed flag is a UsageError naming it. */
export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, positionals: number) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (parsed.positionals.length !== positionals) {
    throw new UsageError(`expected ${positionals} argument${positionals === 1 ? '' : 's'}, got ${parsed.positionals.length}`);
  }
  return parsed;
}

export function intFlag(v: string | undefined, name: string, min: number, max: number, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer in [${min}, ${max}], got '${v}'`);
  return n;
}

export function numFlag(v: string | undefined, name: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= min || n > max) throw new UsageError(`--${name} must be a number in (${min}, ${max}], got '${v}'`);
  return n;
}

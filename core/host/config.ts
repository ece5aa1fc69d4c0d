import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { SIM_DEFAULT_RATE } from '../brokers/sim/backend.js';
import { compareDec, isDecimal } from '../protocol/decimal.js';

/** config.toml in the data directory. Every key is optional; a bad value is an error that names the key. */
export interface Config {
  sim: { seed: number; rate: number };
  history: { days60: number; hours1: number };
  serve: { port: number; host: string };
  /** emsd: how far through the trigger a released dark order is priced, in ticks. */
  ems: { ticks_through: number };
  /** paperd: fee rates of notional (decimal strings; a negative maker rate is a rebate). */
  paper: { maker_fee: string; taker_fee: string };
  /** The sim exchange's live venue (behind brokerd.sim). */
  sim_venue: { ack_ms: number; cancel_ms: number; maker_fee: string; taker_fee: string; balance: string };
}

export const DEFAULT_CONFIG: Config = {
  sim: { seed: 1, rate: SIM_DEFAULT_RATE },
  history: { days60: 730, hours1: 6 },
  serve: { port: 6116, host: '127.0.0.1' },
  ems: { ticks_through: 5 },
  paper: { maker_fee: '0', taker_fee: '0' },
  sim_venue: { ack_ms: 25, cancel_ms: 25, maker_fee: '0.0002', taker_fee: '0.0005', balance: '1000000' },
};

export class ConfigError extends Error {}

type Spec = { [section: string]: { [key: string]: (v: unknown, where: string) => unknown } };

const int = (min: number, max: number) => (v: unknown, where: string) => {
  if (typeof v !== 'number' && typeof v !== 'bigint') throw new ConfigError(`${where} must be an integer in [${min}, ${max}], got ${JSON.stringify(String(v))}`);
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${where} must be an integer in [${min}, ${max}], got ${n}`);
  return n;
};
const num = (min: number, max: number) => (v: unknown, where: string) => {
  const n = typeof v === 'bigint' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= min || n > max) {
    throw new ConfigError(`${where} must be a number in (${min}, ${max}], got ${JSON.stringify(v)}`);
  }
  return n;
};
const host = (v: unknown, where: string) => {
  if (typeof v !== 'string' || !/^[a-zA-Z0-9.:-]+$/.test(v)) throw new ConfigError(`${where} must be a host name or address, got ${JSON.stringify(v)}`);
  return v;
};

const decimal = (min: string, max: string) => (v: unknown, where: string) => {
  // Fee rates and money are exact: written as strings in TOML ("0.001"), never floats.
  if (typeof v !== 'string' || !isDecimal(v) || compareDec(v, min) < 0 || compareDec(v, max) > 0) {
    throw new ConfigError(`${where} must be a decimal string in [${min}, ${max}] (quoted, e.g. "0.001"), got ${JSON.stringify(v)}`);
  }
  return v;
};

const SPEC: Spec = {
  sim: { seed: int(0, 2 ** 31 - 1), rate: num(0, 200_000) },
  history: { days60: int(1, 3650), hours1: int(1, 72) },
  serve: { port: int(0, 65535), host },
  ems: { ticks_through: int(0, 1000) },
  paper: { maker_fee: decimal('-0.01', '0.1'), taker_fee: decimal('0', '0.1') },
  sim_venue: {
    ack_ms: int(0, 60_000),
    cancel_ms: int(0, 60_000),
    maker_fee: decimal('-0.01', '0.1'),
    taker_fee: decimal('0', '0.1'),
    balance: decimal('0', '1000000000000'),
  },
};

/** Applies a parsed TOML document onto the defaults, checking every key. */
export function applyConfig(doc: Record<string, unknown>, file = 'config.toml'): Config {
  const out = structuredClone(DEFAULT_CONFIG) as unknown as Record<string, Record<string, unknown>>;
  for (const [section, body] of Object.entries(doc)) {
    const spec = SPEC[section];
    if (!spec) throw new ConfigError(`${file}: unknown section [${section}] (known: ${Object.keys(SPEC).join(', ')})`);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ConfigError(`${file}: '${section}' must be a table`);
    for (const [key, value] of Object.entries(body)) {
      const check = spec[key];
      if (!check) throw new ConfigError(`${file}: unknown key ${section}.${key} (known: ${Object.keys(spec).map((k) => `${section}.${k}`).join(', ')})`);
      out[section]![key] = check(value, `${file}: ${section}.${key}`);
    }
  }
  return out as unknown as Config;
}

export function loadConfig(dataDir: string): Config {
  const file = join(dataDir, 'config.toml');
  if (!existsSync(file)) return structuredClone(DEFAULT_CONFIG);
  let doc: Record<string, unknown>;
  try {
    doc = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new ConfigError(`${file}: not valid TOML: ${(e as Error).message.split('\n')[0]}`);
  }
  return applyConfig(doc, file);
}

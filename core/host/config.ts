import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { SIM_DEFAULT_RATE } from '../brokers/sim/backend.js';
import { compareDec, isDecimal } from '../protocol/decimal.js';
import { normalizeFqme, parseFqme } from '../protocol/fqme.js';

/** config.toml in the data directory. Every key is optional; a bad value is an error that names the key. */
export interface Config {
  sim: { seed: number; rate: number };
  /** Backfill depth per timeframe; whether the sim's (synthetic, regenerable) history is stored too. */
  history: { days60: number; hours1: number; store_sim: boolean };
  serve: { port: number; host: string };
  /**
   * emsd: how far through the trigger a released dark order is priced, in ticks; the journal size that triggers a
   * compaction, and how many finished orders stay known after it (retried submits of those stay idempotent).
   */
  ems: { ticks_through: number; compact_bytes: number; keep_finished: number };
  /** paperd: fee rates of notional (decimal strings; a negative maker rate is a rebate). */
  paper: { maker_fee: string; taker_fee: string };
  /** The sim exchange's live venue (behind brokerd.sim). */
  sim_venue: { ack_ms: number; cancel_ms: number; maker_fee: string; taker_fee: string; balance: string };
  /** Venue endpoints (point them at testnets, or tests at local fake servers) and credentials. */
  binance: VenueSection & { futures_rest_url: string; futures_ws_url: string; ws_api_url: string };
  kraken: VenueSection & { ws_auth_url: string };
  bybit: VenueSection;
  /** `"<fqme>" = "<backup fqme>"`: the backup feeds the chart while the primary is down. */
  failover: Record<string, string>;
}

export interface VenueSection {
  rest_url: string;
  ws_url: string;
  /** Credentials: brokerd only. Never passed to datad or a renderer, never logged. */
  api_key: string;
  api_secret: string;
  /** No message for this long flags the feed stale (venue-specific defaults). */
  stale_ms: number;
  reconnect_min_ms: number;
  reconnect_max_ms: number;
}

const venue = (rest: string, ws: string, staleMs: number): VenueSection => ({
  rest_url: rest,
  ws_url: ws,
  api_key: '',
  api_secret: '',
  stale_ms: staleMs,
  reconnect_min_ms: 1_000,
  reconnect_max_ms: 60_000,
});

export const DEFAULT_CONFIG: Config = {
  sim: { seed: 1, rate: SIM_DEFAULT_RATE },
  history: { days60: 730, hours1: 6, store_sim: false },
  serve: { port: 6116, host: '127.0.0.1' },
  ems: { ticks_through: 5, compact_bytes: 64 * 1024 * 1024, keep_finished: 10_000 },
  paper: { maker_fee: '0', taker_fee: '0' },
  sim_venue: { ack_ms: 25, cancel_ms: 25, maker_fee: '0.0002', taker_fee: '0.0005', balance: '1000000' },
  binance: {
    ...venue('https://api.binance.com', 'wss://stream.binance.com:9443', 10_000),
    futures_rest_url: 'https://fapi.binance.com',
    futures_ws_url: 'wss://fstream.binance.com',
    ws_api_url: 'wss://ws-api.binance.com:443/ws-api/v3',
  },
  // Kraken v2 sends a heartbeat every second on a subscribed connection.
  kraken: { ...venue('https://api.kraken.com', 'wss://ws.kraken.com/v2', 5_000), ws_auth_url: 'wss://ws-auth.kraken.com/v2' },
  bybit: venue('https://api.bybit.com', 'wss://stream.bybit.com/v5/public', 20_000),
  failover: {},
};

/** Secret-bearing keys: stripped from what datad gets, never logged. */
const SECRET_KEYS = new Set(['api_key', 'api_secret', 'api_key_enc', 'api_secret_enc']);

/** A venue's section without credentials: what its datad worker is given. */
export function venueSection(config: Config, broker: string): Record<string, string | number> {
  const section = (config as unknown as Record<string, Record<string, string | number> | undefined>)[broker];
  if (!section || !('rest_url' in section)) return {};
  return Object.fromEntries(Object.entries(section).filter(([k]) => !SECRET_KEYS.has(k)));
}

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

const bool = (v: unknown, where: string) => {
  if (typeof v !== 'boolean') throw new ConfigError(`${where} must be true or false, got ${JSON.stringify(v)}`);
  return v;
};

const decimal = (min: string, max: string) => (v: unknown, where: string) => {
  // Fee rates and money are exact: written as strings in TOML ("0.001"), never floats.
  if (typeof v !== 'string' || !isDecimal(v) || compareDec(v, min) < 0 || compareDec(v, max) > 0) {
    throw new ConfigError(`${where} must be a decimal string in [${min}, ${max}] (quoted, e.g. "0.001"), got ${JSON.stringify(v)}`);
  }
  return v;
};

const url = (schemes: string[]) => (v: unknown, where: string) => {
  let ok = false;
  if (typeof v === 'string') {
    try {
      ok = schemes.includes(new URL(v).protocol.replace(':', ''));
    } catch {
      ok = false;
    }
  }
  if (!ok) throw new ConfigError(`${where} must be a ${schemes.join(' or ')} URL, got ${JSON.stringify(v)}`);
  return (v as string).replace(/\/+$/, '');
};
const secret = (v: unknown, where: string) => {
  // The value is never echoed: a config error must not leak a key into a log.
  if (typeof v !== 'string' || !/^[\x21-\x7e]{0,512}$/.test(v)) throw new ConfigError(`${where} must be a string of printable characters (value not shown)`);
  return v;
};
const venueSpec = {
  rest_url: url(['http', 'https']),
  ws_url: url(['ws', 'wss']),
  api_key: secret,
  api_secret: secret,
  // Sealed by the Electron app (safeStorage, credentials.ts): base64, readable only there.
  api_key_enc: secret,
  api_secret_enc: secret,
  stale_ms: int(100, 600_000),
  reconnect_min_ms: int(10, 60_000),
  reconnect_max_ms: int(10, 600_000),
};

const SPEC: Spec = {
  sim: { seed: int(0, 2 ** 31 - 1), rate: num(0, 200_000) },
  history: { days60: int(1, 3650), hours1: int(1, 72), store_sim: bool },
  serve: { port: int(0, 65535), host },
  ems: { ticks_through: int(0, 1000), compact_bytes: int(4096, 2 ** 40), keep_finished: int(0, 10_000_000) },
  paper: { maker_fee: decimal('-0.01', '0.1'), taker_fee: decimal('0', '0.1') },
  sim_venue: {
    ack_ms: int(0, 60_000),
    cancel_ms: int(0, 60_000),
    maker_fee: decimal('-0.01', '0.1'),
    taker_fee: decimal('0', '0.1'),
    balance: decimal('0', '1000000000000'),
  },
  binance: { ...venueSpec, futures_rest_url: url(['http', 'https']), futures_ws_url: url(['ws', 'wss']), ws_api_url: url(['ws', 'wss']) },
  kraken: { ...venueSpec, ws_auth_url: url(['ws', 'wss']) },
  bybit: venueSpec,
};

/** [failover]: any fqme key, a backup fqme value on another broker. */
function failoverTable(body: Record<string, unknown>, file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) {
    const where = `${file}: failover."${k}"`;
    let primary: string;
    let backup: string;
    try {
      primary = normalizeFqme(k);
      backup = normalizeFqme(String(v));
    } catch (e) {
      throw new ConfigError(`${where}: ${(e as Error).message}`);
    }
    if (typeof v !== 'string') throw new ConfigError(`${where} must be a backup fqme string, got ${JSON.stringify(v)}`);
    if (parseFqme(primary).broker === parseFqme(backup).broker) throw new ConfigError(`${where}: the backup must be on another broker than the primary`);
    out[primary] = backup;
  }
  return out;
}

/** Applies a parsed TOML document onto the defaults, checking every key. */
export function applyConfig(doc: Record<string, unknown>, file = 'config.toml'): Config {
  const out = structuredClone(DEFAULT_CONFIG) as unknown as Record<string, Record<string, unknown>>;
  for (const [section, body] of Object.entries(doc)) {
    const spec = SPEC[section];
    if (!spec && section !== 'failover') throw new ConfigError(`${file}: unknown section [${section}] (known: ${[...Object.keys(SPEC), 'failover'].join(', ')})`);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ConfigError(`${file}: '${section}' must be a table`);
    if (section === 'failover') {
      out.failover = failoverTable(body as Record<string, unknown>, file);
      continue;
    }
    for (const [key, value] of Object.entries(body)) {
      const check = spec![key];
      if (!check) throw new ConfigError(`${file}: unknown key ${section}.${key} (known: ${Object.keys(spec!).map((k) => `${section}.${k}`).join(', ')})`);
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

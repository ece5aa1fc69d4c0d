import { readFileSync, writeFileSync, renameSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'smol-toml';

/** OS-backed encryption of secrets at rest: Electron's safeStorage in the app; absent under `serve`. */
export interface SecretBox {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

export interface Credentials {
  apiKey: string;
  apiSecret: string;
}

export class CredentialsError extends Error {}

const VENUES = ['binance', 'kraken'] as const;
const FIELDS = ['api_key', 'api_secret'] as const;

/**
 * Where the app can encrypt, plain keys in config.toml are sealed in place (`api_key` -> `api_key_enc`), so the
 * file never keeps them readable after the first start. Returns the venues whose keys were sealed; values are
 * never logged. Under `serve` (no SecretBox) the file is left as the user wrote it.
 */
export function sealPlainKeys(dataDir: string, box: SecretBox | null): string[] {
  const file = join(dataDir, 'config.toml');
  if (!box || !existsSync(file)) return [];
  const doc = parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>;
  const sealed: string[] = [];
  for (const venue of VENUES) {
    const section = doc[venue];
    if (!section) continue;
    for (const f of FIELDS) {
      const v = section[f];
      if (typeof v !== 'string' || v === '') continue;
      section[`${f}_enc`] = box.encrypt(v);
      delete section[f];
      if (!sealed.includes(venue)) sealed.push(venue);
    }
  }
  if (sealed.length) {
    writeFileSync(`${file}.tmp`, stringify(doc), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  }
  return sealed;
}

/** A venue's keys from its config section (plain, or sealed by the app); null when it has none. */
export function venueCredentials(section: Record<string, unknown> | undefined, venue: string, box: SecretBox | null): Credentials | null {
  if (!section) return null;
  const get = (f: (typeof FIELDS)[number]): string => {
    const plain = section[f];
    if (typeof plain === 'string' && plain !== '') return plain;
    const sealed = section[`${f}_enc`];
    if (typeof sealed !== 'string' || sealed === '') return '';
    if (!box) throw new CredentialsError(`${venue}.${f}_enc is sealed by the Candlewick app and can only be read there; under serve, set ${venue}.${f} instead`);
    try {
      return box.decrypt(sealed);
    } catch {
      throw new CredentialsError(`${venue}.${f}_enc cannot be decrypted on this machine or by this user: enter the key again as ${venue}.${f}`);
    }
  };
  const apiKey = get('api_key');
  const apiSecret = get('api_secret');
  return apiKey && apiSecret ? { apiKey, apiSecret } : null;
}

import { mkdtempSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CredentialsError, sealPlainKeys, venueCredentials, type SecretBox } from './credentials.js';
import { loadConfig } from './config.js';

/** Stands in for Electron's safeStorage (which needs the OS keychain): reversible, and visibly not plain text. */
const box: SecretBox = {
  encrypt: (s) => `sealed:${Buffer.from(s).toString('base64')}`,
  decrypt: (s) => {
    if (!s.startsWith('sealed:')) throw new Error('not ours');
    return Buffer.from(s.slice(7), 'base64').toString();
  },
};

function dataDir(toml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cw-cred-'));
  writeFileSync(join(dir, 'config.toml'), toml);
  return dir;
}

describe('credentials', () => {
  it('seals plain keys in config.toml where the app can encrypt, and reads them back', () => {
    const dir = dataDir('[binance]\napi_key = "KEY123"\napi_secret = "SECRET456"\nrest_url = "http://127.0.0.1:1"\n');
    expect(sealPlainKeys(dir, box)).toEqual(['binance']);
    const text = readFileSync(join(dir, 'config.toml'), 'utf8');
    expect(text).not.toContain('KEY123');
    expect(text).not.toContain('SECRET456');
    expect(text).toContain('api_key_enc');
    expect(text).toContain('rest_url = "http://127.0.0.1:1"');
    expect(statSync(join(dir, 'config.toml')).mode & 0o077).toBe(0);
    const config = loadConfig(dir);
    expect(venueCredentials(config.binance as unknown as Record<string, unknown>, 'binance', box)).toEqual({ apiKey: 'KEY123', apiSecret: 'SECRET456' });
  });

  it('leaves the file alone under serve (no SecretBox) and uses the plain keys', () => {
    const toml = '[kraken]\napi_key = "K"\napi_secret = "S"\n';
    const dir = dataDir(toml);
    expect(sealPlainKeys(dir, null)).toEqual([]);
    expect(readFileSync(join(dir, 'config.toml'), 'utf8')).toBe(toml);
    expect(venueCredentials(loadConfig(dir).kraken as unknown as Record<string, unknown>, 'kraken', null)).toEqual({ apiKey: 'K', apiSecret: 'S' });
  });

  it('says why sealed keys cannot be read under serve, and that no keys means no live account', () => {
    expect(() => venueCredentials({ api_key_enc: 'sealed:eA==', api_secret_enc: 'sealed:eQ==' }, 'binance', null)).toThrow(CredentialsError);
    expect(() => venueCredentials({ api_key_enc: 'garbage', api_secret_enc: 'garbage' }, 'binance', box)).toThrow(/cannot be decrypted/);
    expect(venueCredentials({ api_key: '', api_secret: '' }, 'binance', null)).toBeNull();
    expect(venueCredentials({ api_key: 'only-key', api_secret: '' }, 'binance', null)).toBeNull();
  });

  it('never echoes a bad secret value in a config error', () => {
    const dir = dataDir('[binance]\napi_secret = "bad secret with spaces"\n');
    expect(() => loadConfig(dir)).toThrow(/binance\.api_secret must be a string of printable characters \(value not shown\)/);
    try {
      loadConfig(dir);
    } catch (e) {
      expect((e as Error).message).not.toContain('bad secret');
    }
  });
});

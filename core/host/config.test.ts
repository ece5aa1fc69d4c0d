import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyConfig, ConfigError, DEFAULT_CONFIG, loadConfig } from './config.js';

function withFile(text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'cw-config-'));
  writeFileSync(join(dir, 'config.toml'), text);
  return dir;
}

describe('config.toml', () => {
  it('defaults when absent and applies valid keys', () => {
    expect(loadConfig(mkdtempSync(join(tmpdir(), 'cw-empty-')))).toEqual(DEFAULT_CONFIG);
    const c = loadConfig(withFile('[sim]\nseed = 42\nrate = 250.5\n[history]\ndays60 = 30\n'));
    expect(c.sim).toEqual({ seed: 42, rate: 250.5 });
    expect(c.history.days60).toBe(30);
    expect(c.history.hours1).toBe(DEFAULT_CONFIG.history.hours1);
  });

  it('names the offending key in every error', () => {
    expect(() => applyConfig({ sim: { rate: 'fast' } })).toThrow(/sim\.rate must be a number/);
    expect(() => applyConfig({ sim: { seed: -1 } })).toThrow(/sim\.seed must be an integer/);
    expect(() => applyConfig({ sim: { sed: 1 } })).toThrow(/unknown key sim\.sed/);
    expect(() => applyConfig({ charts: {} })).toThrow(/unknown section \[charts\]/);
    expect(() => applyConfig({ serve: { port: 70000 } })).toThrow(/serve\.port/);
    expect(() => loadConfig(withFile('[sim\nseed = 1'))).toThrow(ConfigError);
    expect(() => loadConfig(withFile('[sim\nseed = 1'))).toThrow(/not valid TOML/);
  });
});

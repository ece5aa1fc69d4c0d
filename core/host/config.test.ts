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
    const t = loadConfig(withFile('[paper]\ntaker_fee = "0.001"\n[sim_venue]\nack_ms = 300\nbalance = "2500.50"\n[ems]\nticks_through = 2\ncompact_bytes = 1048576\n'));
    expect(t.paper).toEqual({ maker_fee: '0', taker_fee: '0.001' });
    expect(t.sim_venue.ack_ms).toBe(300);
    expect(t.sim_venue.balance).toBe('2500.50');
    expect(t.ems).toEqual({ ticks_through: 2, compact_bytes: 1048576, keep_finished: 10_000 });
  });

  it('names the offending key in every error', () => {
    expect(() => applyConfig({ sim: { rate: 'fast' } })).toThrow(/sim\.rate must be a number/);
    expect(() => applyConfig({ sim: { seed: -1 } })).toThrow(/sim\.seed must be an integer/);
    expect(() => applyConfig({ sim: { sed: 1 } })).toThrow(/unknown key sim\.sed/);
    expect(() => applyConfig({ charts: {} })).toThrow(/unknown section \[charts\]/);
    expect(() => applyConfig({ serve: { port: 70000 } })).toThrow(/serve\.port/);
    expect(() => applyConfig({ paper: { taker_fee: 0.001 } })).toThrow(/paper\.taker_fee must be a decimal string .*quoted/);
    expect(() => applyConfig({ sim_venue: { ack_ms: -5 } })).toThrow(/sim_venue\.ack_ms/);
    expect(() => applyConfig({ ems: { ticks_through: 1.5 } })).toThrow(/ems\.ticks_through/);
    expect(() => applyConfig({ ems: { compact_bytes: 10 } })).toThrow(/ems\.compact_bytes must be an integer in \[4096/);
    expect(() => loadConfig(withFile('[sim\nseed = 1'))).toThrow(ConfigError);
    expect(() => loadConfig(withFile('[sim\nseed = 1'))).toThrow(/not valid TOML/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestHost, type TestHost } from './harness.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'core/cli/main.ts', ...args], { cwd: root, timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

let t: TestHost;
beforeAll(async () => {
  t = await startTestHost({ rate: 20 });
});
afterAll(async () => {
  await t.stop();
});

describe('candlewick CLI', () => {
  it('lists services and searches symbols on a running host', async () => {
    const search = await cli(['search', 'doge', '--url', t.server.url]);
    expect(search.code).toBe(0);
    expect(search.stdout).toMatch(/^dogeusd\.spot\.sim\s+Dogecoin/m);
    const services = await cli(['services', '--url', t.server.url]);
    expect(services.code).toBe(0);
    expect(services.stdout).toMatch(/^datad\.sim\s+running\s+0/m);
    expect(services.stdout).toMatch(/^samplerd\s+running/m);
    expect(services.stdout).not.toMatch(/brokerd/);
  });

  it('prints live ticks and a chart URL for a market', async () => {
    const quote = await cli(['quote', 'xbtusd.spot.sim', '--count', '3', '--url', t.server.url]);
    expect(quote.code).toBe(0);
    expect(quote.stdout.trim().split('\n')).toHaveLength(3);
    expect(quote.stdout).toMatch(/xbtusd\.spot\.sim (trade|bid|ask)\s+\d+(\.\d+)? x /);
    const chart = await cli(['chart', 'ETHUSD.SPOT.SIM', '--url', t.server.url]);
    expect(chart.stdout.trim()).toBe(`${t.server.url}?fqme=ethusd.spot.sim`);
  });

  it('fails clearly on unknown symbols, bad flags, no host and bad config', async () => {
    const unknown = await cli(['quote', 'nope.spot.sim', '--url', t.server.url]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown symbol 'nope\.spot\.sim'/);
    const flag = await cli(['search', 'x', '--limit', 'lots', '--url', t.server.url]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/--limit must be an integer/);
    expect(flag.stderr).toMatch(/usage: candlewick/);
    const cmd = await cli(['frobnicate']);
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toMatch(/unknown command 'frobnicate'/);
    const nohost = await cli(['services', '--url', 'http://127.0.0.1:9']);
    expect(nohost.code).toBe(1);
    expect(nohost.stderr).toMatch(/cannot reach a Candlewick host.*candlewick serve/);
    const dir = mkdtempSync(join(tmpdir(), 'cw-badcfg-'));
    writeFileSync(join(dir, 'config.toml'), '[sim]\nrate = "fast"\n');
    const bad = await cli(['serve', '--port', '0', '--data-dir', dir]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/sim\.rate must be a number/);
  });
});

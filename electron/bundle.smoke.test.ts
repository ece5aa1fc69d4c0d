/**
 * The built Electron main (dist/electron-main.js) started under Node with a fake 'electron' module: host, datad
 * worker and window wiring from the bundle's own location, bars streamed as binary frames over the window's port.
 * Needs `node scripts/build.mjs` first (npm test does it); skipped with a note when dist/ has no Electron main.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const built = existsSync(join(dist, 'electron-main.js')) && existsSync(join(dist, 'datad.worker.js'));
const dataDir = mkdtempSync(join(tmpdir(), 'cw-bundle-'));

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe.skipIf(!built)('bundled electron main (run `node scripts/build.mjs` first)', () => {
  it('serves the UI, hands out a working port and streams bars from the bundled datad worker', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', join(root, 'electron/testing/drive-bundle.ts'), dist, dataDir],
      { cwd: root, timeout: 60_000 },
    );
    const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
    expect(line, stdout).toBeDefined();
    const r = JSON.parse(line!.slice('RESULT '.length));
    expect(r.url).toBe('app://candlewick/index.html?fqme=xbtusd.spot.sim');
    expect(r.preload).toBe(join(dist, 'preload.cjs'));
    expect(r.hello.result.backends).toContain('sim');
    expect(r.subscribe.result).toMatchObject({ fqme: 'xbtusd.spot.sim', timeframe: 1 });
    expect(r.binaryFrames).toBeGreaterThan(0);
    expect(r.index.status).toBe(existsSync(join(dist, 'renderer/index.html')) ? 200 : 404);
    expect(r.index.csp).toMatch(/^default-src 'self'/);
    expect(r.traversal).toBe(404);
    expect(r.quit).toBe(true);
  }, 60_000);
});

/** The app:// handler (protocol.ts) on a real directory, through the fake electron module's protocol recorder. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as fake from './testing/fake-electron.js';
import { CONTENT_SECURITY_POLICY } from './policy.js';
import { registerAppScheme, serveAppProtocol } from './protocol.js';

vi.mock('electron', async () => (await import('./testing/fake-electron.js')).electron);

const base = mkdtempSync(join(tmpdir(), 'cw-protocol-'));
const root = join(base, 'renderer');
const logs: string[] = [];
let handle: (req: Request) => Promise<Response> | Response;

beforeAll(() => {
  mkdirSync(join(root, 'fonts'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Candlewick</title>');
  writeFileSync(join(root, 'app.js'), 'console.log(1)');
  writeFileSync(join(base, 'secret.js'), 'the private key');
  symlinkSync(join(base, 'secret.js'), join(root, 'leak.js'));
  registerAppScheme();
  serveAppProtocol(root, (l) => logs.push(l));
  handle = fake.protocolHandlers.get('app')!;
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

const get = (url: string, method = 'GET') => Promise.resolve(handle(new Request(url, { method })));

describe('app:// handler', () => {
  it('serves UI files with their type and the CSP', async () => {
    const res = await get('app://candlewick/index.html?fqme=btcusdt.spot.sim');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('<title>Candlewick</title>');
    const js = await get('app://candlewick/app.js');
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
  });

  it('answers 404 with the CSP for missing files, traversal and symlinks out of the root', async () => {
    for (const url of ['app://candlewick/nope.js', 'app://candlewick/%2e%2e/secret.js', 'app://candlewick/leak.js']) {
      const res = await get(url);
      expect(res.status, url).toBe(404);
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(await res.text()).not.toContain('private key');
    }
    expect(logs.join('\n')).toMatch(/resolves outside the UI root/);
  });

  it('refuses methods other than GET and HEAD', async () => {
    expect((await get('app://candlewick/index.html', 'POST')).status).toBe(405);
    const head = await get('app://candlewick/index.html', 'HEAD');
    expect(head.status).toBe(200);
  });
});

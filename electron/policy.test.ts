import { describe, expect, it } from 'vitest';
import {
  appEntryUrl,
  CONTENT_SECURITY_POLICY,
  externalUrlAllowed,
  isAppUrl,
  navigationAllowed,
  openWindowRefusal,
  parseShellArgs,
  senderRefusal,
} from './policy.js';

const mainFrame = (url: string) => ({ url, parent: null });

describe('senderRefusal', () => {
  it('serves the main frame of our own UI', () => {
    expect(senderRefusal(mainFrame('app://candlewick/index.html'))).toBeNull();
    expect(senderRefusal(mainFrame('app://candlewick/index.html?fqme=btcusdt.spot.sim'))).toBeNull();
  });

  it('refuses a file:// page', () => {
    expect(senderRefusal(mainFrame('file:///work/main/dist/renderer/index.html'))).toMatch(/not app:\/\/candlewick/);
  });

  it('refuses a subframe, even one on our origin', () => {
    const parent = mainFrame('app://candlewick/index.html');
    expect(senderRefusal({ url: 'app://candlewick/index.html', parent })).toMatch(/subframe/);
  });

  it('refuses a destroyed frame and a detached one', () => {
    expect(senderRefusal(null)).toMatch(/no sender frame/);
    expect(senderRefusal(undefined)).toMatch(/no sender frame/);
    expect(senderRefusal({ url: 'app://candlewick/index.html', parent: null, detached: true })).toMatch(/detached/);
  });

  it('refuses remote pages and look-alike hosts', () => {
    for (const url of [
      'http://candlewick/index.html',
      'https://evil.example/',
      'app://candlewick.evil.example/index.html',
      'app://evil/index.html',
      'app://candlewick:8080/index.html',
      'app://user:pw@candlewick/index.html',
      'about:blank',
      '',
      'not a url',
    ]) {
      expect(senderRefusal(mainFrame(url)), url).not.toBeNull();
    }
  });
});

describe('navigation and external links', () => {
  it('allows navigation only inside the app', () => {
    expect(navigationAllowed('app://candlewick/index.html?fqme=ethusdt.spot.sim')).toBe(true);
    expect(navigationAllowed('https://example.com/')).toBe(false);
    expect(navigationAllowed('file:///etc/passwd')).toBe(false);
    expect(navigationAllowed('javascript:alert(1)')).toBe(false);
    expect(isAppUrl(42)).toBe(false);
  });

  it('opens https links to public hosts externally', () => {
    expect(externalUrlAllowed('https://github.com/candlewick')).toBe(true);
    expect(externalUrlAllowed('https://www.binance.com/en/trade/BTC_USDT?x=1#y')).toBe(true);
  });

  it('never hands dangerous URLs to the OS', () => {
    for (const url of [
      'http://evil',
      'http://example.com/docs',
      'https://evil',
      'https://localhost:3000/',
      'https://127.0.0.1/',
      'https://192.168.1.1/admin',
      'https://[::1]/',
      'https://printer.local/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'app://candlewick/index.html',
      'https://user:secret@example.com/',
      'data:text/html,<script>alert(1)</script>',
      `https://example.com/${'a'.repeat(3000)}`,
    ]) {
      expect(externalUrlAllowed(url), url).toBe(false);
    }
  });
});

describe('appEntryUrl', () => {
  it('loads the UI entry, with the fqme as a query parameter', () => {
    expect(appEntryUrl()).toBe('app://candlewick/index.html');
    const url = new URL(appEntryUrl('btcusdt.spot.sim'));
    expect(url.searchParams.get('fqme')).toBe('btcusdt.spot.sim');
  });

  it('encodes a hostile fqme instead of letting it reshape the URL', () => {
    const url = new URL(appEntryUrl('x&y=1#/../../etc'));
    expect(url.searchParams.get('fqme')).toBe('x&y=1#/../../etc');
    expect(url.pathname).toBe('/index.html');
    expect(url.hash).toBe('');
  });
});

describe('CSP', () => {
  it('allows only our own origin and forbids plugins, base rewriting and framing', () => {
    const directives = new Map(
      CONTENT_SECURITY_POLICY.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name!, values];
      }),
    );
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('worker-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval/);
  });
});

describe('parseShellArgs', () => {
  it('reads our flags among Electron and Chromium arguments', () => {
    const args = parseShellArgs([
      '/usr/lib/electron/electron',
      '.',
      '--no-sandbox-ignored-by-us',
      '--data-dir',
      '/tmp/cw',
      '--fqme=btcusdt.spot.sim',
      '--seed',
      '7',
      '--sim-rate',
      '250',
      '--test-hooks',
    ]);
    expect(args).toEqual({ dataDir: '/tmp/cw', fqme: 'btcusdt.spot.sim', seed: 7, simRate: 250, testHooks: true });
  });

  it('ignores a flag without a value and bad numbers', () => {
    expect(parseShellArgs(['electron', '--data-dir', '--fqme', 'a.b.sim', '--seed', 'x', '--sim-rate=-3'])).toEqual({
      fqme: 'a.b.sim',
      testHooks: false,
    });
  });
});

describe('openWindowRefusal', () => {
  const known = ['main', 'w1a2b3'];
  it('opens a window the saved layout has', () => {
    expect(openWindowRefusal(['w1a2b3'], known)).toBeNull();
    expect(new URL(appEntryUrl(null, 'w1a2b3')).searchParams.get('window')).toBe('w1a2b3');
  });
  it('refuses anything else', () => {
    expect(openWindowRefusal([], known)).toMatch(/one window id/);
    expect(openWindowRefusal(['w1a2b3', 'x'], known)).toMatch(/one window id/);
    expect(openWindowRefusal([{ id: 'w1a2b3' }], known)).toMatch(/bad window id/);
    expect(openWindowRefusal(['../../etc/passwd'], known)).toMatch(/bad window id/);
    expect(openWindowRefusal(['main'], known)).toMatch(/main window/);
    expect(openWindowRefusal(['w9'], known)).toMatch(/no window "w9"/);
  });
});

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAppPath } from './app-files.js';

const root = join('/opt', 'candlewick', 'dist', 'renderer');

describe('resolveAppPath', () => {
  it('maps UI files under the root with their content type', () => {
    expect(resolveAppPath('app://candlewick/index.html', root)).toEqual({
      path: join(root, 'index.html'),
      mime: 'text/html; charset=utf-8',
    });
    expect(resolveAppPath('app://candlewick/app.js', root)?.mime).toMatch(/^text\/javascript/);
    expect(resolveAppPath('app://candlewick/styles.css', root)?.path).toBe(join(root, 'styles.css'));
    expect(resolveAppPath('app://candlewick/fonts/inter.woff2', root)?.path).toBe(join(root, 'fonts', 'inter.woff2'));
  });

  it('serves index.html for the bare origin and ignores query and hash', () => {
    expect(resolveAppPath('app://candlewick/', root)?.path).toBe(join(root, 'index.html'));
    expect(resolveAppPath('app://candlewick', root)?.path).toBe(join(root, 'index.html'));
    expect(resolveAppPath('app://candlewick/index.html?fqme=btcusdt.spot.sim#x', root)?.path).toBe(
      join(root, 'index.html'),
    );
  });

  it('refuses path traversal in every spelling', () => {
    for (const url of [
      'app://candlewick/../../etc/passwd',
      'app://candlewick/..',
      'app://candlewick/assets/../../../etc/passwd',
      'app://candlewick/%2e%2e/%2e%2e/etc/passwd',
      'app://candlewick/%2E%2E%2Fetc%2Fpasswd',
      'app://candlewick/..%2f..%2fetc%2fpasswd',
      'app://candlewick/..\\..\\windows\\win.ini',
      'app://candlewick/%5c..%5cwin.ini',
      'app://candlewick/index.html%00.png',
      'app://candlewick/./index.html',
      'app://candlewick/%E0%A4%A',
    ]) {
      expect(resolveAppPath(url, root), url).toBeNull();
    }
  });

  it('refuses other schemes, hosts, dotfiles and unknown file types', () => {
    for (const url of [
      'file:///etc/passwd',
      'https://candlewick/index.html',
      'app://evil/index.html',
      'app://candlewick.evil/index.html',
      'app://candlewick:99/index.html',
      'app://candlewick/.env',
      'app://candlewick/.git/config',
      'app://candlewick/secrets.txt',
      'app://candlewick/electron-main',
      `app://candlewick/${'a'.repeat(3000)}.js`,
    ]) {
      expect(resolveAppPath(url, root), url).toBeNull();
    }
  });
});

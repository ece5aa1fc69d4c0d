import { describe, expect, it } from 'vitest';
import { DEFAULT_FQME, readLaunchOptions, urlWithFqme } from './launch-options.js';

describe('launch options', () => {
  it('defaults to the sim bitcoin market', () => {
    expect(readLaunchOptions('')).toEqual({ fqme: DEFAULT_FQME, urlFqme: null, window: 'main', slowCount: 20_000, fastCount: 3_600 });
  });
  it('reads fqme and snapshot sizes, rejecting nonsense', () => {
    expect(readLaunchOptions('?fqme=ethusd.spot.sim&bars=1000000&fastBars=-3')).toEqual({
      fqme: 'ethusd.spot.sim',
      urlFqme: 'ethusd.spot.sim',
      window: 'main',
      slowCount: 1_000_000,
      fastCount: 3_600,
    });
    expect(readLaunchOptions('?bars=9999999999').slowCount).toBe(2_000_000);
    expect(readLaunchOptions('?fqme=%20').fqme).toBe(DEFAULT_FQME);
    expect(readLaunchOptions('?fqme=%20').urlFqme).toBeNull();
  });
  it('names the window to show, main unless a well-formed id is given', () => {
    expect(readLaunchOptions('?window=w3f9a').window).toBe('w3f9a');
    expect(readLaunchOptions('?window=../x').window).toBe('main');
    expect(readLaunchOptions('?window=' + 'a'.repeat(41)).window).toBe('main');
  });
  it('sets fqme in a URL, keeping the rest', () => {
    expect(urlWithFqme('http://127.0.0.1:7001/?bars=10&fqme=a.b.sim', 'eurusd.fx.sim')).toBe('http://127.0.0.1:7001/?bars=10&fqme=eurusd.fx.sim');
  });
});

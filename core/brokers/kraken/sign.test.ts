import { describe, expect, it } from 'vitest';
import { apiSign, nextNonce } from './sign.js';

describe('kraken API-Sign', () => {
  it('reproduces the documented vector', () => {
    const secret = 'kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==';
    const body = 'nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25';
    expect(apiSign('/0/private/AddOrder', '1616492376594', body, secret)).toBe('4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==');
  });

  it('hands out strictly increasing nonces per key, even within one millisecond or when the clock steps back', () => {
    const a = nextNonce('k1', 1_700_000_000_000);
    const b = nextNonce('k1', 1_700_000_000_000);
    const c = nextNonce('k1', 1_699_999_999_000);
    const d = nextNonce('k1', 1_700_000_000_001);
    expect(a).toBe('1700000000000000000');
    expect([a, b, c, d].map(BigInt)).toEqual([1700000000000000000n, 1700000000000000001n, 1700000000000000002n, 1700000000001000000n]);
    expect(nextNonce('k2', 1)).toBe('1000000');
  });
});

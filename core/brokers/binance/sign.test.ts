import { describe, expect, it } from 'vitest';
import { hmacHex, queryString, signWsParams, signedQuery, wsApiPayload } from './sign.js';

// The documented secret of both vectors (B3).
const SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';

describe('Binance signing', () => {
  it('reproduces the documented REST vector c8db5682…6b71 over the query as sent', () => {
    const params = { symbol: 'LTCBTC', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '1', price: '0.1', recvWindow: 5000, timestamp: 1499827319559 };
    const q = queryString(params);
    expect(q).toBe('symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559');
    expect(hmacHex(SECRET, q)).toBe('c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71');
    expect(signedQuery(params, SECRET)).toBe(`${q}&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71`);
  });

  it('reproduces the documented WebSocket API vector aa1b5712…db24: sorted params, apiKey included', () => {
    // Given in another order than sorted, to prove the sort.
    const params = {
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.01000000',
      price: '52000.00',
      recvWindow: 100,
      timestamp: 1645423376532,
      apiKey: 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A',
    };
    expect(wsApiPayload(params)).toBe(
      'apiKey=vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A&price=52000.00&quantity=0.01000000&recvWindow=100&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532&type=LIMIT',
    );
    expect(signWsParams(params, SECRET).signature).toBe('aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24');
    // A signature already present is not part of what is signed.
    expect(wsApiPayload({ ...params, signature: 'x' })).toBe(wsApiPayload(params));
  });

  it('percent-encodes non-ASCII and reserved characters before signing', () => {
    expect(queryString({ newClientOrderId: 'café&x=1' })).toBe('newClientOrderId=caf%C3%A9%26x%3D1');
  });
});

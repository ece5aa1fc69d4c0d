import { describe, expect, it } from 'vitest';
import { parseRequest, ProtocolError, requestIdOf } from './validate.js';

function errorOf(text: string): ProtocolError {
  try {
    parseRequest(text);
  } catch (e) {
    return e as ProtocolError;
  }
  throw new Error(`accepted: ${text}`);
}

describe('request validation at the host boundary', () => {
  it('accepts well-formed requests and fills defaults', () => {
    expect(parseRequest('{"id":1,"method":"services.list"}')).toEqual({ id: 1, method: 'services.list', params: {} });
    expect(parseRequest('{"id":2,"method":"bars.subscribe","params":{"fqme":"xbtusd.spot.sim","timeframe":60}}').params).toEqual({
      fqme: 'xbtusd.spot.sim',
      timeframe: 60,
    });
  });
  it('names what is wrong', () => {
    expect(errorOf('not json').code).toBe('bad_request');
    expect(errorOf('[1,2]').message).toMatch(/JSON object/);
    expect(errorOf('{"method":"hello"}').message).toMatch(/'id'/);
    const unknown = errorOf('{"id":7,"method":"orders.nuke"}');
    expect(unknown.code).toBe('unknown_method');
    expect(requestIdOf(unknown)).toBe(7);
    expect(errorOf('{"id":3,"method":"bars.subscribe","params":{"fqme":"x","timeframe":5}}').message).toMatch(/timeframe/);
    expect(errorOf('{"id":3,"method":"bars.subscribe","params":{"fqme":"","timeframe":1}}').message).toMatch(/fqme/);
    expect(errorOf('{"id":3,"method":"symbols.search","params":{"pattern":"a","evil":1}}').message).toMatch(/unexpected parameter 'evil'/);
    expect(errorOf('{"id":3,"method":"bars.range","params":{"streamId":1,"from":10,"to":5}}').message).toMatch(/'to'/);
    expect(errorOf('{"id":4,"method":"mkt.info","params":"x"}').code).toBe('bad_params');
    expect(errorOf('{"id":1,"method":"hello","params":{"client":"' + 'x'.repeat(70000) + '"}}').message).toMatch(/larger than/);
  });
});

import { describe, expect, it } from 'vitest';
import { decimal, parseExact, stringifyWithNumbers } from './exact-json.js';

describe('exact json', () => {
  it('keeps the documented status connection_id (> 2^53) and trailing zeros exact', () => {
    const raw = `{"channel":"status","data":[{"api_version":"v2","connection_id":13834774380200032777,"system":"online","version":"2.0.0"}],"type":"update"}`;
    const m = parseExact(raw) as { data: { connection_id: string; version: string }[] };
    expect(m.data[0]!.connection_id).toBe('13834774380200032777');
    expect(m.data[0]!.version).toBe('2.0.0');
    expect((JSON.parse(raw) as typeof m).data[0]!.connection_id).not.toBe(13834774380200032777n.toString());
    const t = parseExact('{"qty":40.0,"price":-0.5117,"s":"a \\" 1.5","n":[1e-08,2E3]}') as Record<string, unknown>;
    expect(t).toEqual({ qty: '40.0', price: '-0.5117', s: 'a " 1.5', n: ['1e-08', '2E3'] });
  });

  it('throws on malformed input like JSON.parse', () => {
    expect(() => parseExact('{"qty":40.0')).toThrow();
    expect(() => parseExact('{"qty":4-0}')).toThrow();
  });

  it('turns lexemes into plain decimals', () => {
    expect(decimal('26500.0')).toBe('26500.0');
    expect(decimal('1e-08')).toBe('0.00000001');
    expect(decimal('1.5e2')).toBe('150');
    expect(decimal('-2.5E-1')).toBe('-0.25');
    expect(decimal('12e1')).toBe('120');
    expect(decimal('abc')).toBeNull();
    expect(decimal(undefined)).toBeNull();
  });

  it('writes exact decimals as bare JSON numbers', () => {
    const s = stringifyWithNumbers({ method: 'add_order', params: { limit_price: '26500.40', order_qty: '0.00000001', symbol: 'BTC/USD' } }, new Set(['limit_price', 'order_qty']));
    expect(s).toBe('{"method":"add_order","params":{"limit_price":26500.40,"order_qty":0.00000001,"symbol":"BTC/USD"}}');
    expect(() => stringifyWithNumbers({ limit_price: '1e5' }, new Set(['limit_price']))).toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import type { MktPair } from '../../core/protocol/types.js';
import { changeAlloc, lineSlots, positionSlots, sizeNext, slotsOrNull, type AllocSettings } from './sizing.js';

const XBT = { fqme: 'xbtusd.spot.sim', priceTick: '0.5', sizeTick: '0.0001', minSize: '0.0001', minNotional: '5' } as MktPair;
const ES = { fqme: 'es.cme.sim', priceTick: '0.25', sizeTick: '1', minSize: '1', minNotional: '0' } as MktPair;
const money: AllocSettings = { sizeUnit: 'currency', limit: '5k', slots: 4 };
const units: AllocSettings = { sizeUnit: 'units', limit: '1', slots: 4 };

describe('order sizing from the side pane settings (the shared allocator)', () => {
  it('enters one slot: in currency divided by the price, in units not', () => {
    expect(sizeNext(money, 'buy', '50000', XBT, null)).toEqual({ kind: 'entry', size: '0.025', notional: '1250', slots: '1' });
    expect(sizeNext(units, 'sell', '50000', XBT, null)?.size).toBe('0.25');
    // A fifth of a contract lifts to the venue's minimum of one.
    expect(sizeNext(money, 'buy', '6000', ES, null)?.size).toBe('1');
  });

  it('an order against the position is an exit, sized from the position', () => {
    const long = { size: '0.6', ppu: '50000' };
    expect(sizeNext(units, 'buy', '50000', XBT, long)).toMatchObject({ kind: 'entry', size: '0.25' });
    expect(sizeNext(units, 'sell', '50000', XBT, long)).toMatchObject({ kind: 'exit', size: '0.25' });
    // Under 1.5 slots left: the whole position, no dust.
    expect(sizeNext(units, 'sell', '50000', XBT, { size: '0.3', ppu: '50000' })).toMatchObject({ kind: 'exit', size: '0.3' });
    expect(sizeNext(units, 'buy', '50000', XBT, { size: '-0.3', ppu: '50000' })).toMatchObject({ kind: 'exit', size: '0.3' });
    // The limit used up: no more entries, exits still.
    expect(sizeNext(units, 'buy', '50000', XBT, { size: '1', ppu: '50000' })?.size).toBe('0');
  });

  it('no size from a limit that does not parse, or no price', () => {
    expect(sizeNext({ ...money, limit: 'x' }, 'buy', '50000', XBT, null)).toBeNull();
    expect(sizeNext(money, 'buy', '0', XBT, null)).toBeNull();
    expect(lineSlots({ ...money, limit: '' }, '1', '1')).toBeNull();
  });

  it('slots used by the position and by one order line', () => {
    expect(positionSlots(money, { size: '0.05', ppu: '50000' })).toBe('2');
    expect(positionSlots(money, null)).toBe('0');
    expect(lineSlots(money, '0.025', '50000')).toBe('1');
  });

  it('refuses a limit below the position, or a unit that puts it there, with the reason', () => {
    const pos = { size: '-0.3', ppu: '50000' };
    expect(changeAlloc(units, { limit: '0.2' }, pos)).toEqual({ error: 'limit 0.2 is below the current position size 0.3 (units)' });
    expect(changeAlloc(units, { limit: ' 0.3 ' }, pos)).toEqual({ alloc: { ...units, limit: '0.3' } });
    expect(changeAlloc(money, { limit: '10k' }, pos)).toEqual({ error: 'limit 10000 is below the current position value |size * ppu| 15000 (currency)' });
    expect(changeAlloc(money, { limit: '1.5M' }, pos)).toEqual({ alloc: { ...money, limit: '1.5M' } });
    expect(changeAlloc({ ...units, limit: '5k' }, { sizeUnit: 'currency' }, pos)).toMatchObject({ error: expect.stringMatching(/below the current position value/) });
    expect(changeAlloc(money, { limit: '5kk' }, null)).toMatchObject({ error: expect.stringMatching(/is not a number like 250/) });
  });

  it('slots as typed', () => {
    expect(slotsOrNull('4')).toBe(4);
    for (const bad of ['0', '-1', '2.5', 'x', 0]) expect(slotsOrNull(bad)).toBeNull();
  });
});

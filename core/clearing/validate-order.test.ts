import { describe, expect, it } from 'vitest';
import type { MktPair } from '../protocol/types.js';
import { validateCancel, validateClientOrderMsg, validateOrder, type OrderContext } from './validate-order.js';

const usd = { name: 'usd', atype: 'fiat', txTick: '0.01' } as const;
const mkt = (fqme: string, priceTick: string, sizeTick: string, minSize: string, minNotional: string): MktPair => ({
  fqme,
  broker: fqme.split('.').at(-1)!,
  venue: 'spot',
  expiry: null,
  bsMktid: fqme,
  dst: { name: 'x', atype: 'crypto', txTick: '0.00000001' },
  src: usd,
  priceTick,
  sizeTick,
  minSize,
  minNotional,
});
const MARKETS = [mkt('xbtusd.spot.sim', '0.5', '0.0001', '0.0002', '5'), mkt('eurusd.fx.sim', '0.00001', '1', '1000', '0')];
const ctx: OrderContext = {
  market: (fqme) => MARKETS.find((m) => m.fqme === fqme),
  accounts: (broker) => (broker === 'sim' ? ['sim.main'] : []),
};

const good = { action: 'buy', execMode: 'live', oid: 'o-1', fqme: 'xbtusd.spot.sim', account: 'sim.main', price: '50000.5', size: '0.001' };
const reason = (over: Record<string, unknown>, drop: string[] = []): string => {
  const raw: Record<string, unknown> = { ...good, ...over };
  for (const k of drop) delete raw[k];
  const r = validateOrder(raw, ctx);
  if (r.ok) throw new Error(`expected a refusal for ${JSON.stringify(raw)}`);
  return r.reason;
};

describe('validateOrder: good orders', () => {
  it('accepts and normalizes (lowercase fqme, canonical decimals)', () => {
    const r = validateOrder({ ...good, fqme: 'XBTUSD.Spot.SIM', price: '050000.50', size: '0.0010' }, ctx);
    expect(r).toEqual({ ok: true, order: { ...good, price: '50000.5', size: '0.001' } });
  });

  it('allows the paper account with paper or dark, a live account with live or dark', () => {
    for (const [account, execMode] of [['paper', 'paper'], ['paper', 'dark'], ['sim.main', 'live'], ['sim.main', 'dark']]) {
      expect(validateOrder({ ...good, account, execMode }, ctx).ok, `${account} ${execMode}`).toBe(true);
    }
  });

  it('takes alerts with a price and no size rules; an alert is always held by emsd', () => {
    const r = validateOrder({ ...good, action: 'alert', execMode: 'live', size: '0' }, ctx);
    expect(r).toEqual({ ok: true, order: { ...good, action: 'alert', execMode: 'dark', size: '0' } });
    const noSize: Record<string, unknown> = { ...good, action: 'alert' };
    delete noSize.size;
    expect(validateOrder(noSize, ctx)).toMatchObject({ ok: true, order: { size: '0' } });
    expect(validateOrder({ ...good, action: 'alert', size: '0.00001' }, ctx).ok).toBe(true);
  });

  it('accepts orders exactly at the minimums', () => {
    expect(validateOrder({ ...good, price: '25000', size: '0.0002' }, ctx).ok).toBe(true); // notional exactly 5
    expect(validateOrder({ ...good, fqme: 'eurusd.fx.sim', price: '1.08', size: '1000' }, ctx).ok).toBe(true); // no min notional
  });
});

describe('validateOrder: every bad order gets a specific reason', () => {
  it.each([
    ['size 0', { size: '0' }, 'size must be above 0, got 0'],
    ['negative size', { size: '-0.001' }, 'size must be above 0, got -0.001'],
    ['price 0', { price: '0' }, 'price must be above 0, got 0'],
    ['negative price', { price: '-1' }, 'price must be above 0, got -1'],
    ['price off tick', { price: '50000.3' }, 'price 50000.3 is not a multiple of the tick 0.5'],
    ['size off lot', { size: '0.00025' }, 'size 0.00025 is not a multiple of the lot 0.0001'],
    ['size below the venue minimum', { size: '0.0001' }, 'size 0.0001 is below the venue minimum 0.0002'],
    ['notional below minNotional', { price: '1000', size: '0.0002' }, 'notional 0.2 (price 1000 x size 0.0002) is below the venue minimum notional 5'],
    ['unknown fqme', { fqme: 'dogeusd.spot.sim' }, "unknown fqme 'dogeusd.spot.sim' (no such market)"],
    ['malformed fqme', { fqme: 'xbtusd' }, 'malformed fqme "xbtusd": expected <pair>.<venue>[.<expiry>].<broker>'],
    ['unknown account', { account: 'kraken.main' }, "unknown account 'kraken.main' for broker sim (known: paper, sim.main)"],
    ['paper account live', { account: 'paper', execMode: 'live' }, "account 'paper' cannot trade live: use exec mode paper or dark"],
    ['paper mode on a live account', { execMode: 'paper' }, "exec mode paper needs the account 'paper', not 'sim.main'"],
    ['bad exec mode', { execMode: 'market' }, 'execMode must be one of dark, live, paper, got "market"'],
    ['bad action', { action: 'short' }, 'action must be one of buy, sell, alert, got "short"'],
    ['cancel action on an order', { action: 'cancel' }, 'action must be one of buy, sell, alert, got "cancel"'],
    ['price as a number', { price: 50000.5 }, 'price must be a decimal string like "0.5", got the number 50000.5 (numbers lose precision)'],
    ['size as NaN', { size: Number.NaN }, 'size must be a decimal string like "0.5", got the number NaN (numbers lose precision)'],
    ['size "NaN"', { size: 'NaN' }, `size "NaN" is not a plain decimal (digits with an optional fractional part: no exponent, '+', spaces or NaN)`],
    ['exponent', { size: '1e5' }, 'size "1e5" is not a plain decimal'],
    ['leading plus', { price: '+50000' }, 'price "+50000" is not a plain decimal'],
    ['bare point', { price: '.5' }, 'price ".5" is not a plain decimal'],
    ['Infinity', { price: 'Infinity' }, 'price "Infinity" is not a plain decimal'],
    ['oversized decimal', { price: '1'.repeat(41) }, 'price is too long (41 characters; at most 40)'],
    ['decimal as an object', { price: { v: '1' } }, 'price must be a decimal string, got object'],
    ['empty oid', { oid: '' }, 'missing oid'],
    ['oid as a number', { oid: 7 }, 'oid must be a string, got number 7'],
    ['oversized oid', { oid: 'x'.repeat(129) }, 'oid is too long (129 characters; at most 128)'],
    ['account with spaces', { account: ' paper' }, 'account " paper" has leading or trailing spaces'],
    ['unexpected field', { brokers: ['sim'] }, "unexpected field 'brokers' in an order"],
    ['alert off tick', { action: 'alert', price: '50000.2' }, 'price 50000.2 is not a multiple of the tick 0.5'],
    ['alert with no price', { action: 'alert', price: undefined }, 'missing price'],
    ['alert with negative size', { action: 'alert', size: '-1' }, 'size must not be negative, got -1'],
    ['alert with a malformed size', { action: 'alert', size: 1 }, 'size must be a decimal string like "0.5", got the number 1'],
  ])('%s', (_name, over, expected) => {
    expect(reason(over)).toContain(expected);
  });

  it.each(['oid', 'fqme', 'account', 'price', 'size'])('missing %s', (field) => {
    expect(reason({}, [field])).toBe(`missing ${field}`);
  });

  it('refuses things that are not orders at all', () => {
    for (const raw of [null, 'buy', 42, ['buy']]) {
      expect(validateOrder(raw, ctx)).toMatchObject({ ok: false, reason: expect.stringMatching(/^an order must be an object/) });
    }
  });
});

describe('validateCancel', () => {
  it('accepts and lowercases', () => {
    expect(validateCancel({ action: 'cancel', oid: 'o-1', fqme: 'XBTUSD.SPOT.SIM' }, ctx)).toEqual({
      ok: true,
      order: { action: 'cancel', oid: 'o-1', fqme: 'xbtusd.spot.sim' },
    });
  });

  it.each([
    [{ action: 'cancel', fqme: 'xbtusd.spot.sim' }, 'missing oid'],
    [{ action: 'cancel', oid: 'o', fqme: 'nope.spot.sim' }, "unknown fqme 'nope.spot.sim'"],
    [{ action: 'cancel', oid: 'o', fqme: 'xbtusd.spot.sim', account: 'paper' }, "unexpected field 'account' in a cancel"],
    [{ action: 'kill', oid: 'o', fqme: 'xbtusd.spot.sim' }, `a cancel has action 'cancel', got "kill"`],
    [undefined, 'a cancel must be an object'],
  ])('%j', (raw, expected) => {
    const r = validateCancel(raw, ctx);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toContain(expected);
  });
});

describe('validateClientOrderMsg', () => {
  it('tells orders and cancels apart by action', () => {
    expect(validateClientOrderMsg({ action: 'cancel', oid: 'o', fqme: 'xbtusd.spot.sim' }, ctx)).toMatchObject({ ok: true, order: { action: 'cancel' } });
    expect(validateClientOrderMsg(good, ctx)).toMatchObject({ ok: true, order: { action: 'buy' } });
    expect(validateClientOrderMsg({ action: 'hold' }, ctx)).toMatchObject({ ok: false });
  });
});

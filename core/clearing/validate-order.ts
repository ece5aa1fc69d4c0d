/**
 * Boundary checks for what a client sends emsd (Order, Cancel). Input is whatever came off the wire; the answer
 * is a normalized message or one specific reason, which emsd returns as an `error` Status while sending nothing
 * on. Nothing here throws on bad input.
 */
import { compareDec, fromScaled, isDecimal, mulDec, onTick, toScaled } from '../protocol/decimal.js';
import { FqmeError, normalizeFqme } from '../protocol/fqme.js';
import type { Action, Cancel, ExecMode, Order } from '../protocol/orders.js';
import type { MktPair } from '../protocol/types.js';

export type Checked<T> = { ok: true; order: T } | { ok: false; reason: string };

export interface OrderContext {
  market: (fqme: string) => MktPair | undefined;
  /** Live accounts for a broker (e.g. 'sim.main'); the account 'paper' always exists and need not be listed. */
  accounts: (broker: string) => readonly string[];
}

export const PAPER_ACCOUNT = 'paper';
/** Long enough for any real price or size (18 digits each side of the point), short enough to bound bigint work. */
export const MAX_DECIMAL_CHARS = 40;
const MAX_ID_CHARS = 128;
const ACTIONS: readonly Action[] = ['buy', 'sell', 'alert'];
const EXEC_MODES: readonly ExecMode[] = ['dark', 'live', 'paper'];
const ORDER_KEYS = ['action', 'execMode', 'oid', 'fqme', 'account', 'price', 'size'];
const CANCEL_KEYS = ['action', 'oid', 'fqme'];

class Bad extends Error {}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown): string => (typeof v === 'number' ? String(v) : JSON.stringify(v) ?? String(v));

function onlyKeys(m: Obj, keys: readonly string[], what: string): void {
  for (const k of Object.keys(m)) if (!keys.includes(k)) throw new Bad(`unexpected field '${k}' in ${what}`);
}

function text(m: Obj, key: string): string {
  const v = m[key];
  if (v === undefined || v === null || v === '') throw new Bad(`missing ${key}`);
  if (typeof v !== 'string') throw new Bad(`${key} must be a string, got ${typeof v} ${show(v)}`);
  if (v.length > MAX_ID_CHARS) throw new Bad(`${key} is too long (${v.length} characters; at most ${MAX_ID_CHARS})`);
  if (v.trim() !== v) throw new Bad(`${key} ${show(v)} has leading or trailing spaces`);
  return v;
}

/** A decimal string in canonical form ('050.10' -> '50.1'): numbers, exponents and NaN are refused, not coerced. */
function decimal(m: Obj, key: string): string {
  const v = m[key];
  if (v === undefined || v === null || v === '') throw new Bad(`missing ${key}`);
  if (typeof v === 'number') {
    throw new Bad(`${key} must be a decimal string like "0.5", got the number ${show(v)} (numbers lose precision)`);
  }
  if (typeof v !== 'string') throw new Bad(`${key} must be a decimal string, got ${typeof v}`);
  if (v.length > MAX_DECIMAL_CHARS) {
    throw new Bad(`${key} is too long (${v.length} characters; at most ${MAX_DECIMAL_CHARS})`);
  }
  if (!isDecimal(v)) {
    throw new Bad(
      `${key} ${show(v)} is not a plain decimal (digits with an optional fractional part: no exponent, '+', spaces or NaN)`,
    );
  }
  const s = toScaled(v);
  return fromScaled(s.units, s.scale);
}

/** The normalized (lowercase) fqme and its market. */
function market(ctx: OrderContext, m: Obj): { fqme: string; mkt: MktPair } {
  let fqme: string;
  try {
    fqme = normalizeFqme(text(m, 'fqme'));
  } catch (e) {
    if (e instanceof FqmeError) throw new Bad(e.message);
    throw e;
  }
  const mkt = ctx.market(fqme);
  if (!mkt) throw new Bad(`unknown fqme '${fqme}' (no such market)`);
  return { fqme, mkt };
}

function checkOrder(raw: unknown, ctx: OrderContext): Order {
  if (!isObj(raw)) throw new Bad(`an order must be an object, got ${Array.isArray(raw) ? 'an array' : show(raw)}`);
  onlyKeys(raw, ORDER_KEYS, 'an order');
  const oid = text(raw, 'oid');
  const action = raw.action;
  if (!ACTIONS.includes(action as Action)) {
    throw new Bad(`action must be one of ${ACTIONS.join(', ')}, got ${show(action)}`);
  }
  const execMode = raw.execMode;
  if (!EXEC_MODES.includes(execMode as ExecMode)) {
    throw new Bad(`execMode must be one of ${EXEC_MODES.join(', ')}, got ${show(execMode)}`);
  }
  const { fqme, mkt } = market(ctx, raw);
  const account = text(raw, 'account');
  const known = ctx.accounts(mkt.broker);
  if (account !== PAPER_ACCOUNT && !known.includes(account)) {
    const all = [PAPER_ACCOUNT, ...known].join(', ');
    throw new Bad(`unknown account '${account}' for broker ${mkt.broker} (known: ${all})`);
  }

  const price = decimal(raw, 'price');
  if (compareDec(price, '0') <= 0) throw new Bad(`price must be above 0, got ${price}`);
  if (compareDec(mkt.priceTick, '0') > 0 && !onTick(price, mkt.priceTick)) {
    throw new Bad(`price ${price} is not a multiple of the tick ${mkt.priceTick}`);
  }

  if (action === 'alert') {
    // An alert is a price level, not a trade: held by emsd whatever mode was asked, and its size is not checked.
    const size = raw.size === undefined ? '0' : decimal(raw, 'size');
    if (compareDec(size, '0') < 0) throw new Bad(`size must not be negative, got ${size}`);
    return { action, execMode: 'dark', oid, fqme, account, price, size };
  }

  // Paper fills come from paperd; a live account's orders go to its broker. Dark orders follow their account.
  if (account === PAPER_ACCOUNT && execMode === 'live') {
    throw new Bad(`account 'paper' cannot trade live: use exec mode paper or dark`);
  }
  if (account !== PAPER_ACCOUNT && execMode === 'paper') {
    throw new Bad(`exec mode paper needs the account 'paper', not '${account}'`);
  }

  const size = decimal(raw, 'size');
  if (compareDec(size, '0') <= 0) throw new Bad(`size must be above 0, got ${size}`);
  if (compareDec(mkt.sizeTick, '0') > 0 && !onTick(size, mkt.sizeTick)) {
    throw new Bad(`size ${size} is not a multiple of the lot ${mkt.sizeTick}`);
  }
  if (compareDec(size, mkt.minSize) < 0) throw new Bad(`size ${size} is below the venue minimum ${mkt.minSize}`);
  const notional = mulDec(price, size);
  if (compareDec(notional, mkt.minNotional) < 0) {
    const what = `notional ${notional} (price ${price} x size ${size})`;
    throw new Bad(`${what} is below the venue minimum notional ${mkt.minNotional}`);
  }
  return { action: action as Action, execMode: execMode as ExecMode, oid, fqme, account, price, size };
}

function checkCancel(raw: unknown, ctx: OrderContext): Cancel {
  if (!isObj(raw)) throw new Bad(`a cancel must be an object, got ${Array.isArray(raw) ? 'an array' : show(raw)}`);
  onlyKeys(raw, CANCEL_KEYS, 'a cancel');
  if (raw.action !== 'cancel') throw new Bad(`a cancel has action 'cancel', got ${show(raw.action)}`);
  const oid = text(raw, 'oid');
  return { action: 'cancel', oid, fqme: market(ctx, raw).fqme };
}

function run<T>(f: () => T): Checked<T> {
  try {
    return { ok: true, order: f() };
  } catch (e) {
    if (e instanceof Bad) return { ok: false, reason: e.message };
    throw e;
  }
}

export function validateOrder(raw: unknown, ctx: OrderContext): Checked<Order> {
  return run(() => checkOrder(raw, ctx));
}

export function validateCancel(raw: unknown, ctx: OrderContext): Checked<Cancel> {
  return run(() => checkCancel(raw, ctx));
}

/** Either message, told apart by `action`. */
export function validateClientOrderMsg(raw: unknown, ctx: OrderContext): Checked<Order | Cancel> {
  return isObj(raw) && raw.action === 'cancel' ? validateCancel(raw, ctx) : validateOrder(raw, ctx);
}

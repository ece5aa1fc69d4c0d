import type { ErrorBody, Method, Params, RequestMsg } from './messages.js';
import { HISTORY_FORMATS, METHODS } from './messages.js';
import { TIMEFRAMES } from './types.js';
import { checkLayout, checkWindow, LayoutError } from './layout.js';

/** Boundary validation for everything a client sends: a bad message becomes an error reply, never a throw upward. */
export class ProtocolError extends Error {
  constructor(
    public readonly code: ErrorBody['code'],
    message: string,
  ) {
    super(message);
  }
}

const MAX_TEXT_FRAME = 64 * 1024;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function str(p: Obj, key: string, max = 128): string {
  const v = p[key];
  if (typeof v !== 'string' || v.length === 0 || v.length > max) {
    throw new ProtocolError('bad_params', `'${key}' must be a non-empty string of at most ${max} characters`);
  }
  return v;
}

function int(p: Obj, key: string, min: number, max: number, optional = false): number | undefined {
  const v = p[key];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new ProtocolError('bad_params', `'${key}' must be an integer in [${min}, ${max}]`);
  }
  return v;
}

function onlyKeys(p: Obj, keys: string[]): void {
  for (const k of Object.keys(p)) {
    if (!keys.includes(k)) throw new ProtocolError('bad_params', `unexpected parameter '${k}'`);
  }
}

const paramCheckers: { [M in Method]: (p: Obj) => Params<M> } = {
  hello: (p) => {
    onlyKeys(p, ['client']);
    return p.client === undefined ? {} : { client: str(p, 'client', 64) };
  },
  'services.list': (p) => (onlyKeys(p, []), {}),
  'feeds.status': (p) => (onlyKeys(p, []), {}),
  'symbols.search': (p) => {
    onlyKeys(p, ['pattern', 'limit']);
    const pattern = p.pattern;
    if (typeof pattern !== 'string' || pattern.length > 64) {
      throw new ProtocolError('bad_params', `'pattern' must be a string of at most 64 characters`);
    }
    const limit = int(p, 'limit', 1, 500, true);
    return limit === undefined ? { pattern } : { pattern, limit };
  },
  'mkt.info': (p) => (onlyKeys(p, ['fqme']), { fqme: str(p, 'fqme') }),
  'bars.subscribe': (p) => {
    onlyKeys(p, ['fqme', 'timeframe', 'count']);
    const timeframe = p.timeframe;
    if (!TIMEFRAMES.includes(timeframe as never)) {
      throw new ProtocolError('bad_params', `'timeframe' must be one of ${TIMEFRAMES.join(', ')} (seconds)`);
    }
    const count = int(p, 'count', 1, 2_000_000, true);
    const out = { fqme: str(p, 'fqme'), timeframe: timeframe as 1 | 60 };
    return count === undefined ? out : { ...out, count };
  },
  'bars.range': (p) => {
    onlyKeys(p, ['streamId', 'from', 'to']);
    const streamId = int(p, 'streamId', 1, 2 ** 31)!;
    const from = int(p, 'from', 0, 2 ** 31)!;
    const to = int(p, 'to', 0, 2 ** 31)!;
    if (to < from) throw new ProtocolError('bad_params', `'to' must not be below 'from'`);
    return { streamId, from, to };
  },
  'bars.unsubscribe': (p) => (onlyKeys(p, ['streamId']), { streamId: int(p, 'streamId', 1, 2 ** 31)! }),
  'quotes.subscribe': (p) => (onlyKeys(p, ['fqme']), { fqme: str(p, 'fqme') }),
  'quotes.unsubscribe': (p) => (onlyKeys(p, ['fqme']), { fqme: str(p, 'fqme') }),
  'debug.crash': (p) => (onlyKeys(p, ['service']), { service: str(p, 'service', 64) }),
  // Order contents are checked field by field by emsd (validate-order), which answers with an error Status.
  'orders.submit': (p) => {
    onlyKeys(p, ['order', 'confirmStale']);
    if (p.confirmStale !== undefined && typeof p.confirmStale !== 'boolean') throw new ProtocolError('bad_params', `confirmStale must be a boolean, got ${JSON.stringify(p.confirmStale)}`);
    return { order: obj(p, 'order') as never, ...(p.confirmStale ? { confirmStale: true } : {}) };
  },
  'orders.cancel': (p) => (onlyKeys(p, ['cancel']), { cancel: obj(p, 'cancel') as never }),
  'orders.cancelAll': (p) => (onlyKeys(p, ['fqme']), p.fqme === undefined ? {} : { fqme: str(p, 'fqme') }),
  'orders.active': (p) => (onlyKeys(p, []), {}),
  'accounts.list': (p) => (onlyKeys(p, []), {}),
  'positions.list': (p) => (onlyKeys(p, []), {}),
  'history.export': (p) => {
    onlyKeys(p, ['fqme', 'timeframe', 'format']);
    const format = p.format;
    if (!HISTORY_FORMATS.includes(format as never)) throw new ProtocolError('bad_params', `'format' must be one of ${HISTORY_FORMATS.join(', ')}`);
    return { fqme: str(p, 'fqme'), timeframe: timeframeOf(p), format: format as (typeof HISTORY_FORMATS)[number] };
  },
  'history.gaps': (p) => (onlyKeys(p, ['fqme']), p.fqme === undefined ? {} : { fqme: str(p, 'fqme') }),
  'fills.recent': (p) => {
    onlyKeys(p, ['limit']);
    const limit = int(p, 'limit', 1, 10_000, true);
    return limit === undefined ? {} : { limit };
  },
  'layout.load': (p) => (onlyKeys(p, []), {}),
  'layout.save': (p) => (onlyKeys(p, ['layout']), { layout: layoutParam(() => checkLayout(p.layout)) }),
  'layout.saveWindow': (p) => (onlyKeys(p, ['window']), { window: layoutParam(() => checkWindow(p.window)) }),
};

/** A layout refused by its checker is a bad_params answer naming the first problem (layout.ts). */
function layoutParam<T>(check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (e instanceof LayoutError) throw new ProtocolError('bad_params', `bad layout: ${e.message}`);
    throw e;
  }
}

function timeframeOf(p: Obj): 1 | 60 {
  const timeframe = p.timeframe;
  if (!TIMEFRAMES.includes(timeframe as never)) {
    throw new ProtocolError('bad_params', `'timeframe' must be one of ${TIMEFRAMES.join(', ')} (seconds)`);
  }
  return timeframe as 1 | 60;
}

function obj(p: Obj, key: string): Obj {
  const v = p[key];
  if (!isObj(v)) throw new ProtocolError('bad_params', `'${key}' must be an object`);
  return v;
}

/** Parses and validates one client text frame. Throws ProtocolError with the request id when one was readable. */
export function parseRequest(text: string): RequestMsg {
  if (text.length > MAX_TEXT_FRAME) throw new ProtocolError('bad_request', `message larger than ${MAX_TEXT_FRAME} bytes`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ProtocolError('bad_request', 'message is not valid JSON');
  }
  return validateRequest(raw);
}

export function validateRequest(raw: unknown): RequestMsg {
  if (!isObj(raw)) throw new ProtocolError('bad_request', 'message must be a JSON object');
  const { id, method, params } = raw;
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) {
    throw new ProtocolError('bad_request', `'id' must be a non-negative integer`);
  }
  try {
    if (typeof method !== 'string' || !(METHODS as readonly string[]).includes(method)) {
      throw new ProtocolError('unknown_method', `unknown method ${JSON.stringify(method)}`);
    }
    const p = params === undefined ? {} : params;
    if (!isObj(p)) throw new ProtocolError('bad_params', `'params' must be an object`);
    const checked = paramCheckers[method as Method](p);
    return { id, method: method as Method, params: checked } as RequestMsg;
  } catch (e) {
    if (e instanceof ProtocolError) (e as ProtocolError & { id?: number }).id = id;
    throw e;
  }
}

export function requestIdOf(e: unknown): number | null {
  const id = (e as { id?: unknown }).id;
  return typeof id === 'number' ? id : null;
}

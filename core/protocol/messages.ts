import type { FeedStatus, MktPair, Quote, ServiceInfo, SymbolMatch, Timeframe } from './types.js';

/**
 * The typed API. Text frames carry JSON: requests `{id, method, params}`, replies `{id, result}` or
 * `{id, error}`, events `{event, data}`. Bar rows travel as binary frames (frames.ts).
 */
export interface Methods {
  hello: { params: { client?: string }; result: { version: string; backends: string[]; serverTime: number } };
  'services.list': { params: Record<string, never>; result: ServiceInfo[] };
  'symbols.search': { params: { pattern: string; limit?: number }; result: SymbolMatch[] };
  'mkt.info': { params: { fqme: string }; result: MktPair };
  /** Opens a bar stream: a snapshot of the newest `count` rows, then batched row updates. */
  'bars.subscribe': {
    params: { fqme: string; timeframe: Timeframe; count?: number };
    result: { streamId: number; fqme: string; timeframe: Timeframe; first: number; last: number };
  };
  /** Rows [from, to) of an open stream's buffer, for paging in older history. */
  'bars.range': { params: { streamId: number; from: number; to: number }; result: { rows: number } };
  'bars.unsubscribe': { params: { streamId: number }; result: { ok: true } };
  'quotes.subscribe': { params: { fqme: string }; result: { fqme: string } };
  'quotes.unsubscribe': { params: { fqme: string }; result: { ok: true } };
  'feeds.status': { params: Record<string, never>; result: FeedStatus[] };
  /** Test hook (host started with testHooks): crashes a service to exercise its supervisor. */
  'debug.crash': { params: { service: string }; result: { ok: true } };
}

export type Method = keyof Methods;
export type Params<M extends Method> = Methods[M]['params'];
export type Result<M extends Method> = Methods[M]['result'];

export interface Events {
  services: ServiceInfo[];
  /** Ticks since the last event; `dropped` counts trades lost to a full queue of a slow client. */
  quote: Quote & { dropped?: number };
  step: { period: Timeframe; time: number };
  feed: FeedStatus;
  /** A stream's buffer was replaced (worker restart) or extended backwards (history backfill). */
  stream: { streamId: number; first: number; last: number; reason: 'reset' | 'history' };
}
export type EventName = keyof Events;

export interface RequestMsg<M extends Method = Method> {
  id: number;
  method: M;
  params: Params<M>;
}
export interface ErrorBody {
  code: 'bad_request' | 'unknown_method' | 'bad_params' | 'not_found' | 'unavailable' | 'internal';
  message: string;
}
export type ReplyMsg = { id: number; result: unknown } | { id: number | null; error: ErrorBody };
export interface EventMsg<E extends EventName = EventName> {
  event: E;
  data: Events[E];
}
export type ServerMsg = ReplyMsg | EventMsg;

export const METHODS: readonly Method[] = [
  'hello',
  'services.list',
  'symbols.search',
  'mkt.info',
  'bars.subscribe',
  'bars.range',
  'bars.unsubscribe',
  'quotes.subscribe',
  'quotes.unsubscribe',
  'feeds.status',
  'debug.crash',
];

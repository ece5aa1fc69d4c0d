import { backoffDelay, type Backoff } from '../net/venue-socket.js';

/**
 * Kraken REST plumbing shared by the public (datad) and private (brokerd) sides. Kraken reports errors in the
 * body with HTTP 200: `{"error":["EAPI:Rate limit exceeded"],"result":...}`; an empty array means success.
 * Rate-limit replies are retried with backoff a bounded number of times, then surfaced with the venue's words.
 */
export class KrakenApiError extends Error {
  constructor(
    readonly errors: string[],
    readonly path: string,
    readonly status = 200,
  ) {
    super(`${path}: ${errors.join('; ')}`);
  }

  get rateLimited(): boolean {
    return this.errors.some((e) => RATE_LIMIT.test(e));
  }
}

/** Kraken's rate-limit answers (K6, K7): the REST call counter, the engine limiter, too many concurrent requests. */
export const RATE_LIMIT = /^(EAPI:Rate limit exceeded|EGeneral:Too many requests|EService: ?Throttled|EOrder:Rate limit exceeded|HTTP 429)/;

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  backoff: Backoff;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, backoff: { minMs: 500, maxMs: 8_000 } };

export interface RestRequest {
  method: 'GET' | 'POST';
  url: string;
  /** The path the error names (`/0/public/OHLC`). */
  path: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
}

/** One call: the `result` on success, a KrakenApiError for `error` entries or a non-2xx status. */
export async function krakenFetch(req: RestRequest): Promise<unknown> {
  const res = await fetch(req.url, {
    method: req.method,
    headers: req.headers,
    body: req.body,
    signal: AbortSignal.timeout(req.timeoutMs ?? 15_000),
  });
  const text = await res.text();
  let body: { error?: unknown; result?: unknown } | null;
  try {
    body = JSON.parse(text) as { error?: unknown; result?: unknown } | null;
  } catch {
    body = null;
  }
  const errs: unknown = body && typeof body === 'object' ? body.error : undefined;
  const errors = Array.isArray(errs) ? errs.filter((e): e is string => typeof e === 'string') : [];
  if (res.status === 429) throw new KrakenApiError(errors.length ? errors : ['HTTP 429 Too Many Requests'], req.path, 429);
  if (!res.ok) throw new KrakenApiError([`HTTP ${res.status}${errors.length ? ` ${errors.join('; ')}` : ''}`], req.path, res.status);
  if (!body || typeof body !== 'object') throw new KrakenApiError([`not a JSON object: ${text.slice(0, 80)}`], req.path);
  if (errors.length) throw new KrakenApiError(errors, req.path);
  return body.result;
}

/** Runs `call` (which must build a fresh request each time: private calls need a new nonce) with rate-limit retries. */
export async function withRetry<T>(what: string, call: () => Promise<T>, policy: RetryPolicy, log?: (line: string) => void): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      const retry = e instanceof KrakenApiError && e.rateLimited && attempt + 1 < policy.attempts;
      if (!retry) throw e;
      const delay = backoffDelay(attempt, policy.backoff);
      log?.(`kraken: ${what} rate limited (${e.errors.join('; ')}); retry ${attempt + 1} in ${delay} ms`);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/** GET a public endpoint: `/0/public/<name>?<params>`. */
export function publicGet(restUrl: string, name: string, params: Record<string, string>, policy: RetryPolicy, log?: (line: string) => void): Promise<unknown> {
  const path = `/0/public/${name}`;
  const qs = new URLSearchParams(params).toString();
  const url = `${restUrl}${path}${qs ? `?${qs}` : ''}`;
  return withRetry(name, () => krakenFetch({ method: 'GET', url, path }), policy, log);
}

import { backoffDelay, type Backoff } from '../net/venue-socket.js';

/**
 * Bybit V5 public REST. Bybit answers most errors with HTTP 200 and `{retCode != 0, retMsg}`; rate limits come
 * as retCode 10006 (per-UID limit) or 10018 (IP limit), or as HTTP 403 "access too frequent" (600 requests per
 * 5 s per IP). Those, HTTP 429/5xx and network failures are retried with backoff a bounded number of times,
 * then surfaced as an error naming the last cause.
 */
export interface RestOptions {
  baseUrl: string;
  /** Retries after the first attempt. */
  retries?: number;
  backoff?: Backoff;
  timeoutMs?: number;
  log?: (line: string) => void;
  fetch?: typeof fetch;
}

export class BybitApiError extends Error {
  constructor(
    readonly retCode: number,
    readonly retMsg: string,
    what: string,
  ) {
    super(`bybit ${what}: retCode ${retCode}: ${retMsg}`);
  }
}

const RATE_LIMIT_CODES = new Set([10006, 10018]);
const DEFAULT_BACKOFF: Backoff = { minMs: 500, maxMs: 15_000 };

type Attempt = { ok: true; result: unknown } | { ok: false; retry: boolean; why: string; waitUntilMs?: number };

export class BybitRest {
  private readonly fetchFn: typeof fetch;

  constructor(private readonly o: RestOptions) {
    this.fetchFn = o.fetch ?? fetch;
  }

  /** GET `path` with `params`; resolves to the reply's `result` object. */
  async get(path: string, params: Record<string, string | number | undefined>): Promise<Record<string, unknown>> {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined) qs.set(k, String(v));
    const url = `${this.o.baseUrl.replace(/\/$/, '')}${path}?${qs}`;
    const what = `GET ${path}`;
    const retries = this.o.retries ?? 4;
    const backoff = this.o.backoff ?? DEFAULT_BACKOFF;
    for (let attempt = 0; ; attempt++) {
      const a = await this.attempt(url, what);
      if (a.ok) return a.result as Record<string, unknown>;
      if (!a.retry) throw new Error(`bybit ${what}: ${a.why}`);
      if (attempt >= retries) throw new Error(`bybit ${what}: ${a.why} (gave up after ${attempt + 1} attempts)`);
      let wait = backoffDelay(attempt, backoff);
      // Bybit says when the limit window resets; waiting for it beats guessing, within our own ceiling.
      if (a.waitUntilMs !== undefined) wait = Math.max(wait, Math.min(backoff.maxMs, a.waitUntilMs - Date.now()));
      this.o.log?.(`bybit ${what}: ${a.why}; retry ${attempt + 1}/${retries} in ${wait} ms`);
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  private async attempt(url: string, what: string): Promise<Attempt> {
    let res: Response;
    let text: string;
    try {
      res = await this.fetchFn(url, { signal: AbortSignal.timeout(this.o.timeoutMs ?? 15_000) });
      text = await res.text();
    } catch (e) {
      return { ok: false, retry: true, why: `request failed: ${(e as Error).message}` };
    }
    const reset = Number(res.headers.get('x-bapi-limit-reset-timestamp'));
    const waitUntilMs = Number.isFinite(reset) && reset > 0 ? reset : undefined;
    if (res.status === 403 || res.status === 429) {
      return { ok: false, retry: true, why: `rate limited (HTTP ${res.status} ${text.slice(0, 80).trim()})`, waitUntilMs };
    }
    if (res.status >= 500) return { ok: false, retry: true, why: `HTTP ${res.status}` };
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return { ok: false, retry: false, why: `HTTP ${res.status}, not JSON: ${text.slice(0, 120)}` };
    }
    const b = body as { retCode?: unknown; retMsg?: unknown; result?: unknown };
    if (typeof body !== 'object' || body === null || typeof b.retCode !== 'number') {
      return { ok: false, retry: false, why: `HTTP ${res.status}, no retCode: ${text.slice(0, 120)}` };
    }
    const msg = typeof b.retMsg === 'string' ? b.retMsg : '';
    if (RATE_LIMIT_CODES.has(b.retCode)) return { ok: false, retry: true, why: `rate limited (retCode ${b.retCode} ${msg})`, waitUntilMs };
    if (b.retCode !== 0) throw new BybitApiError(b.retCode, msg, what);
    if (typeof b.result !== 'object' || b.result === null) return { ok: false, retry: false, why: 'reply without a result' };
    return { ok: true, result: b.result };
  }
}

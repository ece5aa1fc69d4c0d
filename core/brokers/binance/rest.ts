/**
 * Binance REST (B2): JSON over HTTPS, errors as `{"code":…,"msg":…}`, HTTP 429 = rate limited and 418 = IP
 * banned, both with `Retry-After` (seconds). A 429 is retried after Retry-After a bounded number of times; a 418
 * is surfaced at once and every request fails fast until the ban ends (retrying into a ban lengthens it).
 * 5XX means the outcome is unknown: idempotent requests (GET) are retried with backoff, others are reported so
 * the caller can look the order up.
 */
export class BinanceError extends Error {
  constructor(
    message: string,
    /** HTTP status, 0 for a network failure. */
    readonly status: number,
    /** Binance's error code (-2010, -1013, …), null when the body had none. */
    readonly code: number | null = null,
    readonly venueMsg = '',
  ) {
    super(message);
  }

  /** 5XX or no answer: the venue may or may not have acted on the request. */
  get unknownOutcome(): boolean {
    return this.status === 0 || this.status >= 500 || this.code === -1007;
  }
}

export interface RestOptions {
  /** Retries of a 429 (and, for GETs, of 5XX / network errors) before the error is surfaced. */
  maxRetries?: number;
  /** A Retry-After longer than this is not waited for: the error is surfaced. */
  maxWaitMs?: number;
  /** First backoff step without a Retry-After; doubles per attempt. */
  retryBaseMs?: number;
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface RestRequest {
  method: 'GET' | 'POST' | 'DELETE' | 'PUT';
  path: string;
  /** Built per attempt, so signed requests get a fresh timestamp and signature on a retry. */
  query: () => string;
  headers?: Record<string, string>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class BinanceRest {
  private bannedUntil = 0;
  private readonly maxRetries: number;
  private readonly maxWaitMs: number;
  private readonly retryBaseMs: number;
  private readonly timeoutMs: number;

  constructor(
    readonly baseUrl: string,
    private readonly o: RestOptions = {},
  ) {
    this.maxRetries = o.maxRetries ?? 4;
    this.maxWaitMs = o.maxWaitMs ?? 60_000;
    this.retryBaseMs = o.retryBaseMs ?? 500;
    this.timeoutMs = o.timeoutMs ?? 15_000;
  }

  /** `retries` overrides maxRetries for this request (an optional download that must not stall a caller). */
  get(path: string, params: Record<string, string | number> = {}, retries?: number): Promise<unknown> {
    const query = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString();
    return this.request({ method: 'GET', path, query: () => query }, retries);
  }

  async request(r: RestRequest, retries = this.maxRetries): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      const banLeft = this.bannedUntil - Date.now();
      if (banLeft > 0) throw new BinanceError(`Binance has banned this IP (418) for another ${Math.ceil(banLeft / 1000)} s`, 418);
      const q = r.query();
      const url = `${this.baseUrl.replace(/\/$/, '')}${r.path}${q ? `?${q}` : ''}`;
      let res: Response;
      try {
        res = await fetch(url, { method: r.method, headers: r.headers, signal: AbortSignal.timeout(this.timeoutMs) });
      } catch (e) {
        const err = new BinanceError(`${r.method} ${r.path}: no answer from Binance (${(e as Error).message})`, 0);
        if (r.method === 'GET' && attempt < retries) {
          await this.wait(r, attempt, retries, null, err.message);
          continue;
        }
        throw err;
      }
      const text = await res.text();
      if (res.ok) {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          throw new BinanceError(`${r.method} ${r.path}: answer is not JSON: ${text.slice(0, 100)}`, res.status);
        }
      }
      const { code, msg } = errorBody(text);
      const retryAfterMs = retryAfter(res.headers.get('retry-after'));
      const what = `${r.method} ${r.path}: HTTP ${res.status}${code !== null ? ` ${code}` : ''}${msg ? ` ${msg}` : ''}`;
      if (res.status === 418) {
        this.bannedUntil = Date.now() + (retryAfterMs ?? 120_000);
        throw new BinanceError(`${what} (IP banned for ${Math.ceil((retryAfterMs ?? 120_000) / 1000)} s)`, 418, code, msg);
      }
      const retryable = res.status === 429 || (res.status >= 500 && r.method === 'GET');
      if (!retryable || attempt >= retries || (retryAfterMs ?? 0) > this.maxWaitMs) {
        const tail = res.status === 429 ? ` (rate limited; gave up after ${attempt} retries)` : '';
        throw new BinanceError(what + tail, res.status, code, msg);
      }
      await this.wait(r, attempt, retries, retryAfterMs, what);
    }
  }

  private async wait(r: RestRequest, attempt: number, retries: number, retryAfterMs: number | null, why: string): Promise<void> {
    const ms = retryAfterMs ?? this.retryBaseMs * 2 ** attempt;
    this.o.log?.(`${why}; retry ${attempt + 1}/${retries} of ${r.method} ${r.path} in ${ms} ms`);
    await sleep(ms);
  }
}

function errorBody(text: string): { code: number | null; msg: string } {
  try {
    const b = JSON.parse(text) as { code?: unknown; msg?: unknown };
    return { code: typeof b.code === 'number' ? b.code : null, msg: typeof b.msg === 'string' ? b.msg : '' };
  } catch {
    return { code: null, msg: text.slice(0, 100) };
  }
}

function retryAfter(h: string | null): number | null {
  if (h === null) return null;
  const s = Number(h);
  if (Number.isFinite(s) && s >= 0) return s * 1000;
  const at = Date.parse(h);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : null;
}

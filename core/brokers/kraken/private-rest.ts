import { DEFAULT_RETRY, krakenFetch, withRetry, type RetryPolicy } from './rest.js';
import { apiSign, nextNonce } from './sign.js';

/**
 * Signed calls to `POST /0/private/<name>` (K7): a form-urlencoded body starting with a fresh nonce, `API-Key` and
 * `API-Sign` headers. A retry after a rate limit signs again with a new nonce (a reused one is `EAPI:Invalid
 * nonce`). Neither the key nor the secret ever appears in an error or a log line.
 */
export interface PrivateRestOptions {
  restUrl: string;
  apiKey: string;
  apiSecret: string;
  retry?: RetryPolicy;
  log: (line: string) => void;
  now?: () => number;
}

export class KrakenPrivateRest {
  /** Calls go out one at a time: nonces must reach Kraken in the order they were drawn. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: PrivateRestOptions) {}

  call(name: string, params: Record<string, string> = {}): Promise<unknown> {
    const run = this.queue.then(() => this.callNow(name, params));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private callNow(name: string, params: Record<string, string>): Promise<unknown> {
    const path = `/0/private/${name}`;
    return withRetry(
      name,
      () => {
        const nonce = nextNonce(this.o.apiKey, this.o.now?.());
        const body = new URLSearchParams({ nonce, ...params }).toString();
        return krakenFetch({
          method: 'POST',
          url: `${this.o.restUrl}${path}`,
          path,
          body,
          headers: {
            'API-Key': this.o.apiKey,
            'API-Sign': apiSign(path, nonce, body, this.o.apiSecret),
            'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
          },
        });
      },
      this.o.retry ?? DEFAULT_RETRY,
      this.o.log,
    );
  }
}

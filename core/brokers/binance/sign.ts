import { createHmac } from 'node:crypto';

/**
 * Binance HMAC-SHA256 request signing (exchange-protocols.md B3).
 *
 * REST: the signature covers the query string exactly as sent (plus the urlencoded body, which we never use: all
 * parameters go in the query), hex-encoded, and is appended as `signature`; the key travels in `X-MBX-APIKEY`.
 * WebSocket API: every parameter except `signature`, apiKey included, sorted by name and joined as `k=v&…`.
 */
export type Params = Record<string, string | number | boolean>;

export function hmacHex(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload, 'utf8').digest('hex');
}

/**
 * `k=v&…` in the given order. Values are percent-encoded like a URL query (non-ASCII included, as B3 asks); the
 * signature is computed over this exact text, so whatever the server decodes matches what was signed.
 */
export function queryString(params: Params): string {
  return Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
}

/** The signed REST query: `<params>&signature=<hex>`. */
export function signedQuery(params: Params, secret: string): string {
  const q = queryString(params);
  return `${q}&signature=${hmacHex(secret, q)}`;
}

/** The WebSocket API signature payload: all params but `signature`, sorted by name, `k=v&…` (UTF-8, unencoded). */
export function wsApiPayload(params: Params): string {
  return Object.keys(params)
    .filter((k) => k !== 'signature')
    .sort()
    .map((k) => `${k}=${String(params[k])}`)
    .join('&');
}

/** `params` with its WebSocket API `signature` added. */
export function signWsParams<P extends Params>(params: P, secret: string): P & { signature: string } {
  return { ...params, signature: hmacHex(secret, wsApiPayload(params)) };
}

import { createHash, createHmac } from 'node:crypto';

/**
 * Kraken REST signing (K7): API-Sign = base64(HMAC-SHA512(key = base64decode(secret),
 * msg = URI path + SHA256(nonce + POST data))). The body hashed is exactly the body sent; we send
 * form-urlencoded bodies (the encoding of the documented vector).
 */
export function apiSign(path: string, nonce: string, postData: string, secretB64: string): string {
  const inner = createHash('sha256').update(nonce + postData).digest();
  return createHmac('sha512', Buffer.from(secretB64, 'base64'))
    .update(Buffer.concat([Buffer.from(path, 'utf8'), inner]))
    .digest('base64');
}

/** The newest nonce handed out per API key in this process: every dialog on a key shares the sequence. */
const lastNonce = new Map<string, bigint>();

/**
 * An always-increasing uint64 nonce per key. Nanosecond-scale values (the docs recommend them) from the wall
 * clock, and strictly above the previous one even within a millisecond or across dialogs; a restarted process
 * starts above what it used before because the clock moved on.
 */
export function nextNonce(apiKey: string, nowMs: number = Date.now()): string {
  const fromClock = BigInt(Math.floor(nowMs)) * 1_000_000n;
  const prev = lastNonce.get(apiKey) ?? 0n;
  const n = fromClock > prev ? fromClock : prev + 1n;
  lastNonce.set(apiKey, n);
  return n.toString();
}

/**
 * A client of a Host in the same process, for benchmarks and tests that time or inspect what a client would get
 * without a socket in between (bench/ems.ts, test/integration/ems-pipeline.test.ts).
 */
import type { ServerConnection } from '../api/connection.js';
import { unpackTicks } from '../data/tick-pack.js';
import type { Host } from './host.js';

/**
 * Attaches a connection that hands each text the host sends to `onText`, as it would leave on a socket. A client
 * gets the statuses of the markets it follows: with `follow`, it follows that market as one that places orders
 * there does (a cancelAll there, which finds nothing, without a quote stream it would also pay for).
 */
export function attachTextClient(host: Host, label: string, onText: (text: string) => void, follow?: string): { request(text: string): void } {
  let request: (data: string) => void = () => {};
  const conn: ServerConnection = {
    label,
    sendText: onText,
    sendBinary: () => {},
    bufferedAmount: () => 0,
    onMessage: (cb) => void (request = cb),
    onClose: () => {},
    close: () => {},
  };
  host.attach(conn);
  if (follow) request(JSON.stringify({ id: 0, method: 'orders.cancelAll', params: { fqme: follow } }));
  return { request: (text) => request(text) };
}

/** Opens `fqme` and resolves, once it has traded, with a reader of its newest trade price (kept current). */
export async function lastTrade(host: Host, fqme: string, timeoutMs = 20_000): Promise<() => number> {
  let last = 0;
  host.hub.listen({
    onQuotes: (f, packed) => {
      if (f !== fqme) return;
      for (const t of unpackTicks(packed)) if (t.type === 'trade' || t.type === 'last') last = t.price;
    },
  });
  await host.hub.open(fqme);
  for (let waited = 0; last === 0; waited += 10) {
    if (waited > timeoutMs) throw new Error(`no trade on ${fqme} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return () => last;
}

// emsd compacts its journal (core/clearing/emsd/compaction.ts): a real host with a tiny threshold runs hundreds of
// order lifecycles; old segments must be gone from disk, emsd's order map must stop growing, and after a restart
// every working order, dark order and alert is back while retried submits of recent finished oids stay retries.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lastTradePrice, startTestHost, statuses, until, type TestHost } from './harness.js';
import type { ApiClient } from '../../core/protocol/client.js';
import type { Order, Status } from '../../core/protocol/orders.js';
import { addDec, mulDec, quantize } from '../../core/protocol/decimal.js';
import { replayAll } from '../../core/clearing/journal/index.js';

const FQME = 'xbtusd.spot.sim';
const CONFIG = '[ems]\ncompact_bytes = 8192\nkeep_finished = 40\n';
const LIFECYCLES = 320;
const hosts: TestHost[] = [];
afterAll(async () => {
  for (const h of hosts) await h.stop().catch(() => undefined);
  if (hosts[0]) rmSync(hosts[0].dataDir, { recursive: true, force: true });
});

async function emsDetail(c: ApiClient): Promise<Record<string, string | number>> {
  return (await c.call('services.list', {})).find((s) => s.name === 'emsd')!.detail as Record<string, string | number>;
}

describe('emsd journal compaction', () => {
  it('drops old segments and finished orders past the horizon; a restart brings every live order back, retries stay retries', async () => {
    const first = await startTestHost({ rate: 50, config: CONFIG });
    hosts.push(first);
    const journal = join(first.dataDir, 'journal');
    const c = await first.connect();
    const st = statuses(c);
    const px = await lastTradePrice(c, FQME, '0.5');
    const at = (factor: string) => quantize(mulDec(px, factor), '0.5');
    const base = { fqme: FQME, account: 'paper', size: '0.01' };
    let n = 0;
    const live = new Map<string, Order>();
    const canceled: Order[] = [];

    // Dark buys, alerts and resting paper limits far from the market; seven of eight canceled again.
    async function lifecycle(keep = n % 8 === 0): Promise<void> {
      const i = n++;
      const kind = i % 3;
      const o: Order =
        kind === 0
          ? { ...base, oid: `dark-${i}`, action: 'buy', execMode: 'dark', price: at('0.5') }
          : kind === 1
            ? { ...base, oid: `alert-${i}`, action: 'alert', execMode: 'dark', price: at('2'), size: '0' }
            : { ...base, oid: `rest-${i}`, action: 'buy', execMode: 'paper', price: at('0.8') };
      expect((await c.call('orders.submit', { order: o })).resp).not.toBe('error');
      if (keep) {
        live.set(o.oid, o);
        return;
      }
      expect((await c.call('orders.cancel', { cancel: { action: 'cancel', oid: o.oid, fqme: FQME } })).resp).not.toBe('error');
      await until(() => st.of(o.oid).includes('canceled'), `${o.oid} canceled`);
      canceled.push(o);
    }
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        while (n < LIFECYCLES) await lifecycle();
      }),
    );
    // The newest finished orders: two canceled ones and a paper buy that fills.
    for (let k = 0; k < 2; k++) await lifecycle(false);
    const filled: Order = { ...base, oid: 'filled-last', action: 'buy', execMode: 'paper', price: addDec(px, '500') };
    await c.call('orders.submit', { order: filled });
    await until(() => st.of(filled.oid).includes('closed'), 'the marketable buy to fill');
    const positionBefore = (await c.call('positions.list', {})).find((p) => p.account === 'paper' && p.fqme === FQME)!.size;

    const detail = await until(async () => {
      const d = await emsDetail(c);
      return Number(d.compactions) >= 3 ? d : null;
    }, 'compactions');
    // emsd's map holds the working orders and at most the horizon's finished ones, not every order ever placed.
    expect(Number(detail.orders)).toBeLessThan(n / 2);
    // Old segments are gone: the journal starts at a snapshot, and nothing before it is on disk.
    const onDisk = readdirSync(journal).filter((f) => f.endsWith('.jnl'));
    expect(onDisk).not.toContain('00000000000000000001.jnl');
    const { entries, report } = await replayAll(journal, { repair: false });
    expect(report.snapshotSegment).toBe(onDisk.sort()[0]);
    expect(report.obsoleteSegments).toEqual([]);
    expect(entries[0]!.type).toBe('snapshot');

    await first.stop();
    const second = await startTestHost({ rate: 50, config: CONFIG, dataDir: first.dataDir });
    hosts.push(second);
    const c2 = await second.connect();
    const active = new Map((await c2.call('orders.active', {})).map((s) => [s.oid, s] as const));
    expect([...active.keys()].sort()).toEqual([...live.keys()].sort());
    for (const [oid, o] of live) {
      const s = active.get(oid)!;
      expect(s.resp, oid).toMatch(o.execMode === 'dark' ? /^dark_open$/ : /^(pending|open)$/);
      expect((s.req as Order).price, oid).toBe(o.price);
    }

    // Retried submits: a recent canceled one stays canceled, the filled one stays filled (no second fill), a working
    // one is the same order.
    const retries: Status[] = [];
    for (const o of [...canceled.slice(-2), filled, live.values().next().value!]) retries.push(await c2.call('orders.submit', { order: o }));
    expect(retries.map((s) => s.resp)).toEqual(['canceled', 'canceled', 'closed', expect.stringMatching(/^(dark_open|pending|open)$/)]);
    await new Promise((r) => setTimeout(r, 300));
    expect((await c2.call('orders.active', {})).length).toBe(live.size);
    expect((await c2.call('positions.list', {})).find((p) => p.account === 'paper' && p.fqme === FQME)!.size).toBe(positionBefore);
  }, 120_000);
});

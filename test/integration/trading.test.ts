import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { lastTradePrice, startTestHost, statuses, until, type TestHost } from './harness.js';
import type { ApiClient } from '../../core/protocol/client.js';
import type { Order } from '../../core/protocol/orders.js';
import { addDec, mulDec, quantize } from '../../core/protocol/decimal.js';
import { printLedger } from '../../core/cli/ledger.js';

const FQME = 'xbtusd.spot.sim';
let t: TestHost;

beforeAll(async () => {
  t = await startTestHost({ rate: 100, venueAckMs: 300 });
});
afterAll(async () => {
  await t.stop();
});

const lastPrice = (c: ApiClient) => lastTradePrice(c, FQME, '0.5');

/**
 * Arms a dark order or alert at the last price, and moves it to the newest one until it fires. At the last price
 * the next tick at or beyond it fires it, unless the market moved away meanwhile (the price is rounded to the tick,
 * the book may have seen a newer trade): then a random walk may take long to come back, so it follows the market.
 */
async function armAtMarket(c: ApiClient, st: ReturnType<typeof statuses>, o: Order, fired: () => boolean): Promise<void> {
  for (let i = 0; i < 10; i++) {
    const s = await c.call('orders.submit', { order: { ...o, price: await lastPrice(c) } });
    expect(s.resp).toBe('dark_open');
    try {
      await until(fired, `${o.oid} to fire`, 2_500);
      return;
    } catch {
      if (fired()) return;
    }
  }
  throw new Error(`${o.action} ${o.oid} never fired at the market: ${st.of(o.oid).join(', ')}`);
}

const order = (o: Partial<Order>): Order => ({
  action: 'buy',
  execMode: 'paper',
  oid: randomUUID(),
  fqme: FQME,
  account: 'paper',
  price: '1',
  size: '0.01',
  ...o,
});

describe('emsd over the API', () => {
  it('fills a marketable paper order, books the position and writes the ledger', async () => {
    const c = await t.connect();
    const st = statuses(c);
    const px = await lastPrice(c);
    const buy = order({ price: addDec(px, '500') });
    const first = await c.call('orders.submit', { order: buy });
    expect(first.resp).toBe('pending');
    await until(() => st.of(buy.oid).includes('closed'), 'the paper buy to close');
    expect(st.of(buy.oid)).toContain('fill');
    // Filled against the quoted size, possibly in parts: the parts add up exactly.
    const fills = st.seen.filter((s) => s.oid === buy.oid && s.resp === 'fill');
    expect(fills.map((f) => f.fill!.size).reduce((a, b) => addDec(a, b))).toBe('0.01');
    const fill = fills[0]!;
    const pos = (await c.call('positions.list', {})).find((p) => p.account === 'paper' && p.fqme === FQME)!;
    expect(pos.size).toBe('0.01');
    const ledger = readFileSync(join(t.dataDir, 'ledgers', 'sim.paper.jsonl'), 'utf8');
    expect(ledger).toContain(fill.fill!.tid);
    const printed = await printLedger(t.dataDir, 'paper');
    expect(printed).toMatch(/xbtusd\.spot\.sim/);
    expect(printed).toContain(fill.fill!.tid);
    await expect(printLedger(t.dataDir, 'nobody')).rejects.toThrow(/no ledger for account 'nobody'/);
    const names = (await c.call('services.list', {})).map((s) => s.name);
    expect(names).toContain('paperd.sim');
    expect(names).toContain('emsd');
    expect(names.some((n) => n.startsWith('brokerd'))).toBe(false);
  });

  it('refuses bad orders with a reason and sends nothing on', async () => {
    const c = await t.connect();
    const cases: [Partial<Order>, RegExp][] = [
      [{ size: '0' }, /size/],
      [{ size: '-1' }, /size/],
      [{ price: '50000.3' }, /not a multiple of the tick 0\.5/],
      [{ size: '0.00001' }, /size/],
      [{ fqme: 'nope.spot.sim' }, /nope\.spot\.sim/],
      [{ account: 'nobody', execMode: 'live' }, /account/],
      [{ price: '0' }, /price/],
    ];
    for (const [o, why] of cases) {
      const s = await c.call('orders.submit', { order: order(o) });
      expect(s.resp, JSON.stringify(o)).toBe('error');
      expect(s.reason).toMatch(why);
    }
    const names = (await c.call('services.list', {})).map((s) => s.name);
    expect(names.some((n) => n.startsWith('brokerd'))).toBe(false);
    expect(await c.call('orders.active', {})).toEqual([]);
  });

  it('triggers a dark buy into a fill, and fires an alert once', async () => {
    const c = await t.connect();
    const st = statuses(c);
    const alerts: string[] = [];
    c.on('alert', (a) => alerts.push(a.oid));
    const dark = order({ execMode: 'dark' });
    await armAtMarket(c, st, dark, () => st.of(dark.oid).includes('triggered'));
    const alert = order({ action: 'alert', execMode: 'dark', size: '0' });
    await armAtMarket(c, st, alert, () => alerts.includes(alert.oid));
    await until(() => st.of(dark.oid).includes('closed'), 'the dark buy to fill', 20_000);
    expect(st.of(dark.oid)).toEqual(expect.arrayContaining(['dark_open', 'triggered', 'fill', 'closed']));
    await until(() => alerts.includes(alert.oid), 'the alert');
    expect(alerts.filter((a) => a === alert.oid)).toHaveLength(1);
    expect((await c.call('orders.active', {})).map((s) => s.oid)).not.toContain(alert.oid);
  });

  it('starts brokerd.sim only for a live order, and sends a cancel made before the ack once the ack arrives', async () => {
    const c = await t.connect();
    const other = await t.connect();
    const st = statuses(c);
    const st2 = statuses(other);
    // Another window on the same market sees every Status of it too.
    await other.call('quotes.subscribe', { fqme: FQME });
    const px = await lastPrice(c);
    expect((await c.call('services.list', {})).some((s) => s.name === 'brokerd.sim')).toBe(false);
    const live = order({ account: 'live', execMode: 'live', price: quantize(mulDec(px, '0.9'), '0.5') });
    const first = await c.call('orders.submit', { order: live });
    expect(first.resp).toBe('pending');
    expect((await c.call('services.list', {})).some((s) => s.name === 'brokerd.sim')).toBe(true);
    // The venue acks after 300 ms: this cancel is made before it.
    const cancel = await c.call('orders.cancel', { cancel: { action: 'cancel', oid: live.oid, fqme: FQME } });
    expect(cancel.cancelCalled).toBe(true);
    await until(() => st.of(live.oid).includes('canceled'), 'the venue to confirm the cancel');
    expect(st2.of(live.oid)).toEqual(st.of(live.oid));
  });

  it('fills a live order at the sim venue and keeps its position apart from paper', async () => {
    const c = await t.connect();
    const st = statuses(c);
    const px = await lastPrice(c);
    const live = order({ account: 'live', execMode: 'live', price: addDec(px, '500'), size: '0.02' });
    await c.call('orders.submit', { order: live });
    await until(() => st.of(live.oid).includes('closed'), 'the live order to fill');
    const pos = (await c.call('positions.list', {})).find((p) => p.account === 'live' && p.fqme === FQME)!;
    expect(pos.size).toBe('0.02');
    expect(existsSync(join(t.dataDir, 'ledgers', 'sim.live.jsonl'))).toBe(true);
  });

  it('treats a retried submit as the same order, and a changed one as a modify', async () => {
    const c = await t.connect();
    const px = await lastPrice(c);
    const o = order({ price: quantize(mulDec(px, '0.8'), '0.5') });
    const st = statuses(c);
    await c.call('orders.submit', { order: o });
    await until(() => st.of(o.oid).includes('open'), 'the order to open');
    const retry = await c.call('orders.submit', { order: o });
    expect(retry.resp).toBe('open');
    expect((await c.call('orders.active', {})).filter((s) => s.oid === o.oid)).toHaveLength(1);
    const fills = readFileSync(join(t.dataDir, 'ledgers', 'sim.paper.jsonl'), 'utf8');
    expect(fills).not.toContain(o.oid);
    const moved = quantize(mulDec(px, '0.7'), '0.5');
    await c.call('orders.submit', { order: { ...o, price: moved } });
    await until(() => st.seen.filter((s) => s.oid === o.oid && s.resp === 'open').length >= 2, 'the modified order to reopen');
    const active = (await c.call('orders.active', {})).filter((s) => s.oid === o.oid);
    expect(active).toHaveLength(1);
    expect((active[0]!.req as Order).price).toBe(moved);
    const reconnect = await t.connect();
    expect((await reconnect.call('orders.active', {})).map((s) => s.oid)).toContain(o.oid);
    const n = await c.call('orders.cancelAll', { fqme: FQME });
    expect(n.canceled).toBeGreaterThanOrEqual(1);
  });
});

describe('status events go to the clients following the market', () => {
  const ETH = 'ethusd.spot.sim';

  it('reach the client watching the order\'s market and not one watching another; positions reach both', async () => {
    const a = await t.connect();
    const b = await t.connect();
    const stA = statuses(a);
    const stB = statuses(b);
    const positionsB: string[] = [];
    b.on('position', (p) => positionsB.push(p.fqme));
    const px = await lastPrice(a); // a streams xbtusd's quotes
    await b.call('bars.subscribe', { fqme: ETH, timeframe: 60, count: 10 }); // b charts ethusd
    const buy = order({ price: addDec(px, '500') });
    await a.call('orders.submit', { order: buy });
    await until(() => stA.of(buy.oid).includes('closed'), 'the buy to fill');
    await until(() => positionsB.includes(FQME), 'the position to reach the other client');
    expect(stB.seen.filter((s) => (s.req as Order).fqme === FQME)).toEqual([]);

    // A client charting nothing still hears about the order it placed, and the client charting that market too.
    const c = await t.connect();
    const stC = statuses(c);
    const ethPx = await lastTradePrice(b, ETH, '0.01');
    const rest = order({ fqme: ETH, price: quantize(mulDec(ethPx, '0.5'), '0.01') });
    await c.call('orders.submit', { order: rest });
    await until(() => stC.of(rest.oid).includes('open'), 'the eth order to open');
    await until(() => stB.of(rest.oid).includes('open'), 'the eth chart to see it');
    // A client listed it by orders.active follows it from then on (it shows the order, so must see it end).
    expect(stA.of(rest.oid)).toEqual([]);
    expect((await a.call('orders.active', {})).map((s) => s.oid)).toContain(rest.oid);
    await c.call('orders.cancel', { cancel: { action: 'cancel', oid: rest.oid, fqme: ETH } });
    await until(() => stA.of(rest.oid).includes('canceled'), 'the listed order to reach the client that was shown it');
    expect(stC.of(rest.oid)).toContain('canceled');
  });
});

describe('configured fees', () => {
  it('charges the paper taker fee from config.toml, exactly', async () => {
    const h = await startTestHost({ rate: 50, config: '[paper]\ntaker_fee = "0.001"\n' });
    try {
      const c = await h.connect();
      const st = statuses(c);
      const px = await lastPrice(c);
      const buy = order({ price: addDec(px, '500') });
      await c.call('orders.submit', { order: buy });
      await until(() => st.of(buy.oid).includes('closed'), 'the buy to fill');
      const fills = st.seen.filter((s) => s.oid === buy.oid && s.resp === 'fill');
      for (const f of fills) {
        // fee = price x size x 0.001, rounded to the cent (usd's tx tick): a sliver of a partial fill may owe 0.00
        expect(f.fill!.fee).toBe(quantize(mulDec(mulDec(f.fill!.price, f.fill!.size), '0.001'), '0.01'));
      }
      // Together the fees are 0.1% of the order's notional (hundreds of usd), within a half cent per fill.
      const fees = Number(fills.map((f) => f.fill!.fee).reduce((a, b) => addDec(a, b)));
      const notional = fills.reduce((n, f) => n + Number(mulDec(f.fill!.price, f.fill!.size)), 0);
      expect(fees).toBeGreaterThan(0);
      expect(Math.abs(fees - notional * 0.001)).toBeLessThanOrEqual(0.005 * fills.length + 1e-9);
    } finally {
      await h.stop();
    }
  });
});

describe('orders placed outside Candlewick', () => {
  it('adopts an order opened at the venue by other means, and can cancel it', async () => {
    const c = await t.connect();
    const st = statuses(c);
    const px = await lastPrice(c);
    const price = quantize(mulDec(px, '0.5'), '0.5');
    // brokerd.sim must be connected to hear about it: a live order of ours starts it.
    await c.call('orders.submit', { order: order({ account: 'live', execMode: 'live', price }) });
    const reqid = t.host.ems.exchange('sim').injectExternalOrder({ account: 'live', fqme: FQME, action: 'buy', price, size: '0.01' });
    await until(() => st.seen.find((s) => s.reqid === reqid && s.oid.startsWith('ext-')), 'the external order to be adopted', 10_000);
    const active = await c.call('orders.active', {});
    const ext = active.find((s) => s.reqid === reqid);
    expect(ext, JSON.stringify(active.map((s) => [s.oid, s.reqid]))).toBeDefined();
    await c.call('orders.cancel', { cancel: { action: 'cancel', oid: ext!.oid, fqme: FQME } });
    await until(() => st.of(ext!.oid).includes('canceled'), 'the adopted order to cancel');
    await c.call('orders.cancelAll', { fqme: FQME });
  });
});

describe('emsd across a restart', () => {
  it('places a dark order released just before the restart again, at its release limit', async () => {
    // The sim venue sits on the ack for a minute: the released order is still in flight when the host stops.
    const first = await startTestHost({ rate: 50, venueAckMs: 60_000 });
    const dir = first.dataDir;
    const c = await first.connect();
    const st = statuses(c);
    const dark = order({ execMode: 'dark', account: 'live' });
    await armAtMarket(c, st, dark, () => st.of(dark.oid).includes('triggered'));
    const px = st.seen.find((s) => s.oid === dark.oid && s.resp === 'triggered')!.req.price;
    await first.stop();
    const second = await startTestHost({ rate: 50, dataDir: dir });
    try {
      const c2 = await second.connect();
      const again = (await c2.call('orders.active', {})).find((s) => s.oid === dark.oid);
      expect(again, 'the released order is working again').toBeDefined();
      expect(again!.req.execMode).toBe('live');
      // A marketable limit 5 ticks (0.5) through the trigger price it fired at.
      expect(Number(again!.req.price)).not.toBe(Number(px));
      expect(second.host.ems.info().detail.working).toBeGreaterThan(0);
      // The same oid again is that order, not a modify and not a second order.
      expect((await c2.call('orders.submit', { order: { ...dark, price: px } })).oid).toBe(dark.oid);
      expect((await c2.call('orders.active', {})).filter((s) => s.oid === dark.oid)).toHaveLength(1);
    } finally {
      await second.stop();
    }
  });

  it('re-arms dark orders and keeps positions after the host restarts', async () => {
    const first = await startTestHost({ rate: 20 });
    const dir = first.dataDir;
    const c = await first.connect();
    const px = await lastPrice(c);
    const far = order({ execMode: 'dark', price: quantize(mulDec(px, '2'), '0.5') });
    expect((await c.call('orders.submit', { order: far })).resp).toBe('dark_open');
    const st = statuses(c);
    const buy = order({ price: addDec(px, '500') });
    await c.call('orders.submit', { order: buy });
    await until(() => st.of(buy.oid).includes('closed'), 'a fill before the restart');
    await first.stop();
    const second = await startTestHost({ rate: 20, dataDir: dir });
    try {
      const c2 = await second.connect();
      const active = await c2.call('orders.active', {});
      expect(active.find((s) => s.oid === far.oid)?.resp).toBe('dark_open');
      const pos = (await c2.call('positions.list', {})).find((p) => p.account === 'paper' && p.fqme === FQME)!;
      expect(pos.size).toBe('0.01');
    } finally {
      await second.stop();
    }
  });
});

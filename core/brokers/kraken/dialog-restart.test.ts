import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { subDec } from '../../protocol/decimal.js';
import WebSocket from 'ws';
import { canon } from './executions.js';
import { createKrakenDialog } from './index.js';
import { API_KEY, API_SECRET, connected, of, offQuote, order, startHarness, until, type Harness } from './dialog.test-util.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('kraken brokerd dialog: restart, credentials, nonces', () => {
  it('after a restart (and changes made at the venue meanwhile) open orders, queries, fills and balances tell the truth', async () => {
    const one = await connected(h);
    const low = offQuote(h, 'bid', '0.8');
    const high = offQuote(h, 'ask', '1.2');
    const a = order({ action: 'buy', price: low, size: '0.05' });
    const b = order({ action: 'sell', price: high, size: '0.03' });
    const c = order({ action: 'buy', price: offQuote(h, 'ask', '1.01'), size: '0.002' });
    for (const o of [a, b, c]) one.d.handle(o);
    await until('c closed', () => of(one.msgs, 'status').some((s) => s.oid === c.oid && s.status === 'closed'));
    await until('a, b open', () => [a, b].every((o) => of(one.msgs, 'status').some((s) => s.oid === o.oid && s.status === 'open')));
    const reqidOf = (oid: string) => of(one.msgs, 'ack').find((m) => m.oid === oid)!.reqid;
    await one.d.close();

    // While brokerd is down: B is canceled at the venue, A fills partly, and an order is placed outside Candlewick.
    const e = h.priv.engine;
    e.cancel({ orderId: reqidOf(b.oid) });
    const pair = h.fake.pairs.get('BTC/USD')!;
    e.onTapeTrades(pair, [{ id: 1, price: Number(subDec(low, '10')), size: 0.02, time: Date.now(), buy: false }]);
    const ext = e.add({ symbol: 'BTC/USD', side: 'sell', orderType: 'limit', qty: '0.01', limit: high, clOrdId: null });
    expect('orderId' in ext).toBe(true);
    const extId = (ext as { orderId: string }).orderId;

    const two = h.dialog();
    await two.d.connect((m) => two.msgs.push(m));
    const open = await two.d.openOrders();
    expect(open.map((o) => [o.reqid, o.oid, o.fqme, o.action, o.price, o.size, o.filled, o.status]).sort()).toEqual(
      [
        [reqidOf(a.oid), a.oid, 'xbtusd.spot.kraken', 'buy', low, '0.05', '0.02', 'open'],
        [extId, null, 'xbtusd.spot.kraken', 'sell', high, '0.01', '0', 'open'],
      ].sort(),
    );
    expect(await two.d.queryOrder('xbtusd.spot.kraken', a.oid)).toMatchObject({ reqid: reqidOf(a.oid), status: 'open', filled: '0.02' });
    expect(await two.d.queryOrder('xbtusd.spot.kraken', b.oid)).toMatchObject({ reqid: reqidOf(b.oid), status: 'canceled', filled: '0' });
    expect(await two.d.queryOrder('xbtusd.spot.kraken', c.oid)).toMatchObject({ reqid: reqidOf(c.oid), status: 'filled', filled: '0.002', size: '0.002' });
    expect(await two.d.queryOrder('xbtusd.spot.kraken', '0b5e9999-8d1c-4c2e-9a41-000000000000')).toBeNull();
    expect(await two.d.queryOrder('ethusd.spot.kraken', a.oid)).toBeNull();

    const fills = await two.d.fills('xbtusd.spot.kraken', Date.now() - 60_000);
    expect(fills.map((f) => [f.tid, f.reqid, f.oid, f.action, f.price, f.size, f.fee])).toEqual(
      e.trades.map((tr) => [tr.txid, tr.orderId, tr.orderId === reqidOf(a.oid) ? a.oid : c.oid, tr.side, canon(tr.price), canon(tr.qty), canon(tr.fee)]),
    );
    expect(await two.d.fills('ethusd.spot.kraken', Date.now() - 60_000)).toEqual([]);
    const bal = await two.d.balances();
    expect(bal).toEqual(Object.fromEntries([...e.balances].map(([k, v]) => [{ XXBT: 'xbt', ZUSD: 'usd', XETH: 'eth' }[k]!, canon(v)])));

    // The new dialog learned the open orders from the snapshot: A acked with its state, the external one reported.
    await until('snapshot', () => of(two.msgs, 'status').length >= 2);
    expect(of(two.msgs, 'ack')).toEqual([{ type: 'ack', reqid: reqidOf(a.oid), oid: a.oid, account: 'live' }]);
    expect(of(two.msgs, 'status').find((s) => s.reqid === reqidOf(a.oid))).toMatchObject({ status: 'open', filled: '0.02', remaining: '0.03' });
    expect(of(two.msgs, 'status').find((s) => s.reqid === extId)).toMatchObject({ status: 'open', oid: null });
    // emsd resubmitting A after its restart: acked with the same order, nothing sent.
    const adds = h.priv.requests.filter((r) => r.method === 'add_order').length;
    two.d.handle(a);
    await until('re-ack', () => of(two.msgs, 'ack').length === 2);
    expect(of(two.msgs, 'ack')[1]!.reqid).toBe(reqidOf(a.oid));
    expect(h.priv.requests.filter((r) => r.method === 'add_order')).toHaveLength(adds);
  });

  it('a lost executions event (sequence gap) resubscribes: a cancel and a fill made meanwhile are reported', async () => {
    const { d, msgs } = await connected(h);
    const a = order({ action: 'buy', price: offQuote(h, 'bid', '0.8'), size: '0.01' });
    const b = order({ action: 'buy', price: offQuote(h, 'bid', '0.7'), size: '0.01' });
    d.handle(a);
    d.handle(b);
    await until('open', () => of(msgs, 'status').filter((s) => s.status === 'open').length === 2);
    const reqidOf = (oid: string) => of(msgs, 'ack').find((m) => m.oid === oid)!.reqid;
    const e = h.priv.engine;
    h.priv.loseEvents(3);
    e.cancel({ orderId: reqidOf(a.oid) });
    e.onTapeTrades(h.fake.pairs.get('BTC/USD')!, [{ id: 1, price: Number(subDec(b.price, '1')), size: 0.5, time: Date.now(), buy: false }]);
    // The next event shows the gap.
    e.add({ symbol: 'BTC/USD', side: 'sell', orderType: 'limit', qty: '0.01', limit: offQuote(h, 'ask', '1.5'), clOrdId: null });
    await until('b closed', () => of(msgs, 'status').some((s) => s.oid === b.oid && s.status === 'closed'));
    await until('a canceled', () => of(msgs, 'status').some((s) => s.oid === a.oid && s.status === 'canceled'));
    const t = e.trades.at(-1)!;
    expect(of(msgs, 'fill')).toEqual([expect.objectContaining({ reqid: reqidOf(b.oid), tid: t.txid, price: b.price, size: '0.01', fee: canon(t.fee) })]);
    expect(h.logs.filter((l) => l.includes('sequence gap') && l.includes('resubscribing'))).toHaveLength(1);
  });

  it('an order sent just before the connection drops exists exactly once', async () => {
    const { d, msgs } = await connected(h);
    const o = order({ action: 'buy', price: offQuote(h, 'bid', '0.8'), size: '0.01' });
    d.handle(o);
    h.fake.venue.dropConnections();
    await until('ack', () => of(msgs, 'ack').length === 1, 5_000);
    await until('open', () => of(msgs, 'status').some((s) => s.status === 'open'));
    expect([...h.priv.engine.orders.values()].filter((x) => x.clOrdId === o.oid)).toHaveLength(1);
  });

  it('fails connect with the venue reason on a bad key or signature, retries a rate limit, and never logs a secret', async () => {
    const badSecret = h.dialog({ apiSecret: Buffer.from('not the secret').toString('base64') });
    await expect(badSecret.d.connect(() => {})).rejects.toThrow(/EAPI:Invalid key/);
    const badKey = h.dialog({ apiKey: 'someone-else' });
    await expect(badKey.d.connect(() => {})).rejects.toThrow(/EAPI:Invalid key/);
    h.fake.venue.failHttp({ path: '/0/private/GetWebSocketsToken', count: 1, reply: { body: { error: ['EAPI:Rate limit exceeded'] } } });
    h.priv.failNext('add_order', 'EOrder:Insufficient funds');
    const { d, msgs } = h.dialog();
    await d.connect((m) => msgs.push(m));
    d.handle(order({ action: 'buy', price: '10000', size: '0.01' }));
    await until('error', () => of(msgs, 'error').length === 1);
    h.fake.venue.broadcastRaw('{"channel":"executions","type":"update","data":[{"exec_type":"trade"}],"sequence":');
    await d.balances();
    expect(h.logs.some((l) => l.includes('rate limited'))).toBe(true);
    const tokens = [...h.priv.tokens];
    expect(tokens.length).toBeGreaterThan(0);
    for (const secret of [API_KEY, API_SECRET, ...tokens]) {
      for (const line of h.logs) expect(line).not.toContain(secret);
      for (const m of msgs) expect(JSON.stringify(m)).not.toContain(secret);
    }
  });

  it('the fake checks WS tokens: a subscription with a token it never issued is refused', async () => {
    const ws = new WebSocket(h.fake.wsAuthUrl);
    const answers: string[] = [];
    ws.on('message', (d) => answers.push(d.toString()));
    await new Promise((r) => ws.on('open', r));
    ws.send(JSON.stringify({ method: 'subscribe', params: { channel: 'executions', token: 'forged' }, req_id: 1 }));
    await until('answer', () => answers.length > 0);
    expect(JSON.parse(answers[0]!)).toMatchObject({ method: 'subscribe', success: false, error: 'ESession:Invalid session', req_id: 1 });
    ws.close();
  });

  it('createKrakenDialog: null without credentials, a dialog on the configured URLs with them', () => {
    const section = { rest_url: h.fake.restUrl, ws_url: h.fake.wsUrl, ws_auth_url: h.fake.wsAuthUrl, api_key: '', api_secret: API_SECRET };
    expect(createKrakenDialog(section, () => undefined, () => {})).toBeNull();
    expect(createKrakenDialog({ ...section, api_key: API_KEY, api_secret: '' }, () => undefined, () => {})).toBeNull();
    const d = createKrakenDialog({ ...section, api_key: API_KEY }, () => undefined, () => {});
    expect(d).toMatchObject({ broker: 'kraken', account: 'live' });
  });

  it('keeps nonces strictly increasing for concurrent calls and across dialogs on one key', async () => {
    const one = h.dialog();
    const two = h.dialog();
    const all = await Promise.all([...Array.from({ length: 5 }, () => one.d.balances()), ...Array.from({ length: 5 }, () => two.d.openOrders())]);
    expect(all).toHaveLength(10);
    const nonces = h.fake.venue.httpLog.filter((r) => r.path.startsWith('/0/private/')).map((r) => BigInt(new URLSearchParams(r.body).get('nonce')!));
    for (let i = 1; i < nonces.length; i++) expect(nonces[i]! > nonces[i - 1]!).toBe(true);
  });
});

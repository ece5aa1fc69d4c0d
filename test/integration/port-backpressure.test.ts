// Flow control over a window's MessagePort (core/protocol/flow.ts, electron/port-connection.ts). A real host with a
// busy sim market (8,000 trades a second); a node:worker_threads MessageChannel stands in for the Electron port
// (same postMessage API): the host end is a PortConnection, the page end an ApiClient over withAcks(), as
// renderer/client/transport.ts has it. The page subscribes to 1 s bars and quotes, then stops reading (its port
// stops delivering, so it acknowledges nothing). What sits in the port must stay near the slow-client threshold
// however much the market produces meanwhile, and once the page reads again it has the current state, no gap.
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Host } from '../../core/host/host.js';
import { SLOW_CLIENT_BYTES } from '../../core/api/session.js';
import { ApiClient, type Transport } from '../../core/protocol/client.js';
import { ACK_EVERY_BYTES, withAcks } from '../../core/protocol/flow.js';
import { PortConnection, type PortLike } from '../../electron/port-connection.js';
import { RowMirror, until } from './harness.js';

const FQME = 'xbtusd.spot.sim';
let dir: string;
let host: Host;

/** Sizes of everything the host posted, counted on the port itself (not by the PortConnection under test). */
let posted = 0;
const sizeOf = (m: unknown) => (typeof m === 'string' ? m.length : m instanceof ArrayBuffer ? m.byteLength : 0);

/** The host's end, shaped like Electron's MessagePortMain (`message` events carry `{data}`). */
function mainPort(p: MessagePort): PortLike {
  return {
    postMessage: (m: unknown) => {
      posted += sizeOf(m);
      p.postMessage(m);
    },
    on: ((event: 'message' | 'close', listener: (e?: { data: unknown }) => void) =>
      event === 'message' ? p.on('message', (data: unknown) => listener({ data })) : p.on('close', () => listener())) as PortLike['on'],
    start: () => p.start(),
    close: () => p.close(),
  };
}

/** The page's end: a Transport whose reading can be stopped (the port queues what arrives meanwhile) and resumed. */
function pagePort(p: MessagePort) {
  const listeners: ((d: string | ArrayBuffer) => void)[] = [];
  const closes: ((r: string) => void)[] = [];
  const page = { received: 0 };
  const deliver = (data: string | ArrayBuffer) => {
    page.received += sizeOf(data);
    for (const cb of listeners) cb(data);
  };
  p.on('message', deliver);
  p.on('close', () => closes.forEach((cb) => cb('port closed')));
  const transport: Transport = {
    send: (text) => p.postMessage(text),
    onMessage: (cb) => void listeners.push(cb),
    onClose: (cb) => void closes.push(cb),
    close: () => p.close(),
  };
  return { page, transport, stopReading: () => p.off('message', deliver), readAgain: () => p.on('message', deliver) };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cw-port-flow-'));
  writeFileSync(join(dir, 'config.toml'), '[history]\ndays60 = 1\nhours1 = 1\n');
  host = await Host.start({ dataDir: dir, seed: 9, simRate: 8_000, log: () => {} });
});

afterAll(async () => {
  await host?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('MessagePort flow control', () => {
  it('holds a page that stops reading at the slow-client threshold, then brings it back to the current state', async () => {
    const { port1, port2 } = new MessageChannel();
    posted = 0;
    const conn = new PortConnection('port test', mainPort(port1));
    host.attach(conn);
    const page = pagePort(port2);
    /** What sits in the port: posted by the host, not yet read by the page. */
    const queued = () => posted - page.page.received;
    const c = new ApiClient(withAcks(page.transport));
    const mirror = new RowMirror(c);
    let quotes = 0;
    c.on('quote', (q) => (quotes += q.ticks.length));
    await c.call('hello', { client: 'port test' });
    const sub = await c.call('bars.subscribe', { fqme: FQME, timeframe: 1, count: 500 });
    mirror.follow(sub.streamId);
    await c.call('quotes.subscribe', { fqme: FQME });
    await until(() => quotes > 2_000 && mirror.frames > 3, 'quotes and bar updates');

    // Stopped: the market goes on (tens of thousands of ticks a second); what the host has out stays near the cap.
    page.stopReading();
    const framesBefore = mirror.frames;
    const samples: number[] = [];
    const t0 = Date.now();
    while (Date.now() - t0 < 2_500) {
      samples.push(queued());
      await new Promise((r) => setTimeout(r, 10));
    }
    const peak = Math.max(...samples);
    // The pressure was real (the page fell behind up to the threshold; the host counts the last < 64 KiB it read but
    // had not acknowledged yet too) and bounded: updates stop one flush past it; only events (a step a second,
    // statuses) trickle on.
    expect(peak).toBeGreaterThan(SLOW_CLIENT_BYTES - ACK_EVERY_BYTES);
    expect(peak).toBeLessThan(SLOW_CLIENT_BYTES + 512 * 1024);
    expect(conn.bufferedAmount()).toBeGreaterThanOrEqual(queued());
    expect(mirror.frames).toBe(framesBefore);
    expect(conn.isClosed).toBe(false);

    // Reading again: it catches up, and the rows it holds are the host's, with no gap from the stall.
    page.readAgain();
    await until(() => conn.bufferedAmount() < ACK_EVERY_BYTES && mirror.frames > framesBefore + 2, 'the page to catch up');
    const buf = host.hub.get(FQME)!.buffers.get(1)!;
    await until(() => mirror.rows.has(buf.last - 3), 'the newest rows');
    const upTo = buf.last - 3; // older rows are final: the tail may still change under a live market
    const from = Math.max(buf.first, upTo - 200);
    for (let i = from; i < upTo; i++) {
      const row = mirror.rows.get(i);
      expect(row, `row ${i} (of ${buf.first}..${buf.last})`).toBeDefined();
      expect(row!.time).toBe(buf.cols.time[i]);
      expect(row!.close).toBe(buf.cols.close[i]);
      expect(row!.volume).toBe(buf.cols.volume[i]);
    }
    c.close();
  });

  it('answers a garbage ack with an error and keeps serving the page', async () => {
    const { port1, port2 } = new MessageChannel();
    const conn = new PortConnection('port test 2', mainPort(port1));
    host.attach(conn);
    const page = pagePort(port2);
    const c = new ApiClient(withAcks(page.transport));
    await c.call('hello', {});
    for (const junk of ['{"ack":-5}', '{"ack":"lots"}', '{"ack":1e300}', '{"ack":99999999999}', '{"ack":']) page.transport.send(junk);
    const hello = await c.call('hello', {});
    expect(hello.version).toBeTruthy();
    await until(() => c.orphanErrors.length === 5, 'five error replies');
    expect(c.orphanErrors.every((e) => e.code === 'bad_request' && e.message.startsWith('bad ack'))).toBe(true);
    expect(conn.isClosed).toBe(false);
    c.close();
  });
});

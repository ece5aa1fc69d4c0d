import { describe, expect, it } from 'vitest';
import type { Transport } from './client.js';
import { ACK_EVERY_BYTES, ackText, isAckText, parseAck, payloadSize, withAcks } from './flow.js';

function fakeTransport() {
  const sent: string[] = [];
  let deliver: (d: string | ArrayBuffer) => void = () => {};
  const t: Transport = {
    send: (text) => void sent.push(text),
    onMessage: (cb) => void (deliver = cb),
    onClose: () => {},
    close: () => {},
  };
  return { t, sent, deliver: (d: string | ArrayBuffer) => deliver(d) };
}

describe('flow control', () => {
  it('acks the cumulative size received each time another `every` has arrived, before the message is handled', () => {
    const raw = fakeTransport();
    const t = withAcks(raw.t, 100);
    const seen: string[] = [];
    t.onMessage((d) => seen.push(`${typeof d === 'string' ? d.length : d.byteLength}:${raw.sent.length}`));
    raw.deliver('x'.repeat(60));
    raw.deliver(new ArrayBuffer(50));
    raw.deliver('y'.repeat(10));
    raw.deliver(new ArrayBuffer(300));
    expect(raw.sent).toEqual([ackText(110), ackText(420)]);
    // The ack goes out as the message arrives: a handler that then stalls has still acknowledged it.
    expect(seen).toEqual(['60:0', '50:1', '10:1', '300:2']);
  });

  it('counts each message once, however many listeners the client adds', () => {
    const raw = fakeTransport();
    const t = withAcks(raw.t, 100);
    let a = 0;
    let b = 0;
    t.onMessage(() => a++);
    t.onMessage(() => b++);
    raw.deliver('z'.repeat(99));
    expect(raw.sent).toEqual([]);
    raw.deliver('z');
    expect(raw.sent).toEqual([ackText(100)]);
    expect([a, b]).toEqual([2, 2]);
    t.send('{"id":1}');
    expect(raw.sent.at(-1)).toBe('{"id":1}');
  });

  it('parses only a well-formed ack', () => {
    expect(parseAck(ackText(0))).toEqual({ ok: true, ack: 0 });
    expect(parseAck(ackText(123456789))).toEqual({ ok: true, ack: 123456789 });
    for (const bad of ['{"ack":', '{"ack":-1}', '{"ack":0.5}', '{"ack":"1"}', '{"ack":1,"x":2}', '{"ack":1e400}', '[1]', 'null', `{"ack":${'1'.repeat(70)}}`]) {
      expect(parseAck(bad).ok, bad).toBe(false);
    }
    expect(isAckText(ackText(5))).toBe(true);
    expect(isAckText('{"id":1,"method":"hello","params":{}}')).toBe(false);
    expect(payloadSize('abc')).toBe(3);
    expect(payloadSize(new Uint8Array(7))).toBe(7);
    expect(ACK_EVERY_BYTES).toBeLessThan(1 << 20);
  });
});

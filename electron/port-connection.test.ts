import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { normalizePayload, PortConnection, type PortLike } from './port-connection.js';
import { ackText } from '../core/protocol/flow.js';

class FakePort extends EventEmitter implements PortLike {
  sent: unknown[] = [];
  started = false;
  closed = false;
  postMessage(message: unknown): void {
    this.sent.push(message);
  }
  start(): void {
    this.started = true;
  }
  close(): void {
    this.closed = true;
  }
  receive(data: unknown): void {
    this.emit('message', { data, ports: [] });
  }
}

describe('PortConnection', () => {
  it('starts the port and sends text and binary as they are', () => {
    const port = new FakePort();
    const conn = new PortConnection('ipc window 1#1', port);
    expect(port.started).toBe(true);
    const buf = new Float64Array([1, 2]).buffer;
    conn.sendText('{"t":"hello"}');
    conn.sendBinary(buf);
    expect(port.sent).toEqual(['{"t":"hello"}', buf]);
    // Nothing acknowledged yet: all of it counts as buffered.
    expect(conn.bufferedAmount()).toBe('{"t":"hello"}'.length + 16);
    expect(conn.label).toBe('ipc window 1#1');
  });

  it('delivers strings and binary, normalizing typed-array views to a standalone ArrayBuffer', () => {
    const port = new FakePort();
    const conn = new PortConnection('c', port);
    const got: Array<string | ArrayBuffer> = [];
    conn.onMessage((d) => got.push(d));
    port.receive('{"t":"x"}');
    const backing = new Uint8Array([9, 9, 1, 2, 3, 9]);
    port.receive(backing.subarray(2, 5));
    port.receive(new Uint8Array([4, 5]).buffer);
    expect(got[0]).toBe('{"t":"x"}');
    expect(got[1]).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(got[1] as ArrayBuffer)]).toEqual([1, 2, 3]);
    expect([...new Uint8Array(got[2] as ArrayBuffer)]).toEqual([4, 5]);
  });

  it('drops payloads that are neither text nor binary, logging once', () => {
    const port = new FakePort();
    const lines: string[] = [];
    const conn = new PortConnection('c', port, (l) => lines.push(l));
    const got: unknown[] = [];
    conn.onMessage((d) => got.push(d));
    port.receive({ evil: true });
    port.receive(42);
    expect(got).toEqual([]);
    expect(lines).toHaveLength(1);
    expect(normalizePayload(null)).toBeNull();
  });

  it('survives a throwing handler', () => {
    const port = new FakePort();
    const lines: string[] = [];
    const conn = new PortConnection('c', port, (l) => lines.push(l));
    conn.onMessage(() => {
      throw new Error('boom');
    });
    expect(() => port.receive('x')).not.toThrow();
    expect(lines[0]).toMatch(/boom/);
  });

  it('reports close once, from the remote end or from close(), and stops sending afterwards', () => {
    const port = new FakePort();
    const conn = new PortConnection('c', port);
    let closes = 0;
    conn.onClose(() => closes++);
    port.emit('close');
    conn.close();
    port.emit('close');
    expect(closes).toBe(1);
    conn.sendText('late');
    expect(port.sent).toEqual([]);
    let late = 0;
    conn.onClose(() => late++);
    expect(late).toBe(1);

    const port2 = new FakePort();
    const conn2 = new PortConnection('d', port2);
    let closes2 = 0;
    conn2.onClose(() => closes2++);
    conn2.close(1000, 'bye');
    expect(port2.closed).toBe(true);
    expect(closes2).toBe(1);
  });
});

describe('PortConnection flow control', () => {
  it('counts what was sent and not acknowledged as its buffered amount; acks are not API messages', () => {
    const port = new FakePort();
    const conn = new PortConnection('c', port);
    const got: unknown[] = [];
    conn.onMessage((d) => got.push(d));
    conn.sendText('x'.repeat(1000));
    conn.sendBinary(new ArrayBuffer(4000));
    expect(conn.bufferedAmount()).toBe(5000);
    port.receive(ackText(1000));
    expect(conn.bufferedAmount()).toBe(4000);
    port.receive(ackText(5000));
    expect(conn.bufferedAmount()).toBe(0);
    // The same total again is harmless (acks are cumulative).
    port.receive(ackText(5000));
    expect(conn.bufferedAmount()).toBe(0);
    expect(got).toEqual([]);
    expect(port.sent).toHaveLength(2);
  });

  it('refuses a garbage ack with an error reply, changes nothing and goes on', () => {
    const port = new FakePort();
    const lines: string[] = [];
    const conn = new PortConnection('c', port, (l) => lines.push(l));
    const got: unknown[] = [];
    conn.onMessage((d) => got.push(d));
    conn.sendText('y'.repeat(100));
    port.receive(ackText(40));
    const garbage = [
      '{"ack":',
      '{"ack":"40"}',
      '{"ack":-1}',
      '{"ack":1.5}',
      '{"ack":1e400}',
      '{"ack":null}',
      '{"ack":[1]}',
      '{"ack":50,"more":1}',
      `{"ack":${'9'.repeat(80)}}`,
      ackText(39), // backwards
      ackText(100_000), // more than was sent
    ];
    for (const g of garbage) expect(() => port.receive(g)).not.toThrow();
    const texts = port.sent.slice(1) as string[];
    // Nothing acknowledged beyond the good ack of 40; the error replies are sent (and count) like any message.
    expect(conn.bufferedAmount()).toBe(60 + texts.reduce((n, t) => n + t.length, 0));
    const replies = texts.map((m) => JSON.parse(m) as { id: unknown; error: { code: string; message: string } });
    expect(replies).toHaveLength(garbage.length);
    for (const r of replies) {
      expect(r.id).toBeNull();
      expect(r.error.code).toBe('bad_request');
      expect(r.error.message).toMatch(/^bad ack: /);
    }
    expect(replies.at(-2)!.error.message).toMatch(/below the 40 already acknowledged/);
    expect(replies.at(-1)!.error.message).toMatch(/more than the \d+ sent/);
    expect(got).toEqual([]);
    expect(lines).toHaveLength(1);
    // Still a working connection: a good ack counts.
    port.receive(ackText(100 + texts.reduce((n, t) => n + t.length, 0)));
    expect(conn.bufferedAmount()).toBe(0);
    expect(conn.isClosed).toBe(false);
  });

  it('closes a window that acknowledges nothing past maxUnackedBytes', () => {
    const port = new FakePort();
    const lines: string[] = [];
    const conn = new PortConnection('c', port, (l) => lines.push(l), 10_000);
    let closed = 0;
    conn.onClose(() => closed++);
    for (let i = 0; i < 9; i++) conn.sendBinary(new ArrayBuffer(1000));
    port.receive(ackText(9000));
    for (let i = 0; i < 10; i++) conn.sendBinary(new ArrayBuffer(1000));
    expect(conn.isClosed).toBe(false);
    conn.sendBinary(new ArrayBuffer(1000));
    expect(conn.isClosed).toBe(true);
    expect(port.closed).toBe(true);
    expect(closed).toBe(1);
    expect(lines[0]).toMatch(/stopped reading/);
  });
});

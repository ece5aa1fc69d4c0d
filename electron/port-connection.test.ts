import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { normalizePayload, PortConnection, type PortLike } from './port-connection.js';

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
    expect(conn.bufferedAmount()).toBe(0);
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

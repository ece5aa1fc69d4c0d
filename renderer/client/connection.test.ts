import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useConnection } from '../stores/connection.js';
import { ConnectionManager } from './connection.js';
import { FakeHost } from './fake-host.js';

describe('ConnectionManager', () => {
  let hosts: FakeHost[];
  let failNext: number;
  let manager: ConnectionManager;

  beforeEach(() => {
    vi.useFakeTimers();
    hosts = [];
    failNext = 0;
    useConnection.setState({ state: 'connecting', client: null, attempt: 0, retryAt: null, lastError: null });
    manager = new ConnectionManager(async () => {
      if (failNext > 0) {
        failNext--;
        throw new Error('connection refused');
      }
      const h = new FakeHost();
      h.handlers.hello = () => ({ version: '9.9.9', backends: ['sim'], serverTime: 0 });
      hosts.push(h);
      return h.transport;
    });
  });

  afterEach(() => {
    manager.stop();
    vi.useRealTimers();
  });

  it('connects, says hello and publishes the client', async () => {
    manager.start();
    await vi.advanceTimersByTimeAsync(0);
    const s = useConnection.getState();
    expect(s.state).toBe('connected');
    expect(s.client).not.toBeNull();
    expect(s.serverVersion).toBe('9.9.9');
    expect(hosts[0]!.calls('hello')).toHaveLength(1);
  });

  it('reports a drop, retries with backoff and publishes a fresh client', async () => {
    manager.start();
    await vi.advanceTimersByTimeAsync(0);
    const first = useConnection.getState().client;
    failNext = 1;
    hosts[0]!.drop('host went away');
    expect(useConnection.getState()).toMatchObject({ state: 'disconnected', client: null, lastError: 'host went away', attempt: 1 });
    await vi.advanceTimersByTimeAsync(400); // first retry (250 ms +-20%) fails
    expect(useConnection.getState()).toMatchObject({ state: 'disconnected', attempt: 2, lastError: 'connection refused' });
    await vi.advanceTimersByTimeAsync(700); // second retry (500 ms +-20%) succeeds
    const s = useConnection.getState();
    expect(s.state).toBe('connected');
    expect(s.attempt).toBe(0);
    expect(s.client).not.toBe(first);
    expect(hosts).toHaveLength(2);
  });

  it('closes a connection that went silent and does not answer a probe', async () => {
    manager.start();
    await vi.advanceTimersByTimeAsync(0);
    // The host stops answering anything (no events, no replies).
    hosts[0]!.handlers.hello = () => new Promise(() => undefined);
    hosts[0]!.transport.send = () => undefined;
    const states: string[] = [];
    const off = useConnection.subscribe((s) => states.push(s.state));
    await vi.advanceTimersByTimeAsync(9_000);
    expect(states).toEqual([]);
    // Silent for 10 s: probed; no answer within 5 s: closed and reconnected.
    await vi.advanceTimersByTimeAsync(8_000);
    off();
    expect(states).toEqual(['disconnected', 'connecting', 'connected']);
    expect(hosts).toHaveLength(2);
  });

  it('keeps a quiet connection that still answers probes', async () => {
    manager.start();
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(useConnection.getState().state).toBe('connected');
    expect(hosts).toHaveLength(1);
    expect(hosts[0]!.calls('hello').length).toBeGreaterThan(1);
  });
});

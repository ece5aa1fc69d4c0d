import { describe, expect, it } from 'vitest';
import { ApiClient, ApiError } from '../../core/protocol/client.js';
import type { HistoryGap } from '../../core/protocol/messages.js';
import { FakeHost, settle } from './fake-host.js';
import { watchHistoryGaps } from './history-gaps.js';

const FQME = 'ethusdt.spot.binance';
const gap = (start: number, timeframe: 60 | 1 = 60): HistoryGap => ({
  fqme: FQME,
  timeframe,
  start,
  end: start + 180,
  bars: 3,
  reason: 'the venue has no bars here (asked twice)',
  attempts: 1,
  firstSeen: 0,
  lastTried: 0,
});
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

function setup() {
  const host = new FakeHost();
  const client = new ApiClient(host.transport);
  let stored: HistoryGap[] = [gap(6000), gap(9000, 1)];
  host.handlers['history.gaps'] = () => stored;
  const seen: HistoryGap[][] = [];
  const stop = watchHistoryGaps(client, FQME, 60, (g) => seen.push(g), 10);
  return { host, client, seen, stop, store: (g: HistoryGap[]) => (stored = g) };
}

describe('watchHistoryGaps', () => {
  it('asks for the market once, keeping its timeframe', async () => {
    const { host, seen } = setup();
    await settle();
    expect(host.calls('history.gaps')).toEqual([{ fqme: FQME }]);
    expect(seen).toEqual([[gap(6000)]]);
  });

  it('asks again, once per burst, when the host says that market and timeframe changed', async () => {
    const { host, seen, store } = setup();
    await settle();
    store([gap(6000), gap(7200)]);
    host.event('gaps', { fqme: 'btcusdt.spot.binance', timeframe: 60 });
    host.event('gaps', { fqme: FQME, timeframe: 1 });
    await wait(30);
    expect(host.calls('history.gaps')).toHaveLength(1);
    for (let i = 0; i < 5; i++) host.event('gaps', { fqme: FQME, timeframe: 60 });
    await wait(30);
    expect(host.calls('history.gaps')).toHaveLength(2);
    expect(seen.at(-1)).toEqual([gap(6000), gap(7200)]);
  });

  it('never lets an older answer overwrite a newer one: one request at a time, the next after it', async () => {
    const host = new FakeHost();
    const client = new ApiClient(host.transport);
    const replies: Array<(g: HistoryGap[]) => void> = [];
    // Answered by hand, in the test's order.
    host.transport.send = (text) => {
      const req = JSON.parse(text) as { id: number; method: string; params: Record<string, unknown> };
      host.requests.push(req);
      replies.push((g) => host.text({ id: req.id, result: g }));
    };
    const seen: HistoryGap[][] = [];
    watchHistoryGaps(client, FQME, 60, (g) => seen.push(g), 0);
    host.event('gaps', { fqme: FQME, timeframe: 60 });
    await wait(10);
    // The event came while the first request was out: no second one yet.
    expect(host.requests).toHaveLength(1);
    replies[0]!([gap(1)]);
    await wait(10);
    expect(host.requests).toHaveLength(2);
    replies[1]!([gap(1), gap(2)]);
    await wait(10);
    expect(seen).toEqual([[gap(1)], [gap(1), gap(2)]]);
  });

  it('reads "history not stored" as no gaps, and stops on stop()', async () => {
    const host = new FakeHost();
    const client = new ApiClient(host.transport);
    host.handlers['history.gaps'] = () => {
      throw new ApiError('not_found', 'sim history is not stored');
    };
    const seen: HistoryGap[][] = [];
    const stop = watchHistoryGaps(client, 'xbtusd.spot.sim', 60, (g) => seen.push(g), 0);
    await settle();
    expect(seen).toEqual([[]]);
    stop();
    host.event('gaps', { fqme: 'xbtusd.spot.sim', timeframe: 60 });
    await wait(10);
    expect(host.calls('history.gaps')).toHaveLength(1);
  });

  it('keeps the last list when a request fails otherwise', async () => {
    const { host, seen, stop } = setup();
    await settle();
    host.handlers['history.gaps'] = () => {
      throw new ApiError('unavailable', 'datad.binance is not running');
    };
    host.event('gaps', { fqme: FQME, timeframe: 60 });
    await wait(30);
    expect(host.calls('history.gaps')).toHaveLength(2);
    expect(seen).toEqual([[gap(6000)]]);
    stop();
  });

  it('asks again by itself after a failure, with backoff, until an answer comes', async () => {
    const host = new FakeHost();
    const client = new ApiClient(host.transport);
    let down = 2;
    host.handlers['history.gaps'] = () => {
      if (down-- > 0) throw new ApiError('unavailable', 'datad.binance is restarting');
      return [gap(6000)];
    };
    const seen: HistoryGap[][] = [];
    const stop = watchHistoryGaps(client, FQME, 60, (g) => seen.push(g), 0, 10);
    // Failed at once, again after 10 ms, then answered after 20 ms more: no gaps event needed.
    for (let t = 0; seen.length === 0 && t < 2_000; t += 10) await wait(10);
    expect(host.calls('history.gaps')).toHaveLength(3);
    expect(seen).toEqual([[gap(6000)]]);
    stop();
  });
});

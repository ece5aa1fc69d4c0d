import { describe, expect, it } from 'vitest';
import { packTicks } from '../../data/tick-pack.js';
import { engineRefusal, Touches } from './engine-gate.js';

const FQME = 'xbtusd.spot.kraken';
const order = (action: 'buy' | 'sell' | 'alert', price: string) => ({ fqme: FQME, action, price });

describe('engine gate', () => {
  it('online, or a status the venue never sent, refuses nothing; maintenance and cancel_only refuse every order, naming the status', () => {
    for (const engine of ['online', null, 'some_new_status']) expect(engineRefusal('kraken', engine, order('buy', '1'), undefined)).toBeNull();
    expect(engineRefusal('kraken', 'maintenance', order('sell', '1'), undefined)).toMatch(/^kraken engine is in maintenance: /);
    expect(engineRefusal('kraken', 'cancel_only', order('buy', '1'), { bid: 5, ask: 6 })).toMatch(/^kraken engine is cancel_only: it takes only cancels/);
  });

  it('post_only refuses what would cross the touch on its side, takes what would rest, and refuses when it cannot tell', () => {
    const touches = new Touches();
    touches.onPacked(FQME, packTicks([
      { type: 'bid', price: 100, size: 1, time: 1 },
      { type: 'ask', price: 101, size: 1, time: 1 },
      { type: 'trade', price: 250, size: 1, time: 2 },
      { type: 'asize', price: 100.5, size: 2, time: 3 },
    ]));
    const touch = touches.get(FQME);
    expect(touch).toEqual({ bid: 100, ask: 100.5 });
    expect(engineRefusal('kraken', 'post_only', order('buy', '100.5'), touch)).toMatch(/this buy at 100\.5 would take the ask at 100\.5/);
    expect(engineRefusal('kraken', 'post_only', order('buy', '100.4'), touch)).toBeNull();
    expect(engineRefusal('kraken', 'post_only', order('sell', '100'), touch)).toMatch(/this sell at 100 would take the bid at 100/);
    expect(engineRefusal('kraken', 'post_only', order('sell', '100.1'), touch)).toBeNull();
    expect(engineRefusal('kraken', 'post_only', order('buy', '1'), { bid: 100, ask: null })).toMatch(/no ask quoted on xbtusd\.spot\.kraken yet/);
    expect(engineRefusal('kraken', 'post_only', order('buy', '1'), undefined)).toMatch(/no ask quoted/);
  });
});

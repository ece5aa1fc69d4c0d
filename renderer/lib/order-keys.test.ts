import { describe, expect, it } from 'vitest';
import { CC_WINDOW_MS, OrderKeys } from './order-keys.js';

const at = (key: string, time = 0, extra: { repeat?: boolean; ctrl?: boolean } = {}) => ({ key, time, ...extra });

describe('order mode keys', () => {
  it('holding f, d or a stages buy, sell, alert (dark); releasing unstages', () => {
    const k = new OrderKeys();
    expect(k.down(at('f')).effects).toEqual([{ kind: 'stage', staged: { action: 'buy', live: false } }]);
    expect(k.staged).toEqual({ action: 'buy', live: false });
    expect(k.up(at('f')).effects).toEqual([{ kind: 'unstage' }]);
    expect(k.staged).toBeNull();
    expect(k.down(at('d')).effects).toEqual([{ kind: 'stage', staged: { action: 'sell', live: false } }]);
    k.up(at('d'));
    expect(k.down(at('a')).effects).toEqual([{ kind: 'stage', staged: { action: 'alert', live: false } }]);
  });

  it('s or ctrl held makes the staged order live, before or after the stage key', () => {
    const k = new OrderKeys();
    k.down(at('s'));
    expect(k.down(at('f')).effects).toEqual([{ kind: 'stage', staged: { action: 'buy', live: true } }]);
    expect(k.up(at('s')).effects).toEqual([{ kind: 'stage', staged: { action: 'buy', live: false } }]);
    expect(k.down(at('Control', 0, { ctrl: true })).effects).toEqual([{ kind: 'stage', staged: { action: 'buy', live: true } }]);
    expect(k.up(at('Control')).effects).toEqual([{ kind: 'stage', staged: { action: 'buy', live: false } }]);
    k.up(at('f'));
    // ctrl already down when f goes down (the event's ctrlKey flag)
    expect(k.down(at('f', 0, { ctrl: true })).effects).toEqual([{ kind: 'stage', staged: { action: 'buy', live: true } }]);
  });

  it('alerts are never live', () => {
    const k = new OrderKeys();
    k.down(at('s'));
    expect(k.down(at('a')).effects).toEqual([{ kind: 'stage', staged: { action: 'alert', live: false } }]);
  });

  it('auto-repeat is ignored but still claimed', () => {
    const k = new OrderKeys();
    k.down(at('f'));
    const r = k.down(at('f', 30, { repeat: true }));
    expect(r).toEqual({ handled: true, effects: [] });
    expect(k.down(at('c', 40, { repeat: true })).effects).toEqual([]);
    expect(k.staged).toEqual({ action: 'buy', live: false });
  });

  it('the newest stage key wins; releasing it falls back to the one still held', () => {
    const k = new OrderKeys();
    k.down(at('f'));
    expect(k.down(at('d')).effects).toEqual([{ kind: 'stage', staged: { action: 'sell', live: false } }]);
    expect(k.up(at('d')).effects).toEqual([{ kind: 'stage', staged: { action: 'buy', live: false } }]);
    expect(k.up(at('f')).effects).toEqual([{ kind: 'unstage' }]);
    // A release with nothing staged changes nothing.
    expect(k.up(at('f')).effects).toEqual([]);
  });

  it('c cancels under the cursor; cc within the window cancels all', () => {
    const k = new OrderKeys();
    expect(k.down(at('c', 1000)).effects).toEqual([{ kind: 'cancel-under' }]);
    expect(k.down(at('c', 1000 + CC_WINDOW_MS - 10)).effects).toEqual([{ kind: 'cancel-all' }]);
    // A third c right after starts a new pair.
    expect(k.down(at('c', 1000 + CC_WINDOW_MS)).effects).toEqual([{ kind: 'cancel-under' }]);
    // Too slow: two single cancels.
    expect(k.down(at('c', 5000)).effects).toEqual([{ kind: 'cancel-under' }]);
    expect(k.down(at('c', 5000 + CC_WINDOW_MS + 1)).effects).toEqual([{ kind: 'cancel-under' }]);
    expect(k.down(at('Delete', 9000)).effects).toEqual([{ kind: 'cancel-under' }]);
    // ctrl-c is left to the browser.
    expect(k.down(at('c', 12000, { ctrl: true }))).toEqual({ handled: false, effects: [] });
  });

  it('digits set slots only while staging', () => {
    const k = new OrderKeys();
    expect(k.down(at('3'))).toEqual({ handled: false, effects: [] });
    k.down(at('f'));
    expect(k.down(at('3')).effects).toEqual([{ kind: 'slots', slots: 3 }]);
    expect(k.down(at('0')).effects).toEqual([{ kind: 'slots', slots: 10 }]);
  });

  it('upper case (shift) and other keys', () => {
    const k = new OrderKeys();
    expect(k.down(at('F')).effects).toEqual([{ kind: 'stage', staged: { action: 'buy', live: false } }]);
    expect(k.down(at('x'))).toEqual({ handled: false, effects: [] });
    expect(k.reset()).toEqual([{ kind: 'unstage' }]);
    expect(k.staged).toBeNull();
  });
});

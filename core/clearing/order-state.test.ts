import { describe, expect, it } from 'vitest';
import { STATUS_RESPS } from '../protocol/orders.js';
import { step } from './order-machine.js';
import { ORDER_EVENTS, ORDER_STATES, STATE_RESP, TERMINAL_STATES, TRANSITIONS, type OrderState } from './order-state.js';
import { eventsFor, fixtures } from './order-fixtures.test-util.js';

const FIX = fixtures();

describe('order state table', () => {
  it('has a fixture for every state, each actually in that state', () => {
    for (const s of ORDER_STATES) {
      expect(FIX[s].length, s).toBeGreaterThan(0);
      for (const r of FIX[s]) expect(r.state).toBe(s);
    }
  });

  it('maps every state to a Status resp the UI speaks', () => {
    for (const s of ORDER_STATES) expect(STATUS_RESPS).toContain(STATE_RESP[s]);
  });

  it('names only known states as targets, and terminal states lead nowhere new', () => {
    for (const s of ORDER_STATES) {
      for (const targets of Object.values(TRANSITIONS[s])) for (const t of targets!) expect(ORDER_STATES).toContain(t);
    }
    for (const s of TERMINAL_STATES) {
      for (const targets of Object.values(TRANSITIONS[s])) for (const t of targets!) expect(TERMINAL_STATES).toContain(t);
    }
  });
});

// One test per (state, event): a legal pair reaches every target the table lists (from some fixture of the
// state) and nothing else; an illegal pair is refused from every fixture, with a reason, leaving the record as it was.
describe.each(ORDER_STATES.map((s) => [s]))('from %s', (state: OrderState) => {
  it.each(ORDER_EVENTS.map((e) => [e]))('%s', (kind) => {
    const targets = TRANSITIONS[state][kind];
    const reached = new Set<OrderState>();
    for (const rec of FIX[state]) {
      const before = structuredClone(rec);
      for (const ev of eventsFor(rec).filter((e) => e.kind === kind)) {
        const t = step(rec, ev);
        expect(rec).toEqual(before);
        if (!t.ok) {
          expect(t.reason).toMatch(new RegExp(`^order ${rec.oid} \\(${state}\\): .+`));
          expect(t.state).toBe(state);
          expect(t.event).toBe(kind);
          continue;
        }
        expect(targets, `${state} + ${kind} applied but the table has no such pair`).toBeDefined();
        expect(targets).toContain(t.record.state);
        expect(t.status.oid).toBe(rec.oid);
        expect(STATUS_RESPS).toContain(t.status.resp);
        reached.add(t.record.state);
      }
    }
    expect([...reached].sort()).toEqual([...(targets ?? [])].sort());
  });
});

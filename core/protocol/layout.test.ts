import { describe, expect, it } from 'vitest';
import { checkLayout, checkWindow, chartsOf, LayoutError } from './layout.js';
import { sampleChart as chart, sampleLayout } from './layout-fixture.js';
import { parseRequest, ProtocolError } from './validate.js';

function refusal(mutate: (l: any) => void): string {
  const l = sampleLayout() as any;
  mutate(l);
  try {
    checkLayout(l);
  } catch (e) {
    expect(e).toBeInstanceOf(LayoutError);
    return (e as Error).message;
  }
  throw new Error('accepted');
}

describe('layout validation', () => {
  it('accepts a well-formed layout and returns an equal copy', () => {
    const l = sampleLayout();
    const checked = checkLayout(JSON.parse(JSON.stringify(l)));
    expect(checked).toEqual(l);
    expect(chartsOf(checked.windows[0]!.tabs[0]!.root).map((c) => c.id)).toEqual(['c1', 'c2']);
    expect(checkWindow(l.windows[1])).toEqual(l.windows[1]);
  });

  it('refuses a bad layout, naming where', () => {
    expect(refusal((l) => (l.version = 2))).toMatch(/layout.version/);
    expect(refusal((l) => (l.extra = 1))).toMatch(/unexpected key "extra"/);
    expect(refusal((l) => (l.windows[0].tabs[0].root.children[0].chart.fqme = 'not a symbol'))).toMatch(/children\[0\]\.chart\.fqme: malformed/);
    expect(refusal((l) => (l.windows[0].tabs[0].root.children[0].chart.fqme = 'XBTUSD.spot.sim'))).toMatch(/normalized/);
    expect(refusal((l) => (l.windows[0].tabs[0].root.children[1].chart.id = 'c1'))).toMatch(/duplicate id "c1"/);
    expect(refusal((l) => (l.windows[1].tabs[0].id = 't1'))).toMatch(/duplicate id "t1"/);
    expect(refusal((l) => (l.windows[0].active = 'nope'))).toMatch(/names no tab/);
    expect(refusal((l) => (l.windows[0].tabs[0].focus = 'c3'))).toMatch(/names no chart of this tab/);
    expect(refusal((l) => (l.windows[0].tabs = []))).toMatch(/1 to 32/);
    expect(refusal((l) => (l.windows[0].tabs[0].root.children.length = 1))).toMatch(/2 to 9/);
    expect(refusal((l) => (l.windows[0].tabs[0].root.dir = 'diagonal'))).toMatch(/'row' or 'column'/);
    expect(refusal((l) => (l.windows[0].tabs[0].root.sizes = [0.9, 0.9]))).toMatch(/add up to 1/);
    expect(refusal((l) => (l.windows[0].tabs[1].root.chart.timeframes = [60, 60]))).toMatch(/repeat/);
    expect(refusal((l) => (l.windows[0].tabs[1].root.chart.timeframes = [5]))).toMatch(/one of 1, 60/);
    expect(refusal((l) => (l.windows[0].tabs[1].root.chart.overlays = ['eurusd.fx.sim']))).toMatch(/other than the chart's own/);
    expect(refusal((l) => (l.windows[0].tabs[0].root.children[1].chart.indicators[0].params.x = { deep: 1 }))).toMatch(/params\.x/);
    expect(refusal((l) => (l.windows[0].tabs[0].root.children[1].chart.indicators[0].params.length = Infinity))).toMatch(/finite/);
    expect(refusal((l) => (l.windows[1].bounds.width = 1e9))).toMatch(/width/);
    expect(refusal((l) => (l.windows[0].id = '../../etc'))).toMatch(/must be an id/);
    expect(refusal((l) => (l.windows[0].tabs[1].root = JSON.parse('{"kind":"chart","__proto__":{"x":1},"chart":{}}')))).toMatch(/unexpected key "__proto__"/);
  });

  it('bounds the size of a layout', () => {
    expect(refusal((l) => (l.windows = Array.from({ length: 9 }, (_, i) => ({ ...l.windows[1], id: `w${i}` }))))).toMatch(/0 to 8/);
    const nine = Array.from({ length: 10 }, (_, i) => ({ kind: 'chart', chart: chart(`x${i}`, 'xbtusd.spot.sim') }));
    expect(refusal((l) => (l.windows[0].tabs[1].root = { kind: 'split', dir: 'row', children: nine }))).toMatch(/at most 9 charts|2 to 9/);
    let deep: any = { kind: 'chart', chart: chart('d0', 'xbtusd.spot.sim') };
    for (let i = 1; i <= 5; i++) deep = { kind: 'split', dir: 'row', children: [deep, { kind: 'chart', chart: chart(`d${i}`, 'xbtusd.spot.sim') }] };
    expect(refusal((l) => ((l.windows[0].tabs[1].root = deep), (l.windows[0].tabs[1].focus = 'd0')))).toMatch(/nest at most/);
  });

  it('is what the API checks: garbage is a bad_params reply, not an exception upward', () => {
    const ok = parseRequest(JSON.stringify({ id: 1, method: 'layout.save', params: { layout: sampleLayout() } }));
    expect(ok.params).toEqual({ layout: sampleLayout() });
    for (const params of [{}, { layout: 'x' }, { layout: { version: 1, windows: [null] } }, { layout: sampleLayout(), more: 1 }, { window: sampleLayout() }]) {
      let err: unknown;
      try {
        parseRequest(JSON.stringify({ id: 2, method: 'layout.save', params }));
      } catch (e) {
        err = e;
      }
      expect(err, JSON.stringify(params)).toBeInstanceOf(ProtocolError);
      expect((err as ProtocolError).code).toBe('bad_params');
    }
  });
});

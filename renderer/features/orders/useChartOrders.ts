import { useEffect, useRef, type RefObject } from 'react';
import type { FillInfo, PositionInfo } from '../../../core/protocol/messages.js';
import type { MktPair } from '../../../core/protocol/types.js';
import { lineSlots } from '../../lib/sizing.js';
import { avgPrice, orderLabel, pnlPercent, signed, signedMoney, unrealizedPnl } from '../../lib/order-format.js';
import { ordersOn } from '../../lib/orders-reducer.js';
import { snapPrice } from '../../lib/price-snap.js';
import { useFeed } from '../../stores/feed.js';
import { positionOf, useOrders, type AlertMark } from '../../stores/orders.js';
import { useSession } from '../../stores/session.js';
import type { ChartController } from '../chart/chart-controller.js';
import type { Mark } from './marks-primitive.js';
import { ChartOrderLines, type LineSpec } from './order-lines.js';
import { ChartOrderMode } from './order-mode.js';

/**
 * Order mode on one chart: its lines, markers and position line follow the orders store for the chart's own symbol;
 * its pointer and keys trade that symbol (with its market's ticks), whichever chart has the focus.
 */
export function useChartOrders(controller: ChartController | null, hostRef: RefObject<HTMLDivElement | null>, fqme: string, mkt: MktPair | null): void {
  const target = useRef({ fqme, mkt, sync: () => {} });
  target.current.fqme = fqme;
  target.current.mkt = mkt && mkt.fqme === fqme ? mkt : null;

  useEffect(() => {
    const host = hostRef.current;
    if (!controller || !host) return;
    const t = target.current;
    const lines = new ChartOrderLines(controller, host);
    const mode = new ChartOrderMode(controller, host, lines, () => t.mkt);
    let lastFills: readonly FillInfo[] | null = null;
    let lastMarks: readonly AlertMark[] | null = null;
    let lastFqme = '';

    const sync = () => {
      const { fqme } = t;
      const s = useOrders.getState();
      const drag = mode.dragged();
      const specs: LineSpec[] = ordersOn(s, fqme).map((w) => ({
        id: w.oid,
        kind: 'order',
        action: w.order.action,
        execMode: w.order.execMode,
        price: drag?.oid === w.oid ? drag.price : w.order.price,
        label: orderLabel(w.order, lineSlots(s.alloc, w.order.size, w.order.price)),
        unconfirmed: w.prev !== null || (!w.acked && w.resp === 'pending'),
      }));
      lines.setOrders(specs);
      mode.refreshStaged();
      lines.setPosition(positionSpec(positionOf(s.positions, s.account, fqme), t.mkt, controller.lastClose()));
      if (s.fills !== lastFills || s.alertMarks !== lastMarks || fqme !== lastFqme) {
        lastFills = s.fills;
        lastMarks = s.alertMarks;
        lastFqme = fqme;
        lines.setMarks(marksOf(s.fills, s.alertMarks, fqme, controller.timeframe));
      }
    };
    t.sync = sync;
    const offs = [useOrders.subscribe(sync), useFeed.subscribe(sync)];
    sync();
    return () => {
      t.sync = () => {};
      for (const off of offs) off();
      mode.destroy();
      lines.destroy();
    };
  }, [controller, hostRef]);

  // Another symbol in this chart, or its market metadata arrived: redraw its lines.
  useEffect(() => target.current.sync(), [fqme, mkt]);
}

/** The focused market's last price on the tick grid (exact), for PnL; null while unknown. */
export function lastPriceDec(): string | null {
  const { lastPrice } = useFeed.getState();
  const { mkt, fqme } = useSession.getState();
  if (lastPrice === null || !mkt || mkt.fqme !== fqme) return null;
  return snapPrice(lastPrice, mkt.priceTick);
}

/** A chart's last price on its market's tick grid: the status bar's quote for the focused symbol, else its last close. */
function chartLastPrice(mkt: MktPair | null, lastClose: number | null): string | null {
  if (!mkt) return null;
  const feed = useFeed.getState();
  const last = feed.fqme === mkt.fqme && feed.lastPrice !== null ? feed.lastPrice : lastClose;
  return last === null ? null : snapPrice(last, mkt.priceTick);
}

function positionSpec(p: PositionInfo | null, mkt: MktPair | null, lastClose: number | null): LineSpec | null {
  if (!p) return null;
  const last = chartLastPrice(mkt, lastClose);
  let pnl = '';
  if (last) {
    const pct = pnlPercent(p.size, p.ppu, last);
    pnl = ` ${signedMoney(unrealizedPnl(p.size, p.ppu, last))}${pct === null ? '' : ` (${signed(pct)}%)`}`;
  }
  const long = !p.size.startsWith('-');
  return {
    id: 'position',
    kind: 'position',
    action: long ? 'buy' : 'sell',
    execMode: 'live',
    price: p.ppu,
    label: `${p.account}: ${p.size} @ ${avgPrice(p.ppu, mkt?.priceTick ?? null)}${pnl}`,
  };
}

function marksOf(fills: readonly FillInfo[], alerts: readonly AlertMark[], fqme: string, tf: number): Mark[] {
  const bar = (ms: number) => Math.floor(ms / 1000 / tf) * tf;
  const out: Mark[] = [];
  for (const f of fills) if (f.fqme === fqme) out.push({ time: bar(f.time), price: Number(f.price), kind: f.action });
  for (const a of alerts) if (a.fqme === fqme) out.push({ time: bar(a.time), price: Number(a.price), kind: 'alert' });
  return out;
}

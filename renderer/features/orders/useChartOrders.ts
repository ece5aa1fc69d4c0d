import { useEffect, type RefObject } from 'react';
import type { FillInfo, PositionInfo } from '../../../core/protocol/messages.js';
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

/** Order mode on one chart: its lines, markers and position line follow the orders store; its pointer and keys trade. */
export function useChartOrders(controller: ChartController | null, hostRef: RefObject<HTMLDivElement | null>): void {
  useEffect(() => {
    const host = hostRef.current;
    if (!controller || !host) return;
    const lines = new ChartOrderLines(controller, host);
    const mode = new ChartOrderMode(controller, host, lines);
    let lastFills: readonly FillInfo[] | null = null;
    let lastMarks: readonly AlertMark[] | null = null;
    let lastFqme = '';

    const sync = () => {
      const { fqme } = useSession.getState();
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
      lines.setPosition(positionSpec(positionOf(s.positions, s.account, fqme)));
      if (s.fills !== lastFills || s.alertMarks !== lastMarks || fqme !== lastFqme) {
        lastFills = s.fills;
        lastMarks = s.alertMarks;
        lastFqme = fqme;
        lines.setMarks(marksOf(s.fills, s.alertMarks, fqme, controller.timeframe));
      }
    };
    const offs = [useOrders.subscribe(sync), useSession.subscribe(sync), useFeed.subscribe(sync)];
    sync();
    return () => {
      for (const off of offs) off();
      mode.destroy();
      lines.destroy();
    };
  }, [controller, hostRef]);
}

/** The last price on the tick grid (exact), for PnL; null while unknown. */
export function lastPriceDec(): string | null {
  const { lastPrice } = useFeed.getState();
  const { mkt, fqme } = useSession.getState();
  if (lastPrice === null || !mkt || mkt.fqme !== fqme) return null;
  return snapPrice(lastPrice, mkt.priceTick);
}

function positionSpec(p: PositionInfo | null): LineSpec | null {
  if (!p) return null;
  const last = lastPriceDec();
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
    label: `${p.account}: ${p.size} @ ${avgPrice(p.ppu, useSession.getState().mkt?.priceTick ?? null)}${pnl}`,
  };
}

function marksOf(fills: readonly FillInfo[], alerts: readonly AlertMark[], fqme: string, tf: number): Mark[] {
  const bar = (ms: number) => Math.floor(ms / 1000 / tf) * tf;
  const out: Mark[] = [];
  for (const f of fills) if (f.fqme === fqme) out.push({ time: bar(f.time), price: Number(f.price), kind: f.action });
  for (const a of alerts) if (a.fqme === fqme) out.push({ time: bar(a.time), price: Number(a.price), kind: 'alert' });
  return out;
}

import { useEffect, useRef, useState } from 'react';
import type { Timeframe } from '../../../core/protocol/types.js';
import { BarStream } from '../../client/bar-stream.js';
import { charts, latency } from '../../debug-handle.js';
import { errorMessage, isConnectionLoss } from '../../lib/errors.js';
import { priceFormatOf } from '../../lib/format.js';
import { useConnection } from '../../stores/connection.js';
import { useSession } from '../../stores/session.js';
import { useChartOrders } from '../orders/useChartOrders.js';
import { ChartController, type LegendState } from './chart-controller.js';

export type ChartRole = 'slow' | 'fast';

interface Props {
  role: ChartRole;
  timeframe: Timeframe;
  count: number;
  onController: (role: ChartRole, c: ChartController | null) => void;
}

const TF_LABEL: Record<Timeframe, string> = { 1: '1s', 60: '1m' };

/** One chart: the lightweight-charts canvas, its legend, and (slow chart) the band of the fast chart's view. */
export function ChartPane({ role, timeframe, count, onController }: Props) {
  const fqme = useSession((s) => s.fqme);
  const fqmeError = useSession((s) => s.fqmeError);
  const mkt = useSession((s) => s.mkt);
  const client = useConnection((s) => s.client);
  const containerRef = useRef<HTMLDivElement>(null);
  const bandRef = useRef<HTMLDivElement>(null);
  const ohlcRef = useRef<HTMLSpanElement>(null);
  const changeRef = useRef<HTMLSpanElement>(null);
  const [controller, setController] = useState<ChartController | null>(null);
  const [atNewest, setAtNewest] = useState(true);

  useEffect(() => {
    // The legend changes on every tick and mouse move: write the DOM directly instead of re-rendering React.
    const onLegend = (s: LegendState) => {
      const tone = s.hasBar ? (s.up ? ' up' : ' down') : '';
      if (ohlcRef.current) {
        ohlcRef.current.textContent = s.text;
        ohlcRef.current.className = `ohlc${tone}`;
      }
      if (changeRef.current) {
        changeRef.current.textContent = s.change;
        changeRef.current.className = `chg${tone}`;
      }
    };
    const c = new ChartController({
      timeframe,
      container: containerRef.current!,
      bandElement: role === 'slow' ? bandRef.current! : undefined,
      onLegend,
      onFollowChange: setAtNewest,
      latency,
    });
    charts[role] = c;
    setController(c);
    onController(role, c);
    return () => {
      onController(role, null);
      delete charts[role];
      c.destroy();
    };
  }, [role, timeframe, onController]);

  useEffect(() => {
    if (!controller) return;
    if (fqmeError) {
      controller.detach();
      return;
    }
    // No client (reconnecting): keep drawing what we have; the status bar says we are disconnected.
    if (!client) return;
    const stream = new BarStream(client, fqme, timeframe, count, { onRows: controller.requestFlush });
    controller.attach(stream);
    let current = true;
    const { setStreamError, markLoaded } = useSession.getState();
    stream.start().then(
      () => {
        if (!current) return;
        setStreamError(timeframe, null);
        markLoaded(fqme);
      },
      (e: unknown) => {
        if (current && !isConnectionLoss(e)) {
          setStreamError(timeframe, errorMessage(e));
          controller.detach();
        }
      },
    );
    return () => {
      current = false;
      stream.close();
    };
  }, [controller, client, fqme, fqmeError, timeframe, count]);

  useChartOrders(controller, containerRef);

  useEffect(() => {
    controller?.setPriceFormat(priceFormatOf(mkt && mkt.fqme === fqme ? mkt.priceTick : null));
  }, [controller, mkt, fqme]);

  return (
    <div className={`chart-pane chart-${role}`}>
      <div className="chart-legend" data-testid="chart-legend">
        <span className="sym">{fqme}</span> <span className="tf">{TF_LABEL[timeframe]}</span>{' '}
        <span className="ohlc" ref={ohlcRef}>
          O - H - L - C - V -
        </span>{' '}
        <span className="chg" ref={changeRef} />
      </div>
      <div className="chart" data-testid="chart" data-fqme={fqme} data-timeframe={timeframe} ref={containerRef}>
        <div className="time-band" ref={bandRef} />
        {!atNewest && (
          <button type="button" className="to-newest" title="back to the newest bar" onClick={() => controller?.scrollToNewest()}>
            newest ⇥
          </button>
        )}
      </div>
    </div>
  );
}

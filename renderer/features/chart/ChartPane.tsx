import { useEffect, useRef, useState } from 'react';
import type { IndicatorSpec } from '../../../core/protocol/layout.js';
import type { Timeframe } from '../../../core/protocol/types.js';
import { BarStream } from '../../client/bar-stream.js';
import { latency, registerChart } from '../../debug-handle.js';
import { errorMessage, isConnectionLoss } from '../../lib/errors.js';
import { priceFormatOf } from '../../lib/format.js';
import { useCharts } from '../../stores/charts.js';
import { useConnection } from '../../stores/connection.js';
import { useSession } from '../../stores/session.js';
import { useIndicators } from '../indicators/useIndicators.js';
import { useChartOrders } from '../orders/useChartOrders.js';
import { ChartController, type LegendState } from './chart-controller.js';
import { useGapMarkers } from './useGapMarkers.js';

export type ChartRole = 'slow' | 'fast';

interface Props {
  chartId: string;
  role: ChartRole;
  timeframe: Timeframe;
  count: number;
  /** The chart's symbol as typed, and why it does not parse (nothing is subscribed then). */
  fqme: string;
  fqmeError: string | null;
  overlays: readonly string[];
  /** The chart's indicator set (features/indicators): drawn on every timeframe of the chart. */
  indicators: readonly IndicatorSpec[];
  /** False while the chart's tab is hidden: it draws nothing until shown again. */
  active: boolean;
  onController: (role: ChartRole, c: ChartController | null) => void;
}

export const TF_LABEL: Record<Timeframe, string> = { 1: '1s', 60: '1m' };

/** One chart: the lightweight-charts canvas, its legend, and (slow chart) the band of the fast chart's view. */
export function ChartPane({ chartId, role, timeframe, count, fqme, fqmeError, overlays, indicators, active, onController }: Props) {
  const runtime = useCharts((s) => s.byId[chartId]);
  const mkt = runtime?.mktFqme === fqme ? runtime.mkt : null;
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
    const unregister = registerChart(chartId, role, c);
    setController(c);
    onController(role, c);
    return () => {
      onController(role, null);
      unregister();
      c.destroy();
    };
  }, [chartId, role, timeframe, onController]);

  useEffect(() => {
    controller?.setActive(active);
  }, [controller, active]);

  useEffect(() => {
    if (!controller) return;
    if (fqmeError) {
      controller.detach();
      return;
    }
    // No client (reconnecting): keep drawing what we have; the status bar says we are disconnected.
    if (!client) return;
    // Charts of one symbol and timeframe share one subscription (and one copy of the rows).
    const stream = BarStream.shared(client, fqme, timeframe, count, { onRows: controller.requestFlush });
    controller.attach(stream);
    let current = true;
    const { setStreamError } = useCharts.getState();
    stream.start().then(
      () => {
        if (!current) return;
        setStreamError(chartId, fqme, timeframe, null);
        useSession.getState().markLoaded(fqme);
      },
      (e: unknown) => {
        if (current && !isConnectionLoss(e)) {
          setStreamError(chartId, fqme, timeframe, errorMessage(e));
          controller.detach();
        }
      },
    );
    return () => {
      current = false;
      stream.close();
    };
  }, [controller, client, chartId, fqme, fqmeError, timeframe, count]);

  // Overlay streams live as long as the chart and its connection; adding or removing one leaves the others be.
  const overlayPool = useRef<Map<string, BarStream> | null>(null);
  useEffect(() => {
    if (!controller || !client) return;
    const pool = new Map<string, BarStream>();
    overlayPool.current = pool;
    return () => {
      overlayPool.current = null;
      controller.setOverlays([]);
      for (const stream of pool.values()) stream.close();
    };
  }, [controller, client, timeframe, count]);

  const overlayKey = overlays.join(',');
  useEffect(() => {
    const pool = overlayPool.current;
    if (!controller || !client || !pool) return;
    const wanted = overlayKey ? overlayKey.split(',') : [];
    for (const [f, stream] of pool) {
      if (wanted.includes(f)) continue;
      pool.delete(f);
      stream.close();
    }
    for (const f of wanted) {
      if (pool.has(f)) continue;
      const stream = BarStream.shared(client, f, timeframe, count, { onRows: controller.requestFlush });
      pool.set(f, stream);
      const mine = () => pool.get(f) === stream;
      stream.start().then(
        () => mine() && useCharts.getState().setOverlayError(chartId, f, null),
        (e: unknown) => mine() && !isConnectionLoss(e) && useCharts.getState().setOverlayError(chartId, f, errorMessage(e)),
      );
    }
    controller.setOverlays(wanted.map((f) => ({ fqme: f, stream: pool.get(f)! })));
  }, [controller, client, chartId, overlayKey, timeframe, count]);

  useChartOrders(controller, containerRef, fqme, mkt);
  useGapMarkers(controller, containerRef, client, fqme, fqmeError, timeframe);
  useIndicators({ controller, container: containerRef, client, chartId, role, fqme, fqmeError, timeframe, count, indicators, digits: priceFormatOf(mkt ? mkt.priceTick : null).digits });

  useEffect(() => {
    controller?.setPriceFormat(priceFormatOf(mkt ? mkt.priceTick : null));
  }, [controller, mkt]);

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

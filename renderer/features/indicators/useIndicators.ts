import { useEffect, useRef, type RefObject } from 'react';
import type { IndicatorSpec } from '../../../core/protocol/layout.js';
import type { ApiClient } from '../../../core/protocol/client.js';
import type { Timeframe } from '../../../core/protocol/types.js';
import { BarStream } from '../../client/bar-stream.js';
import type { ChartController } from '../chart/chart-controller.js';
import { registerIndicatorPane } from './debug.js';
import { indicatorActions } from './indicator-actions.js';
import { IndicatorLayer } from './indicator-layer.js';
import { IndicatorOverlay } from './indicator-overlay.js';
import { indicatorHub } from './hub-instance.js';
import { RangeSelection } from './range-selection.js';

interface Options {
  controller: ChartController | null;
  container: RefObject<HTMLDivElement | null>;
  client: ApiClient | null;
  chartId: string;
  role: 'slow' | 'fast';
  fqme: string;
  fqmeError: string | null;
  timeframe: Timeframe;
  count: number;
  indicators: readonly IndicatorSpec[];
  /** Decimals of the market's prices (indicator values that are prices show as many). */
  digits: number;
}

/**
 * A chart pane's indicators and range selection. The selection (shift-drag) is always there; the indicator layer,
 * its DOM and its feed to the worker exist only while the chart shows indicators. The feed reads the chart's rows as
 * one more reader of the chart's shared bar subscription (BarStream.shared: no second subscription, no second copy
 * in the page), so the worker gets the snapshot, the live tail and history pages exactly as the chart does.
 */
export function useIndicators(o: Options): void {
  const { controller, container, client, chartId, role, fqme, fqmeError, timeframe, count, indicators, digits } = o;
  const digitsRef = useRef(digits);
  digitsRef.current = digits;
  const layerRef = useRef<{ layer: IndicatorLayer; overlay: IndicatorOverlay } | null>(null);
  const specsKey = JSON.stringify(indicators);
  const specsRef = useRef(indicators);
  specsRef.current = indicators;
  const active = indicators.length > 0;

  useEffect(() => {
    const host = container.current;
    if (!controller || !host) return;
    const sel = new RangeSelection(host, controller.chart, () => digitsRef.current);
    const off = controller.addFollower(sel);
    const unregister = registerIndicatorPane(chartId, role, { selection: sel });
    return () => {
      unregister();
      off();
      sel.destroy();
    };
  }, [controller, container, chartId, role]);

  useEffect(() => {
    const host = container.current;
    if (!controller || !host || !client || fqmeError || !active) return;
    const layer = new IndicatorLayer(controller.chart, indicatorHub(), () => controller.isActive, () => overlay.request());
    const overlay = new IndicatorOverlay(host, controller.chart, layer, () => digitsRef.current, (id) => indicatorActions.remove(chartId, id));
    layer.setIndicators(specsRef.current);
    layerRef.current = { layer, overlay };
    const offFollow = controller.addFollower(layer);
    let first = true;
    const reader: BarStream = BarStream.shared(client, fqme, timeframe, count, {
      onRows: () => {
        const { span, replaced } = reader.takeDirty();
        layer.push(reader.store, span, replaced || first);
        first = false;
      },
    });
    // Latency samples are the chart's business.
    reader.paused = true;
    reader.start().catch(() => undefined);
    if (reader.store.length > 0) reader.listener.onRows();
    const unregister = registerIndicatorPane(chartId, role, { layer, overlay, store: () => reader.store });
    return () => {
      unregister();
      layerRef.current = null;
      reader.close();
      offFollow();
      overlay.destroy();
      layer.destroy();
    };
  }, [controller, container, client, chartId, role, fqme, fqmeError, timeframe, count, active]);

  useEffect(() => {
    const l = layerRef.current;
    if (!l) return;
    l.layer.setIndicators(specsRef.current);
    l.overlay.request();
  }, [specsKey, active]);

  useEffect(() => {
    layerRef.current?.overlay.request();
  }, [digits]);
}

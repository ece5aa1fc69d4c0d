import { useEffect, useState, type RefObject } from 'react';
import type { ApiClient } from '../../../core/protocol/client.js';
import type { Timeframe } from '../../../core/protocol/types.js';
import { watchHistoryGaps } from '../../client/history-gaps.js';
import type { ChartController } from './chart-controller.js';
import { GapMarkers } from './gap-markers.js';

/**
 * A chart pane's recorded history gaps: drawn on its candles (gap-markers.ts) as the host lists them for its market and
 * timeframe, asked again whenever the host says they changed (client/history-gaps.ts).
 */
export function useGapMarkers(
  controller: ChartController | null,
  container: RefObject<HTMLDivElement | null>,
  client: ApiClient | null,
  fqme: string,
  fqmeError: string | null,
  timeframe: Timeframe,
): void {
  const [markers, setMarkers] = useState<GapMarkers | null>(null);

  useEffect(() => {
    const host = container.current;
    if (!controller || !host) return;
    const m = new GapMarkers(host);
    controller.priceSeries.attachPrimitive(m);
    const off = controller.addFollower(m);
    setMarkers(m);
    return () => {
      setMarkers(null);
      off();
      controller.priceSeries.detachPrimitive(m);
      m.destroy();
    };
  }, [controller, container]);

  // Another market: its gaps are not this one's. A reconnect (new client) keeps them until the new answer.
  useEffect(() => {
    markers?.setGaps([]);
  }, [markers, fqme, timeframe]);

  useEffect(() => {
    if (!markers || !client || fqmeError) return;
    return watchHistoryGaps(client, fqme, timeframe, (gaps) => markers.setGaps(gaps));
  }, [markers, client, fqme, fqmeError, timeframe]);
}

import { useEffect } from 'react';
import type { ApiClient } from '../../../core/protocol/client.js';
import type { MktPair } from '../../../core/protocol/types.js';
import { errorMessage, isConnectionLoss } from '../../lib/errors.js';
import { useCharts } from '../../stores/charts.js';
import { useConnection } from '../../stores/connection.js';

/** Answers by connection, then by fqme: charts of one symbol ask once. A failed answer is forgotten (asked again). */
const cache = new WeakMap<ApiClient, Map<string, Promise<MktPair>>>();

export function mktInfo(client: ApiClient, fqme: string): Promise<MktPair> {
  let byFqme = cache.get(client);
  if (!byFqme) cache.set(client, (byFqme = new Map()));
  let p = byFqme.get(fqme);
  if (!p) {
    p = client.call('mkt.info', { fqme });
    byFqme.set(fqme, p);
    p.catch(() => byFqme.delete(fqme));
  }
  return p;
}

/** Fetches a chart's market metadata (price tick -> axis digits) whenever its symbol or the connection change. */
export function useMktInfo(chartId: string, fqme: string, fqmeError: string | null): void {
  const client = useConnection((s) => s.client);
  useEffect(() => {
    if (!client || fqmeError) return;
    let current = true;
    mktInfo(client, fqme).then(
      (mkt) => current && useCharts.getState().setMkt(chartId, fqme, mkt, null),
      (e: unknown) => current && !isConnectionLoss(e) && useCharts.getState().setMkt(chartId, fqme, null, errorMessage(e)),
    );
    return () => {
      current = false;
    };
  }, [client, chartId, fqme, fqmeError]);
}

import { useEffect } from 'react';
import { errorMessage, isConnectionLoss } from '../../lib/errors.js';
import { useConnection } from '../../stores/connection.js';
import { useSession } from '../../stores/session.js';

/** Fetches the loaded symbol's market metadata (price tick -> axis digits) whenever symbol or connection change. */
export function useMktInfo(): void {
  const client = useConnection((s) => s.client);
  const fqme = useSession((s) => s.fqme);
  const fqmeError = useSession((s) => s.fqmeError);
  useEffect(() => {
    if (!client || fqmeError) return;
    let current = true;
    client.call('mkt.info', { fqme }).then(
      (mkt) => current && useSession.getState().setMkt(mkt, null),
      (e: unknown) => current && !isConnectionLoss(e) && useSession.getState().setMkt(null, errorMessage(e)),
    );
    return () => {
      current = false;
    };
  }, [client, fqme, fqmeError]);
}

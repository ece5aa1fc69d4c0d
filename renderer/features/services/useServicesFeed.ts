import { useEffect } from 'react';
import { useConnection } from '../../stores/connection.js';
import { useServices } from '../../stores/services.js';

/** Keeps the services store current: the full list on (re)connect, then every `services` event. */
export function useServicesFeed(): void {
  const client = useConnection((s) => s.client);
  useEffect(() => {
    if (!client) return;
    const { setServices } = useServices.getState();
    const off = client.on('services', (list) => setServices(list));
    client.call('services.list', {}).then(setServices, () => undefined);
    return off;
  }, [client]);
}

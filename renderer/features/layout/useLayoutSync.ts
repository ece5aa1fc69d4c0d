import { useEffect } from 'react';
import { DEFAULT_FQME } from '../../lib/launch-options.js';
import { errorMessage, isConnectionLoss } from '../../lib/errors.js';
import { savable } from '../../lib/layout-model.js';
import { useConnection } from '../../stores/connection.js';
import { useLayout } from '../../stores/layout.js';

/** Edits within this long of each other go to the host as one save. */
export const SAVE_DEBOUNCE_MS = 250;

/**
 * The layout's round trip with the host: read once when the first connection is up (the workspace waits for it),
 * then this window's part saved after every change, debounced, and again after a reconnect if a change is pending.
 * A host that refuses the layout (it cannot happen with a valid model) leaves the error in the store and the UI
 * running.
 */
export function useLayoutSync(): void {
  const client = useConnection((s) => s.client);

  useEffect(() => {
    if (!client) return;
    let current = true;
    if (!useLayout.getState().restored) {
      client.call('layout.load', {}).then(
        (saved) => current && useLayout.getState().restore(saved),
        (e: unknown) => {
          if (!current || isConnectionLoss(e)) return;
          // An older host without layouts, or a broken file it could not move aside: start from the URL's symbol.
          useLayout.setState({ saveError: errorMessage(e) });
          useLayout.getState().restore(null);
        },
      );
    }

    let timer: ReturnType<typeof setTimeout> | null = null;
    let inFlight = false;
    const save = () => {
      timer = null;
      const s = useLayout.getState();
      if (!current || inFlight || !s.restored || !s.dirty) return;
      const win = savable(s.win, DEFAULT_FQME);
      if (!win) return useLayout.setState({ dirty: false, saveError: 'layout not savable' });
      inFlight = true;
      useLayout.setState({ dirty: false });
      client.call('layout.saveWindow', { window: win }).then(
        () => useLayout.setState((st) => ({ saves: st.saves + 1, saveError: null })),
        (e: unknown) => {
          // Lost with the connection: saved again on the next one.
          if (isConnectionLoss(e)) useLayout.setState({ dirty: true });
          else useLayout.setState({ saveError: errorMessage(e) });
        },
      ).finally(() => {
        inFlight = false;
        if (current && useLayout.getState().dirty) schedule();
      });
    };
    const schedule = () => {
      if (timer === null) timer = setTimeout(save, SAVE_DEBOUNCE_MS);
    };
    const unsubscribe = useLayout.subscribe((s, prev) => {
      if (s.dirty && (s.win !== prev.win || !prev.dirty || s.restored !== prev.restored)) schedule();
    });
    if (useLayout.getState().dirty) schedule();
    return () => {
      current = false;
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [client]);
}

/**
 * The only IPC channels between a window and main. The preload imports this file, so it must stay free of imports:
 * a sandboxed preload can require nothing but 'electron'.
 */
/** renderer -> main: "give this window a MessagePort to the host API". Carries no payload. */
export const CONNECT_CHANNEL = 'candlewick:connect';
/** main -> preload, then preload -> page (window.postMessage data): the port itself rides in the transfer list. */
export const PORT_CHANNEL = 'candlewick:port';

/** renderer -> main: "open the saved layout window with this id" (the one payload: the id, checked by main). */
export const OPEN_WINDOW_CHANNEL = 'candlewick:open-window';

export const KNOWN_CHANNELS: ReadonlySet<string> = new Set([CONNECT_CHANNEL, OPEN_WINDOW_CHANNEL]);

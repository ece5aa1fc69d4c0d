/**
 * The only IPC channels between a window and main. The preload imports this file, so it must stay free of imports:
 * a sandboxed preload can require nothing but 'electron'.
 */
/** renderer -> main: "give this window a MessagePort to the host API". Carries no payload. */
export const CONNECT_CHANNEL = 'candlewick:connect';
/** main -> preload, then preload -> page (window.postMessage data): the port itself rides in the transfer list. */
export const PORT_CHANNEL = 'candlewick:port';

export const KNOWN_CHANNELS: ReadonlySet<string> = new Set([CONNECT_CHANNEL]);

/** What the Electron preload exposes to the page (electron/preload.ts): nothing but a request for a port. */
interface CandlewickBridge {
  connect(): void;
}

interface Window {
  candlewick?: CandlewickBridge;
  /** Read-only debug handle for tests and benchmarks (renderer/debug-handle.ts). */
  __candlewick?: unknown;
}

/** What the Electron preload exposes to the page (electron/preload.ts): a request for a port, and for a window. */
interface CandlewickBridge {
  connect(): void;
  /** Opens the saved layout window `windowId` (main checks the layout has it). Absent in older shells. */
  openWindow?(windowId: string): void;
}

interface Window {
  candlewick?: CandlewickBridge;
  /** Read-only debug handle for tests and benchmarks (renderer/debug-handle.ts). */
  __candlewick?: unknown;
}

/**
 * memory.bytes_per_bar page: loads 1,000,000 1 m bars into the renderer's BarStore the way the renderer
 * receives them, so the Node side can measure the JS heap before and after (CDP, after forced GCs).
 * `paged`: a 5,000-row snapshot then 5,000-row history pages prepended newest first, each a wire frame
 * (encoded, decoded, written into the store). `bulk`: one frame of every row.
 */
import { decodeBarFrame, encodeBarFrame, FrameKind, type BarFrame } from '../../core/protocol/frames.js';
import { BarStore } from '../../renderer/lib/bar-store.js';

const PAGE = 5_000;

let source: BarFrame | null = null;
let store: BarStore | null = null;

const api = {
  ready: false,
  async fetchBars(): Promise<number> {
    source = decodeBarFrame(await (await fetch('bars.bin')).arrayBuffer());
    api.ready = true;
    return source.count;
  },
  load(mode: 'paged' | 'bulk'): { rows: number; allocatedBytes: number; ms: number; frames: number } {
    const src = source!;
    const t0 = performance.now();
    const s = new BarStore();
    const end = src.startIndex + src.count;
    let frames = 0;
    const deliver = (kind: FrameKind, from: number, count: number) => {
      const wire = encodeBarFrame(kind, 1, from, src.first, src.last, src.rows, from - src.startIndex, count);
      const f = decodeBarFrame(wire);
      if (kind === FrameKind.snapshot) s.clear();
      s.set(f.startIndex, f.rows, f.count);
      frames++;
    };
    if (mode === 'bulk') deliver(FrameKind.snapshot, src.startIndex, src.count);
    else {
      deliver(FrameKind.snapshot, end - PAGE, PAGE);
      for (let to = end - PAGE; to > src.startIndex; to -= PAGE) {
        const from = Math.max(src.startIndex, to - PAGE);
        deliver(FrameKind.range, from, to - from);
      }
    }
    store = s;
    return { rows: s.length, allocatedBytes: s.allocatedBytes, ms: performance.now() - t0, frames };
  },
  drop(): void {
    store = null;
  },
  /** Keeps `store` observably alive (and reachable from the window) between measurements. */
  held(): number {
    return store?.length ?? 0;
  },
};
(window as unknown as { __bench: typeof api }).__bench = api;

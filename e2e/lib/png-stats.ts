/**
 * What a screenshot of a chart contains, counted from its pixels: a blank or background-only canvas has one or two
 * colors and no saturated pixels; drawn candles add many saturated greens (up) and reds (down). Grid lines, axis text
 * and the crosshair are greys, so saturation separates candles from chart furniture without pinning the exact theme.
 */
import { PNG } from 'pngjs';

export interface PixelStats {
  width: number;
  height: number;
  /** The most frequent color, taken as the background. */
  background: string;
  /** Pixels differing from the background by more than a little (anything drawn). */
  drawn: number;
  /** Strongly colored pixels (max - min channel >= 60): candle bodies and wicks, volume bars, price line. */
  saturated: number;
  /** Saturated pixels that are mainly green (up candles in every usual theme). */
  greenish: number;
  /** Saturated pixels that are mainly red (down candles). */
  reddish: number;
  distinctColors: number;
}

const hex = (r: number, g: number, b: number) => `#${((1 << 24) | (r << 16) | (g << 8) | b).toString(16).slice(1)}`;

export function pixelStats(pngBytes: Buffer): PixelStats {
  const png = PNG.sync.read(pngBytes);
  const { width, height, data } = png;
  const counts = new Map<number, number>();
  for (let i = 0; i < data.length; i += 4) {
    const key = (data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let bgKey = 0;
  let bgCount = -1;
  for (const [k, n] of counts) {
    if (n > bgCount) {
      bgKey = k;
      bgCount = n;
    }
  }
  const br = (bgKey >> 16) & 255;
  const bg = (bgKey >> 8) & 255;
  const bb = bgKey & 255;
  let drawn = 0;
  let saturated = 0;
  let greenish = 0;
  let reddish = 0;
  for (let i = 0; i < data.length; i += 4) {
    const r = data[i]!;
    const g = data[i + 1]!;
    const b = data[i + 2]!;
    if (Math.abs(r - br) + Math.abs(g - bg) + Math.abs(b - bb) > 24) drawn++;
    const chroma = Math.max(r, g, b) - Math.min(r, g, b);
    if (chroma < 60) continue;
    saturated++;
    if (g > r + 40 && g >= b - 40) greenish++;
    else if (r > g + 60 && r > b + 30) reddish++;
  }
  return { width, height, background: hex(br, bg, bb), drawn, saturated, greenish, reddish, distinctColors: counts.size };
}

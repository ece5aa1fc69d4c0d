// Draws the Candlewick app icon (four candlesticks on a dark rounded square) into assets/ with pngjs.
// Run `node scripts/make-icons.mjs` after changing the drawing; the PNGs are committed, electron-builder derives
// .ico/.icns from them.
import { PNG } from 'pngjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SUPERSAMPLE = 4;

const BG_TOP = [0x1b, 0x21, 0x2e];
const BG_BOTTOM = [0x0b, 0x0e, 0x14];
const GREEN = [0x26, 0xa6, 0x9a];
const RED = [0xef, 0x53, 0x50];

// Shapes in unit coordinates (0..1, y down). Candles: x centre, wick top/bottom, body top/bottom, colour.
const candles = [
  { x: 0.25, wick: [0.42, 0.76], body: [0.5, 0.68], color: RED },
  { x: 0.415, wick: [0.36, 0.72], body: [0.42, 0.64], color: GREEN },
  { x: 0.585, wick: [0.22, 0.6], body: [0.3, 0.5], color: GREEN },
  { x: 0.75, wick: [0.26, 0.52], body: [0.31, 0.44], color: RED },
];
const BODY_HALF = 0.055;
const WICK_HALF = 0.011;
const MARGIN = 0.04;
const RADIUS = 0.2;

function inRoundedRect(x, y, x0, y0, x1, y1, r) {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** Colour [r, g, b] at a unit point, or null outside the icon (transparent). */
function sample(x, y) {
  if (!inRoundedRect(x, y, MARGIN, MARGIN, 1 - MARGIN, 1 - MARGIN, RADIUS)) return null;
  for (const c of candles) {
    const body = inRoundedRect(x, y, c.x - BODY_HALF, c.body[0], c.x + BODY_HALF, c.body[1], 0.012);
    const wick = Math.abs(x - c.x) <= WICK_HALF && y >= c.wick[0] && y <= c.wick[1];
    if (body || wick) return c.color;
  }
  const t = (y - MARGIN) / (1 - 2 * MARGIN);
  return BG_TOP.map((v, i) => v + (BG_BOTTOM[i] - v) * t);
}

function render(size) {
  const png = new PNG({ width: size, height: size });
  const n = SUPERSAMPLE * SUPERSAMPLE;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const c = sample((px + (sx + 0.5) / SUPERSAMPLE) / size, (py + (sy + 0.5) / SUPERSAMPLE) / size);
          if (c === null) continue;
          r += c[0];
          g += c[1];
          b += c[2];
          a += 1;
        }
      }
      const o = (py * size + px) * 4;
      // Straight (non-premultiplied) alpha: average colour over the covered samples.
      png.data[o] = a ? Math.round(r / a) : 0;
      png.data[o + 1] = a ? Math.round(g / a) : 0;
      png.data[o + 2] = a ? Math.round(b / a) : 0;
      png.data[o + 3] = Math.round((255 * a) / n);
    }
  }
  return PNG.sync.write(png);
}

const outputs = [
  ['assets/icon.png', 512],
  ['assets/icons/512x512.png', 512],
  ['assets/icons/256x256.png', 256],
];
for (const [rel, size] of outputs) {
  const file = join(root, rel);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, render(size));
  console.log(`${rel} ${size}x${size}`);
}

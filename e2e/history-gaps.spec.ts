import { PNG } from 'pngjs';
import { expect } from './fixtures.js';
import { venueTest as gtest } from './venue-fixtures.js';

/** The marker's colour (gap-markers.ts, #f0b429) and nothing else the chart draws: candles are green or red. */
const amber = (r: number, g: number, b: number) => r > 190 && g > 130 && g < 215 && b < 110;

/** Amber pixels in column `x` of a PNG, between rows y0 and y1. */
function amberInColumn(png: PNG, x: number, y0: number, y1: number): number {
  let n = 0;
  for (let y = Math.max(0, y0); y < Math.min(png.height, y1); y++) {
    const i = (y * png.width + x) * 4;
    if (amber(png.data[i]!, png.data[i + 1]!, png.data[i + 2]!)) n++;
  }
  return n;
}

/**
 * A run of 1 m bars the venue never has (the fake Binance leaves them out of every klines answer): datad asks again,
 * records the gap, and the chart draws it between the bar before and the bar after, with its bar count.
 */
gtest('a recorded history gap is drawn between the bars either side of it, with its bar count and reason', async ({ terminal, venues, snap }) => {
  const minute = Math.floor(Date.now() / 60_000) * 60;
  const hole = { symbol: 'ETHUSDT', interval: 60, from: minute - 30 * 60, to: minute - 26 * 60, times: Infinity };
  venues.binance.klineHoles.push(hole);
  await terminal.open('ethusdt.spot.binance');
  await terminal.waitForCandles('ethusdt.spot.binance');

  // Recorded by datad after the chart first asked: the host's `gaps` event brings it to the chart.
  const item = terminal.gapItems(60);
  await expect(item).toHaveCount(1, { timeout: 20_000 });
  await expect(item).toHaveAttribute('data-bars', '4');
  await expect(item).toHaveAttribute('data-start', String(hole.from));
  await expect(item).toHaveAttribute('data-end', String(hole.to));
  // Between the venue's last bar before the hole and its first bar after it.
  await expect(item).toHaveAttribute('data-before-time', String(hole.from - 60));
  await expect(item).toHaveAttribute('data-after-time', String(hole.to));
  await expect(item).toHaveText(/^gap 4 bars: the venue has no bars here/);
  const tape = venues.binance.tape('spot', 'ETHUSDT').bars(60, hole.from - 60, hole.to + 60);
  expect(tape.map((b) => b.time)).toEqual([hole.from - 60, ...[0, 1, 2, 3].map((k) => hole.from + k * 60), hole.to]);
  // 1 s bars are not checked for holes on Binance (a quiet second may have no candle): nothing drawn there.
  await expect(terminal.gapItems(1)).toHaveCount(0);

  const [m] = await terminal.gapMarkers(60);
  expect(m).toBeDefined();
  expect([m!.label, m!.gaps, m!.after - m!.before]).toEqual(['gap 4 bars', 1, 1]);
  expect(m!.reasons).toEqual([expect.stringMatching(/venue has no bars here/)]);
  // One line, halfway between the two candles.
  expect(m!.x0).not.toBeNull();
  expect(m!.x1).toBe(m!.x0);
  expect(m!.beforeX!).toBeLessThan(m!.x0!);
  expect(m!.afterX!).toBeGreaterThan(m!.x0!);
  expect(Math.abs(m!.x0! - (m!.beforeX! + m!.afterX!) / 2)).toBeLessThan(0.5);

  // On screen: a dashed amber line down that column, and none a few candles to its left.
  const chart = terminal.chart(60);
  const box = (await chart.boundingBox())!;
  const png = PNG.sync.read(await chart.screenshot());
  const scale = png.width / box.width;
  const x = Math.round(m!.x0! * scale);
  const lower = [Math.round(png.height * 0.4), Math.round(png.height * 0.75)] as const;
  const onLine = Math.max(...[x - 1, x, x + 1].map((c) => amberInColumn(png, c, ...lower)));
  expect(onLine).toBeGreaterThan((lower[1] - lower[0]) * 0.35);
  expect(amberInColumn(png, x - Math.round(20 * scale), ...lower)).toBeLessThan(3);
  await snap('history-gap');

  // The pointer on the line: the marker is hovered (its reason is drawn beside the label).
  await terminal.page.mouse.move(box.x + m!.x0!, box.y + box.height * 0.6);
  await expect.poll(async () => (await terminal.gapMarkers(60))[0]?.hovered, { message: 'the gap marker is hovered' }).toBe(true);
  // While 1 s bars keep coming (the 1 s chart mirrors the hovered time), the 1 m legend stays on a bar beside the gap.
  const closes = await terminal.page.evaluate(
    ([before, after]) => {
      const c = (globalThis as any).__candlewick.charts.slow;
      return [c.stream.store.get('close', before), c.stream.store.get('close', after)] as number[];
    },
    [m!.before, m!.after],
  );
  await terminal.page.waitForTimeout(2_500);
  expect(closes).toContain((await terminal.legendBar(60))!.close);
  expect((await terminal.gapMarkers(60))[0]?.hovered).toBe(true);
  await snap('history-gap-hover');
});

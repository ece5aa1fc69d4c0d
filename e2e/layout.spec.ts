import { test, expect } from './fixtures.js';

test.describe('layout', () => {
  test('the charts follow the window when it is made smaller', async ({ terminal, snap }) => {
    await terminal.open('xbtusd.spot.sim');
    await terminal.waitForCandles('xbtusd.spot.sim');
    const page = terminal.page;
    test.skip(page.viewportSize() === null, 'this target has no resizable viewport');

    const small = { width: 900, height: 640 };
    await page.setViewportSize(small);
    // autoSize reacts to the container's ResizeObserver: allow a few frames.
    await expect
      .poll(async () => {
        const boxes = await Promise.all([terminal.chart(60).boundingBox(), terminal.chart(1).boundingBox()]);
        return boxes.every((b) => b !== null && b.x + b.width <= small.width + 1 && b.y + b.height <= small.height + 1);
      }, { message: `both charts inside the ${small.width}x${small.height} window` })
      .toBe(true);
    const panel = await terminal.servicesPanel.boundingBox();
    expect(panel && panel.x + Math.min(panel.width, 20) <= small.width, 'services panel still on screen').toBe(true);
    await snap('resized-small');
  });
});

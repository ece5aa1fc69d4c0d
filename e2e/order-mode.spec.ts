import { test, expect } from './fixtures.js';

const FQME = 'xbtusd.spot.sim';
/** xbtusd's price tick is 0.5: every price the UI sends is a whole number or ends in .5. */
const ON_TICK = /^\d+(\.5)?$/;

test.describe('order mode', () => {
  test.beforeEach(async ({ terminal }) => {
    await terminal.open(FQME);
    await terminal.waitForCandles(FQME);
    await expect(terminal.orderPane).toBeVisible();
  });

  test('hold f over the chart and click: a dark buy line on both charts and in the working orders', async ({ terminal, snap }) => {
    // Well below the market, so the dark buy rests instead of triggering.
    const at = await terminal.pointNearLast(60, 60);
    await terminal.stageAndClick(at, 'f');
    const oid = await terminal.waitForNewOrderLine(60, []);
    const line = terminal.orderLine(oid, 60);
    await expect(line).toHaveAttribute('data-action', 'buy');
    await expect(line).toHaveAttribute('data-exec-mode', 'dark');
    await expect(line).toBeVisible();
    expect(await line.getAttribute('data-price')).toMatch(ON_TICK);
    // The fast chart draws it too (hidden while its price is off that chart's scale).
    await expect(terminal.orderLine(oid, 1)).toBeAttached();
    await expect(terminal.workingOrder(oid)).toHaveAttribute('data-exec-mode', 'dark');
    // Released key: nothing staged any more.
    await expect(terminal.page.getByTestId('order-line-staged')).toHaveCount(0);
    // The host has it, at the price the line shows.
    const active = (await terminal.api('orders.active')).result as Array<{ oid: string; req: { price: string } }>;
    expect(active.find((s) => s.oid === oid)?.req.price).toBe(await line.getAttribute('data-price'));
    await snap('order-dark-buy');
  });

  test('a paper buy limit from the right-click menu: a line and a working order', async ({ terminal, snap }) => {
    const at = await terminal.pointNearLast(60, 70);
    await terminal.page.mouse.click(at.x, at.y, { button: 'right' });
    await expect(terminal.orderMenu).toBeVisible();
    // Below the market a buy stop makes no sense: it is offered above only.
    await expect(terminal.orderMenu.locator('[data-kind="buy-stop"]')).toBeDisabled();
    await snap('order-menu');
    const before = await terminal.orderLineOids(60);
    await terminal.orderMenu.locator('[data-kind="buy-limit"]').click();
    await expect(terminal.orderMenu).toHaveCount(0);
    const oid = await terminal.waitForNewOrderLine(60, before);
    const line = terminal.orderLine(oid, 60);
    await expect(line).toHaveAttribute('data-exec-mode', 'paper');
    await expect(line).toHaveAttribute('data-action', 'buy');
    const row = terminal.workingOrder(oid);
    await expect(row).toHaveAttribute('data-exec-mode', 'paper');
    await expect(row).toHaveAttribute('data-resp', 'open');
    await snap('order-paper-limit');
  });

  test('dragging a line moves the order (modify on release, on the tick)', async ({ terminal, snap }) => {
    const at = await terminal.pointNearLast(60, 60);
    await terminal.stageAndClick(at, 'f');
    const oid = await terminal.waitForNewOrderLine(60, []);
    const line = terminal.orderLine(oid, 60);
    await expect(terminal.workingOrder(oid)).toHaveAttribute('data-resp', 'dark_open');
    const before = (await line.getAttribute('data-price'))!;
    const handle = line.locator('.order-handle');
    const box = (await handle.boundingBox())!;
    const mouse = terminal.page.mouse;
    await mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await mouse.down();
    await mouse.move(box.x + box.width / 2, box.y + box.height / 2 + 40, { steps: 8 });
    await mouse.up();
    await expect.poll(() => line.getAttribute('data-price')).not.toBe(before);
    const after = (await line.getAttribute('data-price'))!;
    expect(after).toMatch(ON_TICK);
    expect(Number(after)).toBeLessThan(Number(before));
    // The host took the modify: same oid, new price; the line stays there.
    await expect
      .poll(async () => {
        const active = (await terminal.api('orders.active')).result as Array<{ oid: string; req: { price: string } }>;
        return active.find((s) => s.oid === oid)?.req.price;
      })
      .toBe(after);
    await expect(terminal.workingOrder(oid)).toHaveAttribute('data-price', after);
    // The chart did not pan while the line was dragged.
    await snap('order-dragged');
  });

  test('c over a line cancels that order', async ({ terminal, snap }) => {
    const at = await terminal.pointNearLast(60, 60);
    await terminal.stageAndClick(at, 'f');
    const oid = await terminal.waitForNewOrderLine(60, []);
    const handle = terminal.orderLine(oid, 60).locator('.order-handle');
    await expect(handle).toBeVisible();
    const box = (await handle.boundingBox())!;
    // Over the line, right of its label.
    await terminal.page.mouse.move(box.x + box.width + 80, box.y + box.height / 2);
    await terminal.page.keyboard.press('c');
    await expect(terminal.orderLines(60)).toHaveCount(0);
    await expect(terminal.workingOrder(oid)).toHaveCount(0);
    const active = (await terminal.api('orders.active')).result as Array<{ oid: string }>;
    expect(active.map((s) => s.oid)).not.toContain(oid);
    await snap('order-canceled');
  });

  test('cc cancels every order on the chart', async ({ terminal, snap }) => {
    await terminal.stageAndClick(await terminal.pointNearLast(60, 50), 'f');
    const first = await terminal.waitForNewOrderLine(60, []);
    await terminal.stageAndClick(await terminal.pointNearLast(60, -50), 'd');
    await terminal.waitForNewOrderLine(60, [first]);
    await expect(terminal.workingOrders).toHaveCount(2);
    // Away from both lines: a single c there cancels nothing, the pair cancels all.
    const box = (await terminal.chart(60).boundingBox())!;
    await terminal.page.mouse.move(box.x + box.width * 0.5, box.y + 15);
    await terminal.page.keyboard.press('c');
    await terminal.page.keyboard.press('c');
    await expect(terminal.orderLines(60)).toHaveCount(0);
    await expect(terminal.workingOrders).toHaveCount(0);
    await snap('order-cancel-all');
  });

  test('the order ticket places a sell from the side pane', async ({ terminal }) => {
    await expect.poll(() => terminal.lastPrice(), { message: 'a last price' }).not.toBeNull();
    const last = (await terminal.lastPrice())!;
    // Well above the market, on the tick.
    const price = String(Math.round(last * 1.01));
    await terminal.orderPane.getByTestId('ticket-price').fill(price);
    await terminal.orderPane.getByTestId('ticket-size').fill('0.01');
    await terminal.orderPane.getByTestId('ticket-sell').click();
    await expect(terminal.orderNotices).toHaveCount(0);
    await expect(terminal.workingOrders).toHaveCount(1);
    const row = terminal.workingOrders.first();
    await expect(row).toHaveAttribute('data-action', 'sell');
    await expect(row).toHaveAttribute('data-exec-mode', 'paper');
    await expect(row).toHaveAttribute('data-price', price);
    const oid = (await row.getAttribute('data-oid'))!;
    await expect(terminal.orderLine(oid, 60)).toHaveAttribute('data-price', price);
    await row.getByTestId('cancel-order').click();
    await expect(terminal.workingOrders).toHaveCount(0);
    await expect(terminal.orderLines()).toHaveCount(0);
  });

  test('an alert just through the last price fires: a toast, and its line is gone', async ({ terminal, snap }) => {
    // Alerts a few ticks either side of the market: whichever way it moves next, one of them is crossed. The chart can
    // trail the host by a moment on a loaded machine (both alerts then on one side of the market): place another pair.
    for (let attempt = 0; attempt < 3; attempt++) {
      await terminal.stageAndClick(await terminal.pointNearLast(1, -10), 'a');
      await terminal.stageAndClick(await terminal.pointNearLast(1, 10), 'a');
      const fired = await terminal.alertToasts
        .first()
        .waitFor({ timeout: 10_000 })
        .then(() => true, () => false);
      if (fired) break;
    }
    await expect(terminal.alertToasts.first()).toBeVisible();
    await expect(terminal.alertToasts.first()).toHaveAttribute('data-fqme', FQME);
    const price = await terminal.alertToasts.first().getAttribute('data-price');
    // The fired alert's line is gone; lines of alerts still waiting are yellow and dotted.
    await expect.poll(() => terminal.orderLines(1).evaluateAll((els) => els.map((e) => e.getAttribute('data-price')))).not.toContain(price);
    for (const action of await terminal.orderLines(1).evaluateAll((els) => els.map((e) => e.getAttribute('data-action')))) expect(action).toBe('alert');
    await snap('order-alert-fired');
  });

  test('a dark buy at the market triggers, fills, and the position appears', async ({ terminal, snap }) => {
    await expect(terminal.position).toHaveAttribute('data-size', '0');
    // Dark buys just above and just below the market: the next move either way releases one as a marketable limit
    // (another pair if the chart trailed the host and both went to one side).
    for (let attempt = 0; attempt < 3; attempt++) {
      await terminal.stageAndClick(await terminal.pointNearLast(1, -10), 'f');
      await terminal.stageAndClick(await terminal.pointNearLast(1, 10), 'f');
      const filled = await expect(terminal.position)
        .not.toHaveAttribute('data-size', '0', { timeout: 10_000 })
        .then(() => true, () => false);
      if (filled) break;
    }
    await expect(terminal.position).not.toHaveAttribute('data-size', '0');
    expect(Number(await terminal.position.getAttribute('data-size'))).toBeGreaterThan(0);
    await expect(terminal.page.getByTestId('fill-row').first()).toBeVisible();
    await expect(terminal.page.getByTestId('position-pnl')).not.toHaveText('-');
    await snap('order-filled-position');
    // The allocator's limit cannot go below the position (piker #267): refused, with the reason in the pane.
    await terminal.setAllocator({ unit: 'units', limit: '0.00001' });
    await expect(terminal.orderPane.getByTestId('alloc-error')).toContainText('below the current position size');
    await terminal.setAllocator({ limit: '10' });
    await expect(terminal.orderPane.getByTestId('alloc-error')).toHaveCount(0);
  });
});

import { test, expect } from './fixtures.js';

test.describe('bad input', () => {
  test('an unknown fqme in the URL shows a clear error, and the terminal still loads a real symbol', async ({ terminal, snap }) => {
    await terminal.open('nope.nowhere.sim');
    await expect(terminal.chartError).toBeVisible({ timeout: 15_000 });
    const message = (await terminal.chartError.innerText()).trim();
    // Clear: names the symbol and says what is wrong with it.
    expect(message).toContain('nope.nowhere.sim');
    expect(message).toMatch(/unknown|not found|no such/i);
    await snap('chart-error-unknown-fqme');
    // Still connected: a bad symbol is not a broken terminal.
    expect(await terminal.connectionState()).toBe('connected');

    await terminal.search('xbt');
    await terminal.selectWithKeyboard('xbtusd.spot.sim');
    await terminal.page.keyboard.press('Enter');
    await terminal.waitForCandles('xbtusd.spot.sim');
    await expect(terminal.chartError).toHaveCount(0);
  });

  test('a malformed fqme shows an error instead of an empty chart', async ({ terminal }) => {
    await terminal.open('not a symbol!');
    await expect(terminal.chartError).toBeVisible({ timeout: 15_000 });
    expect((await terminal.chartError.innerText()).trim().length).toBeGreaterThan(10);
  });
});

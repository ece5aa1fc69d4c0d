import { test, expect } from './fixtures.js';

test.describe('symbol search', () => {
  test('finds and loads another symbol with the keyboard alone', async ({ terminal, snap }) => {
    await terminal.open();
    await terminal.waitForCandles('xbtusd.spot.sim');

    await terminal.search('eth');
    await expect(terminal.page.locator('[data-testid="search-result"][data-fqme="ethusd.spot.sim"]')).toBeVisible();
    await terminal.selectWithKeyboard('ethusd.spot.sim');
    await snap('search-eth');
    await terminal.page.keyboard.press('Enter');

    await terminal.waitForCandles('ethusd.spot.sim');
    expect(await terminal.chartFqmes()).toEqual(['ethusd.spot.sim', 'ethusd.spot.sim']);
    await expect(terminal.page).toHaveURL(/[?&]fqme=ethusd\.spot\.sim(&|$)/);
    await expect(terminal.legend(60)).toContainText('ethusd.spot.sim');
    await expect(terminal.legend(1)).toContainText('ethusd.spot.sim');
    await expect(terminal.searchResults).toHaveCount(0);
    await snap('chart-ethusd');
  });

  test('ctrl-j / ctrl-k and the arrows move the highlight; Esc closes without loading', async ({ terminal }) => {
    await terminal.open('xbtusd.spot.sim');
    await terminal.waitForCandles('xbtusd.spot.sim');

    // 'usd' matches most sim markets: enough rows to move through.
    await terminal.search('usd');
    await expect.poll(async () => (await terminal.resultFqmes()).length).toBeGreaterThanOrEqual(3);
    const fqmes = await terminal.resultFqmes();
    await expect(terminal.selectedResult).toHaveAttribute('data-fqme', fqmes[0]!);
    await terminal.page.keyboard.press('Control+j');
    await expect(terminal.selectedResult).toHaveAttribute('data-fqme', fqmes[1]!);
    await terminal.page.keyboard.press('ArrowDown');
    await expect(terminal.selectedResult).toHaveAttribute('data-fqme', fqmes[2]!);
    await terminal.page.keyboard.press('Control+k');
    await expect(terminal.selectedResult).toHaveAttribute('data-fqme', fqmes[1]!);
    await terminal.page.keyboard.press('ArrowUp');
    await expect(terminal.selectedResult).toHaveAttribute('data-fqme', fqmes[0]!);

    await terminal.page.keyboard.press('Escape');
    await expect(terminal.searchResults).toHaveCount(0);
    await expect(terminal.searchBox).not.toBeFocused();
    expect(await terminal.chartFqmes()).toEqual(['xbtusd.spot.sim', 'xbtusd.spot.sim']);
    await expect(terminal.page).not.toHaveURL(/fqme=(?!xbtusd)/);
  });

  test('recently loaded symbols come first', async ({ terminal }) => {
    await terminal.open('xbtusd.spot.sim');
    await terminal.waitForCandles('xbtusd.spot.sim');
    await terminal.search('sol');
    await terminal.selectWithKeyboard('solusd.spot.sim');
    await terminal.page.keyboard.press('Enter');
    await terminal.waitForCandles('solusd.spot.sim');

    // An empty query lists recents: the two symbols this session loaded, newest first.
    await terminal.page.keyboard.press('Control+l');
    await expect(terminal.searchBox).toBeFocused();
    await expect.poll(async () => (await terminal.resultFqmes()).slice(0, 2)).toEqual(['solusd.spot.sim', 'xbtusd.spot.sim']);
    await terminal.page.keyboard.press('Escape');
  });
});

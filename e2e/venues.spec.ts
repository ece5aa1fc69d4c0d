import { expect } from './fixtures.js';
import { venueTest as vtest } from './venue-fixtures.js';

/**
 * Real venue adapters against local fake exchanges speaking Binance's, Kraken's and Bybit's protocols: the host
 * is configured with the fakes' URLs (config.toml), exactly as a user points it at a testnet.
 */
vtest('charts a Binance and a Kraken market from their venues', async ({ terminal, snap, venues }) => {
  await terminal.open('btcusdt.spot.binance');
  await terminal.waitForCandles('btcusdt.spot.binance');
  const binance = venues.binance.tape('spot', 'BTCUSDT');
  const bar = await terminal.legendBar(60);
  // The legend shows the venue's prices (the fake's tape), not the sim's.
  const last = binance.trades[binance.trades.length - 1]!.price;
  expect(Math.abs(bar!.close - last) / last).toBeLessThan(0.01);
  await expect(terminal.page.getByTestId('feed-liveness')).toHaveAttribute('data-link', 'live');
  await expect(terminal.page.getByTestId('feed-liveness')).toHaveAttribute('data-liveness', 'live', { timeout: 10_000 });
  await snap('venue-binance');

  await terminal.open('xbtusd.spot.kraken');
  await terminal.waitForCandles('xbtusd.spot.kraken');
  await expect(terminal.page.getByTestId('feed-liveness')).toHaveAttribute('data-link', 'live');
  await expect(terminal.page.getByTestId('feed-liveness')).toHaveAttribute('data-liveness', 'live', { timeout: 10_000 });
  await snap('venue-kraken');
});

vtest('search finds the symbol on every venue', async ({ terminal }) => {
  await terminal.open();
  // A venue still loading its instrument table answers a later search (each waits at most 1.5 s per venue):
  // search again, as a trader would keep typing, until every venue has answered.
  const searchUntil = async (pattern: string, want: RegExp[]) => {
    await expect
      .poll(
        async () => {
          await terminal.page.keyboard.press('Escape');
          await terminal.search(pattern);
          await terminal.page.waitForTimeout(500);
          const got = (await terminal.resultFqmes()).join(' ');
          return want.every((w) => w.test(got));
        },
        { timeout: 20_000, message: `results for ${pattern} from every venue` },
      )
      .toBe(true);
  };
  await searchUntil('btcusdt', [/btcusdt\.spot\.binance/, /btcusdt\.spot\.bybit/, /btcusdt\.usdtm\.perp\.binance/]);
  await searchUntil('xbtusd', [/xbtusd\.spot\.kraken/, /xbtusd\.spot\.sim/]);
});

vtest("the status bar says what Kraken's engine takes while it is not online", async ({ terminal, snap, venues }) => {
  await terminal.open('xbtusd.spot.kraken');
  await terminal.waitForCandles('xbtusd.spot.kraken');
  const engine = terminal.page.getByTestId('venue-engine');
  await expect(terminal.page.getByTestId('feed-liveness')).toHaveAttribute('data-link', 'live');
  // Online is the normal case: nothing to say.
  await expect(engine).toHaveCount(0);
  venues.kraken.setEngineStatus('cancel_only');
  await expect(engine).toHaveText('kraken: cancel_only');
  await expect(engine).toHaveAttribute('title', /takes only cancels/);
  await snap('venue-kraken-cancel-only');
  venues.kraken.setEngineStatus('maintenance');
  await expect(engine).toHaveText('kraken: maintenance');
  venues.kraken.setEngineStatus('online');
  await expect(engine).toHaveCount(0);
});

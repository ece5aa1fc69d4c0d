import { test } from './fixtures.js';
import { startFakeVenues, type FakeVenues } from '../test/fakes/venues.js';

/**
 * The terminal fixtures with local fake Binance, Kraken and Bybit exchanges running, and the host configured with
 * their URLs (config.toml), exactly as a user points it at a testnet.
 */
export const venueTest = test.extend<{ venues: FakeVenues }>({
  // Playwright reads fixture dependencies from this pattern: an empty one means "depends on nothing".
  // eslint-disable-next-line no-empty-pattern
  venues: async ({}, use) => {
    const venues = await startFakeVenues({ rate: 10, historyMinutes: 120 });
    await use(venues);
    await venues.close();
  },
  hostConfig: async ({ venues }, use) => {
    await use(venues.configToml());
  },
});

/**
 * `npm run fakes -- --data-dir D`: starts the fake Binance, Kraken and Bybit servers on loopback and writes their
 * URLs into D/config.toml (keeping what else is there), so `npm run serve -- --data-dir D` charts them offline.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'smol-toml';
import { startFakeVenues } from './venues.js';

const i = process.argv.indexOf('--data-dir');
const dir = i > 0 ? process.argv[i + 1] : undefined;
if (!dir) {
  console.error('usage: npm run fakes -- --data-dir <dir>');
  process.exit(2);
}
mkdirSync(dir, { recursive: true });
const venues = await startFakeVenues();
const file = join(dir, 'config.toml');
const current = existsSync(file) ? (parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
writeFileSync(file, stringify({ ...current, ...(parse(venues.configToml()) as Record<string, unknown>) }));
console.log(`fake venues up; ${file} points binance, kraken and bybit at them. Ctrl-C to stop.`);
const stop = () => void venues.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

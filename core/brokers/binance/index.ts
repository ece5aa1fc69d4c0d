/** The Binance backend: datad (spot + USD-M market data). */
export { BinanceBackend, type BinanceBackendOptions } from './backend.js';

import { isDecimal, mulDec, quantize } from '../../protocol/decimal.js';

/**
 * Fees as rates of notional, exact decimals: a maker fill rested in the book, a taker fill crossed on arrival.
 * A negative maker rate is a rebate.
 */
export interface FeeModel {
  maker: string;
  taker: string;
}

export const NO_FEES: FeeModel = { maker: '0', taker: '0' };

export function checkFeeModel(f: FeeModel): FeeModel {
  for (const k of ['maker', 'taker'] as const) {
    if (!isDecimal(f[k])) throw new Error(`fee model: ${k} rate must be a decimal string, got ${JSON.stringify(f[k])}`);
  }
  return f;
}

/** rate x price x size, rounded (half away from zero) to the settlement asset's smallest unit. */
export function feeFor(model: FeeModel, liquidity: 'maker' | 'taker', price: string, size: string, txTick: string): string {
  const rate = model[liquidity];
  if (rate === '0') return '0';
  return quantize(mulDec(mulDec(price, size), rate), txTick);
}

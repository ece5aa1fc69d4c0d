import { describe, expect, it } from 'vitest';
import { avgPrice, money, orderLabel, pnlPercent, signed, signedMoney, unrealizedPnl } from './order-format.js';

describe('order line labels and PnL', () => {
  it('money groups thousands and rounds exactly', () => {
    expect(money('1234567.891')).toBe('1,234,567.89');
    expect(money('1250')).toBe('1,250.00');
    expect(money('0.005')).toBe('0.01');
    expect(money('-9999.999')).toBe('-10,000.00');
  });

  it('labels carry account, size, notional and slots; alerts their level', () => {
    expect(orderLabel({ action: 'buy', account: 'paper', size: '0.025', price: '50000' })).toBe('paper: 0.025u ~ $1,250.00');
    expect(orderLabel({ action: 'sell', account: 'live', size: '1157', price: '1.08' }, '1')).toBe('live: 1157u ~ $1,249.56 1x');
    expect(orderLabel({ action: 'alert', account: 'paper', size: '0', price: '50123.5' })).toBe('alert => 50123.5');
  });

  it('unrealized PnL long and short', () => {
    expect(unrealizedPnl('0.05', '50000', '50100.5')).toBe('5.025');
    expect(unrealizedPnl('-0.05', '50000', '50100.5')).toBe('-5.025');
    expect(pnlPercent('0.05', '50000', '50500')).toBe('1');
    expect(pnlPercent('-0.05', '50000', '50500')).toBe('-1');
    expect(pnlPercent('0', '0', '1')).toBeNull();
    expect(signed('5.1')).toBe('+5.1');
    expect(signed('-1')).toBe('-1');
    expect(signedMoney('5.025')).toBe('+5.03');
    expect(signedMoney('-1234.5')).toBe('-1,234.50');
    expect(signedMoney('0.001')).toBe('0.00');
    expect(avgPrice('27182.130718954248366013', '0.5')).toBe('27182.131');
    expect(avgPrice('1.08', '0.00001')).toBe('1.08');
    expect(avgPrice('0.000123456789', null)).toBe('0.00012346');
  });
});

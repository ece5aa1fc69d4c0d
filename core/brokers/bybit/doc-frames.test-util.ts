/**
 * Bybit's documented sample frames (exchange-protocols.md §Y1-Y4), as strict JSON: the docs' `// optional`
 * comments and `...` placeholders removed, values unchanged. Parser tests, the fake server's frame shapes and the
 * parser fuzz test start from these.
 */
export const DOC_TRADE_LINEAR = JSON.stringify({
  topic: 'publicTrade.BTCUSDT',
  type: 'snapshot',
  ts: 1672304486868,
  data: [
    {
      T: 1672304486865,
      s: 'BTCUSDT',
      S: 'Buy',
      v: '0.001',
      p: '16578.50',
      L: 'PlusTick',
      i: '20f43950-d8dd-5b31-9112-a178eb6023af',
      BT: false,
      seq: 1783284617,
    },
  ],
});

export const DOC_TICKER_LINEAR = JSON.stringify({
  topic: 'tickers.BTCUSDT',
  type: 'snapshot',
  data: {
    symbol: 'BTCUSDT',
    tickDirection: 'MinusTick',
    price24hPcnt: '-0.158315',
    lastPrice: '66666.60',
    prevPrice24h: '79206.20',
    highPrice24h: '79266.30',
    lowPrice24h: '65076.90',
    prevPrice1h: '66666.60',
    markPrice: '66666.60',
    indexPrice: '115418.19',
    openInterest: '492373.72',
    openInterestValue: '32824881841.75',
    turnover24h: '4936790807.6521',
    volume24h: '73191.3870',
    fundingIntervalHour: '8',
    fundingCap: '0.005',
    nextFundingTime: '1760342400000',
    fundingRate: '-0.005',
    bid1Price: '66666.60',
    bid1Size: '23789.165',
    ask1Price: '66666.70',
    ask1Size: '23775.469',
    preOpenPrice: '',
    preQty: '',
    curPreListingPhase: '',
  },
  cs: 9532239429,
  ts: 1760325052630,
});

/** Spot tickers carry no bid/ask (which is why spot L1 comes from orderbook.1). */
export const DOC_TICKER_SPOT = JSON.stringify({
  topic: 'tickers.BTCUSDT',
  ts: 1673853746003,
  type: 'snapshot',
  cs: 2588407389,
  data: {
    symbol: 'BTCUSDT',
    lastPrice: '21109.77',
    highPrice24h: '21426.99',
    lowPrice24h: '20575',
    prevPrice24h: '20704.93',
    volume24h: '6780.866843',
    turnover24h: '141946527.22907118',
    price24hPcnt: '0.0196',
    usdIndexPrice: '21120.2400136',
  },
});

/** The documented orderbook snapshot, cut to level 1 (its `...` placeholders removed); spot puts `ts` before `type`. */
export const DOC_BOOK1 = JSON.stringify({
  topic: 'orderbook.1.BTCUSDT',
  ts: 1672304484978,
  type: 'snapshot',
  data: { s: 'BTCUSDT', b: [['16493.50', '0.006']], a: [['16611.00', '0.029']], u: 18521288, seq: 7961638724 },
  cts: 1672304484976,
});

export const DOC_SUB_ACK_SPOT = '{"success":true,"ret_msg":"subscribe","conn_id":"2324d924-aa4d-45b0-a858-7b8be29ab52b","req_id":"10001","op":"subscribe"}';
export const DOC_SUB_ACK_LINEAR = '{"success":true,"ret_msg":"","conn_id":"3cd84cb1-4d06-4a05-930a-2efe5fc70f0f","req_id":"","op":"subscribe"}';
export const DOC_PONG_SPOT = '{"success":true,"ret_msg":"pong","conn_id":"0970e817-426e-429a-a679-ff7f55e0b16a","op":"ping"}';
export const DOC_PONG_LINEAR = '{"success":true,"ret_msg":"pong","conn_id":"465772b1-7630-4fdc-a492-e003e6f0f260","req_id":"","op":"ping"}';
/** The two failed-subscribe forms third parties recorded (not in Bybit's docs). */
export const DOC_SUB_FAIL_HANDLER = '{"success":false,"ret_msg":"error:handler not found,topic:tickers.NOPEUSDT","conn_id":"c1","req_id":"","op":"subscribe"}';
export const DOC_SUB_FAIL_INVALID = '{"success":false,"ret_msg":"Invalid symbol :[orderbook.50.X]","conn_id":"c2","op":"subscribe"}';

/** A spot trade frame shaped like the documented one (spot has no `L`; its ids are long digit strings). */
export const SPOT_TRADE = JSON.stringify({
  topic: 'publicTrade.BTCUSDT',
  type: 'snapshot',
  ts: 1672304486868,
  data: [
    { i: '2290000000061666327', T: 1672304486865, p: '16578.50', v: '0.001', S: 'Buy', s: 'BTCUSDT', BT: false, seq: 1783284617 },
    { i: '2290000000061666328', T: 1672304486866, p: '16578.60', v: '0.25', S: 'Sell', s: 'BTCUSDT', BT: false, seq: 1783284617 },
  ],
});

export const DOC_FRAMES = {
  spot: [DOC_BOOK1, DOC_TICKER_SPOT, SPOT_TRADE, DOC_SUB_ACK_SPOT, DOC_PONG_SPOT, DOC_SUB_FAIL_INVALID],
  linear: [DOC_TRADE_LINEAR, DOC_TICKER_LINEAR, DOC_SUB_ACK_LINEAR, DOC_PONG_LINEAR, DOC_SUB_FAIL_HANDLER],
};

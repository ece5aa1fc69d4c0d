import type { IndicatorKind, IndicatorParams } from '../../../core/indicators/registry.js';
import type { BarRows } from '../../../core/protocol/frames.js';

/**
 * Messages between the page and the indicator worker (indicators.worker.ts). A "series" is one chart pane's bars
 * (a symbol in a timeframe) as the page's BarStore holds them, addressed by the host's absolute row indices; the
 * worker keeps its own copy of those rows and the state of each indicator on them.
 */

/** Rows [start, start + rows.time.length) of a series. `replace`: the page's store was replaced (new epoch). */
export interface RowsMsg {
  type: 'rows';
  series: number;
  /** Bumped by the page each time its store's content is replaced; results carry the epoch they were computed on. */
  epoch: number;
  replace: boolean;
  start: number;
  rows: BarRows;
}

/** Adds an indicator to a series or changes its parameters (a new `rev`: values computed before it are stale). */
export interface SetMsg {
  type: 'set';
  series: number;
  id: string;
  rev: number;
  kind: IndicatorKind;
  params: IndicatorParams;
}

export interface RemoveMsg {
  type: 'remove';
  series: number;
  id: string;
}

/** Forgets a series: its rows and indicators. */
export interface DropMsg {
  type: 'drop';
  series: number;
}

export type ToWorker = RowsMsg | SetMsg | RemoveMsg | DropMsg;

/** New values of one indicator: indices [from, from + values.length); `full` replaces all it had. */
export interface ValuesOut {
  id: string;
  rev: number;
  full: boolean;
  from: number;
  values: Float64Array;
}

export interface ValuesMsg {
  type: 'values';
  series: number;
  epoch: number;
  /** The series' rows the values were computed on: [lo, hi). */
  lo: number;
  hi: number;
  out: ValuesOut[];
  /** Time spent computing them in the worker (µs). */
  computeUs: number;
}

export interface ErrorMsg {
  type: 'error';
  message: string;
}

export type FromWorker = ValuesMsg | ErrorMsg;

import { EmaKernel, RsiKernel, SmaKernel, VolumeKernel, VwapKernel, MAX_PERIOD, VWAP_ANCHORS, type Kernel, type VwapAnchor } from './kernels.js';

/**
 * The indicators a chart can show: kind, parameters (with defaults and bounds), where they draw, and the kernel that
 * computes them. The layout stores an indicator as {id, kind, params} (core/protocol/layout.ts IndicatorSpec);
 * `normalizeParams` turns whatever was stored into parameters this kind accepts, so a hand-edited or older layout
 * never breaks a chart.
 */
export type IndicatorKind = 'volume' | 'vwap' | 'sma' | 'ema' | 'rsi';

export type ParamValue = number | string | boolean;
export type IndicatorParams = Record<string, ParamValue>;

export interface NumberParam {
  name: string;
  label: string;
  type: 'int';
  default: number;
  min: number;
  max: number;
}

export interface ChoiceParam {
  name: string;
  label: string;
  type: 'choice';
  default: string;
  choices: readonly string[];
}

export type ParamDef = NumberParam | ChoiceParam;

export interface IndicatorDef {
  kind: IndicatorKind;
  /** Short name for menus and legends, e.g. "SMA". */
  name: string;
  /** 'price': drawn over the candles on the price scale; 'pane': a pane of its own below the price pane. */
  placement: 'price' | 'pane';
  params: readonly ParamDef[];
  /** Fixed scale of a pane (RSI: 0-100), with guide lines. */
  range?: { min: number; max: number; guides: readonly number[] };
  /** Whether its values are prices (formatted like the chart's prices) or something else (volume, RSI). */
  valueIsPrice: boolean;
  kernel(params: IndicatorParams): Kernel;
}

const period = (def: number): NumberParam => ({ name: 'period', label: 'period', type: 'int', default: def, min: 1, max: MAX_PERIOD });

export const INDICATORS: Readonly<Record<IndicatorKind, IndicatorDef>> = {
  volume: { kind: 'volume', name: 'Volume', placement: 'pane', params: [], valueIsPrice: false, kernel: () => new VolumeKernel() },
  vwap: {
    kind: 'vwap',
    name: 'VWAP',
    placement: 'price',
    params: [{ name: 'anchor', label: 'session', type: 'choice', default: 'day', choices: VWAP_ANCHORS }],
    valueIsPrice: true,
    kernel: (p) => new VwapKernel(p.anchor as VwapAnchor),
  },
  sma: { kind: 'sma', name: 'SMA', placement: 'price', params: [period(20)], valueIsPrice: true, kernel: (p) => new SmaKernel(p.period as number) },
  ema: { kind: 'ema', name: 'EMA', placement: 'price', params: [period(20)], valueIsPrice: true, kernel: (p) => new EmaKernel(p.period as number) },
  rsi: {
    kind: 'rsi',
    name: 'RSI',
    placement: 'pane',
    params: [period(14)],
    range: { min: 0, max: 100, guides: [30, 70] },
    valueIsPrice: false,
    kernel: (p) => new RsiKernel(p.period as number),
  },
};

export const INDICATOR_KINDS = Object.keys(INDICATORS) as IndicatorKind[];

export function isIndicatorKind(k: string): k is IndicatorKind {
  return Object.prototype.hasOwnProperty.call(INDICATORS, k);
}

/** This kind's parameters from `raw`: known names only, numbers clamped and rounded, unknown choices defaulted. */
export function normalizeParams(kind: IndicatorKind, raw: Readonly<Record<string, unknown>> = {}): IndicatorParams {
  const out: IndicatorParams = {};
  for (const p of INDICATORS[kind].params) {
    const v = raw[p.name];
    if (p.type === 'int') {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      out[p.name] = Number.isFinite(n) ? Math.min(p.max, Math.max(p.min, Math.round(n))) : p.default;
    } else {
      out[p.name] = typeof v === 'string' && p.choices.includes(v) ? v : p.default;
    }
  }
  return out;
}

/** The kernel of an indicator (parameters normalized first). */
export function kernelOf(kind: IndicatorKind, params: Readonly<Record<string, unknown>>): Kernel {
  return INDICATORS[kind].kernel(normalizeParams(kind, params));
}

/** "SMA 20", "RSI 14", "VWAP day", "Volume": the legend label. */
export function indicatorLabel(kind: IndicatorKind, params: Readonly<Record<string, unknown>>): string {
  const p = normalizeParams(kind, params);
  const def = INDICATORS[kind];
  const args = def.params.map((d) => String(p[d.name]));
  return args.length ? `${def.name} ${args.join(' ')}` : def.name;
}

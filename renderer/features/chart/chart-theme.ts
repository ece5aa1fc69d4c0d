import { ColorType, CrosshairMode, LineStyle, TickMarkType, type ChartOptions, type DeepPartial, type Time } from 'lightweight-charts';
import { formatDateTime, formatTick } from '../../lib/format.js';

/** Colours shared by the canvas (here) and the DOM (styles.css uses the same values). */
export const COLORS = {
  bg: '#0b0e13',
  grid: '#131821',
  border: '#1f2632',
  text: '#8790a2',
  crosshair: '#5d6880',
  crosshairLabel: '#252d3b',
  up: '#22ab94',
  down: '#f23645',
  upVolume: 'rgba(34, 171, 148, 0.45)',
  downVolume: 'rgba(242, 54, 69, 0.45)',
} as const;

/** Bars of empty space right of the newest bar, so the last candle is not glued to the price axis. */
export const RIGHT_OFFSET = 6;

const seconds = (t: Time) => t as number;

export function chartOptions(timeframe: number): DeepPartial<ChartOptions> {
  const withSeconds = timeframe < 60;
  return {
    autoSize: true,
    layout: {
      background: { type: ColorType.Solid, color: COLORS.bg },
      textColor: COLORS.text,
      fontSize: 11,
      fontFamily: "'JetBrains Mono', 'DejaVu Sans Mono', Menlo, Consolas, monospace",
    },
    grid: {
      vertLines: { color: COLORS.grid },
      horzLines: { color: COLORS.grid },
    },
    crosshair: {
      mode: CrosshairMode.Normal,
      vertLine: { color: COLORS.crosshair, style: LineStyle.Dashed, labelBackgroundColor: COLORS.crosshairLabel },
      horzLine: { color: COLORS.crosshair, style: LineStyle.Dashed, labelBackgroundColor: COLORS.crosshairLabel },
    },
    rightPriceScale: {
      borderColor: COLORS.border,
      // Keep the bottom fifth for the volume histogram that shares this pane.
      scaleMargins: { top: 0.08, bottom: 0.22 },
    },
    timeScale: {
      borderColor: COLORS.border,
      timeVisible: true,
      secondsVisible: withSeconds,
      rightOffset: RIGHT_OFFSET,
      // Local wall-clock labels (lightweight-charts itself only knows UTC).
      tickMarkFormatter: (time: Time, type: TickMarkType) => formatTick(seconds(time), tickKind(type)),
    },
    localization: {
      timeFormatter: (time: Time) => formatDateTime(seconds(time), withSeconds),
    },
  };
}

function tickKind(type: TickMarkType): 'year' | 'month' | 'day' | 'time' | 'seconds' {
  switch (type) {
    case TickMarkType.Year:
      return 'year';
    case TickMarkType.Month:
      return 'month';
    case TickMarkType.DayOfMonth:
      return 'day';
    case TickMarkType.Time:
      return 'time';
    default:
      return 'seconds';
  }
}

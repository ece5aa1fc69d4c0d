import type { ChartSpec } from '../../../core/protocol/layout.js';
import { TIMEFRAMES } from '../../../core/protocol/types.js';
import { layoutActions } from '../../stores/layout.js';
import { IndicatorButton } from '../indicators/IndicatorMenu.js';
import { popOutChart, canPopOut } from '../layout/pop-out.js';
import { useSearchIntent } from '../search/search-intent.js';
import { OVERLAY_COLORS } from './overlay-series.js';
import { TF_LABEL } from './ChartPane.js';

interface Props {
  chart: ChartSpec;
  /** The chart's symbol, normalized when it parses. */
  fqme: string;
  closable: boolean;
  overlayErrors: Record<string, string | null>;
}

/**
 * A chart's strip: its symbol, which timeframes it shows, the symbols overlaid on it, and the layout actions
 * (split side by side or stacked, a window of its own under Electron, close).
 */
export function ChartToolbar({ chart, fqme, closable, overlayErrors }: Props) {
  const id = chart.id;
  return (
    <div className="chart-toolbar" data-testid="chart-toolbar">
      <span className="sym" data-testid="chart-symbol" title={fqme}>
        {fqme}
      </span>
      <span className="tfs">
        {[...TIMEFRAMES]
          .sort((a, b) => b - a)
          .map((tf) => {
            const on = chart.timeframes.includes(tf);
            return (
              <button
                key={tf}
                type="button"
                className={on ? 'tb on' : 'tb'}
                data-testid="tf-toggle"
                data-timeframe={tf}
                aria-pressed={on}
                title={on ? `hide the ${TF_LABEL[tf]} chart` : `show the ${TF_LABEL[tf]} chart`}
                disabled={on && chart.timeframes.length === 1}
                onClick={() => layoutActions.toggleTimeframe(id, tf)}
              >
                {TF_LABEL[tf]}
              </button>
            );
          })}
      </span>
      {chart.overlays.map((o, i) => {
        const err = overlayErrors[o] ?? null;
        return (
          <span key={o} className={err ? 'overlay-chip error' : 'overlay-chip'} data-testid="overlay" data-fqme={o} title={err ?? `${o} as log return from the first visible bar`}>
            <span className="swatch" style={{ background: OVERLAY_COLORS[i % OVERLAY_COLORS.length] }} />
            {o.split('.')[0]}
            <button type="button" className="x" data-testid="overlay-remove" title={`remove ${o}`} onClick={() => layoutActions.removeOverlay(id, o)}>
              ×
            </button>
          </span>
        );
      })}
      <button type="button" className="tb" data-testid="overlay-add" title="overlay another symbol (log-returns scale)" onClick={() => useSearchIntent.getState().request('overlay')}>
        + overlay
      </button>
      <IndicatorButton chart={chart} />
      <span className="spacer" />
      <button type="button" className="tb icon" data-testid="chart-split-row" title="split: a chart beside this one" onClick={() => layoutActions.split(id, 'row')}>
        ◫
      </button>
      <button type="button" className="tb icon" data-testid="chart-split-column" title="split: a chart below this one" onClick={() => layoutActions.split(id, 'column')}>
        ⊟
      </button>
      {closable && canPopOut() && (
        <button type="button" className="tb icon" data-testid="chart-popout" title="open in a new window" onClick={() => void popOutChart(id)}>
          ⧉
        </button>
      )}
      {closable && (
        <button type="button" className="tb icon" data-testid="chart-close" title="close this chart" onClick={() => layoutActions.closeChart(id)}>
          ×
        </button>
      )}
    </div>
  );
}

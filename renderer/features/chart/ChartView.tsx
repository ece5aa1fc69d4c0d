import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { ChartSpec } from '../../../core/protocol/layout.js';
import type { Timeframe } from '../../../core/protocol/types.js';
import { parseSymbol } from '../../lib/layout-model.js';
import { streamKey, useCharts } from '../../stores/charts.js';
import { layoutActions } from '../../stores/layout.js';
import { useSession } from '../../stores/session.js';
import type { ChartController } from './chart-controller.js';
import { ChartPane, type ChartRole } from './ChartPane.js';
import { editable } from '../indicators/q-key.js';
import { ChartToolbar } from './ChartToolbar.js';
import { useMktInfo } from './useMktInfo.js';

interface Props {
  chart: ChartSpec;
  /** The window's focused chart: search, order pane and status bar act on it. */
  focused: boolean;
  /** Its tab is the active one (hidden charts draw nothing until shown). */
  visible: boolean;
  /** More than one chart in the tab: show which one has the focus. */
  split: boolean;
  /** Whether it may be closed, and moved to a window of its own. */
  closable: boolean;
}

const ROLE: Record<Timeframe, ChartRole> = { 60: 'slow', 1: 'fast' };

/**
 * One chart of the layout: a symbol in its timeframes. With both, the slow 1 m chart on top shades the span the fast
 * 1 s chart below is showing, and their crosshairs follow each other. One error banner for the chart, so a bad symbol
 * says why instead of drawing nothing. A pointer press anywhere in it focuses it.
 */
export function ChartView({ chart, focused, visible, split, closable }: Props) {
  const launch = useSession((s) => s.launch);
  const { fqme, error: fqmeError } = parseSymbol(chart.fqme);
  const runtime = useCharts((s) => s.byId[chart.id]);
  const [ctl, setCtl] = useState<Partial<Record<ChartRole, ChartController>>>({});
  useMktInfo(chart.id, fqme, fqmeError);

  const onController = useCallback((role: ChartRole, c: ChartController | null) => {
    setCtl((prev) => ({ ...prev, [role]: c ?? undefined }));
  }, []);

  useEffect(() => {
    const { slow, fast } = ctl;
    if (!slow || !fast) return;
    const offs = [
      fast.onVisibleTimeSpan((span) => slow.setBand(span)),
      // Crosshairs follow each other: the minute bar holding the hovered second, or the minute's first second.
      fast.onHoverTime((t) => slow.showCrosshairAt(t)),
      slow.onHoverTime((t) => fast.showCrosshairAt(t)),
    ];
    return () => {
      for (const off of offs) off();
      slow.setBand(null);
    };
  }, [ctl]);

  // Home / End on the focused chart: to the first bar of the whole history, or back to the newest (and following it).
  useEffect(() => {
    if (!focused) return;
    const onKey = (e: KeyboardEvent) => {
      if ((e.key !== 'Home' && e.key !== 'End') || e.ctrlKey || e.altKey || e.metaKey || e.shiftKey || editable(e.target)) return;
      e.preventDefault();
      for (const c of [ctl.slow, ctl.fast]) {
        if (!c) continue;
        if (e.key === 'Home') c.scrollToOldest();
        else c.scrollToNewest();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [focused, ctl]);

  useEffect(() => () => useCharts.getState().reset(chart.id), [chart.id]);

  const errors = [fqmeError, ...chart.timeframes.map((tf) => runtime?.streamErrors[streamKey(fqme, tf)]), runtime?.mktFqme === fqme ? runtime.mktError : null];
  const messages = [...new Set(errors.filter((e): e is string => !!e))];
  let banner: ReactNode = null;
  if (messages.length > 0) {
    banner = (
      <div className="chart-error" data-testid="chart-error" role="alert">
        {messages.map((m) => (
          <div key={m}>{m}</div>
        ))}
      </div>
    );
  }
  return (
    <section
      className={`charts chart-view${focused && split ? ' focused' : ''}`}
      data-testid="chart-view"
      data-chart-id={chart.id}
      data-fqme={fqme}
      data-focused={focused}
      onPointerDownCapture={() => layoutActions.focus(chart.id)}
    >
      <ChartToolbar chart={chart} fqme={fqme} closable={closable} overlayErrors={runtime?.overlayErrors ?? {}} />
      <div className="chart-stack">
        {banner}
        {chart.timeframes.map((tf) => (
          <ChartPane
            key={tf}
            chartId={chart.id}
            role={ROLE[tf]}
            timeframe={tf}
            count={tf === 60 ? launch.slowCount : launch.fastCount}
            fqme={fqme}
            fqmeError={fqmeError}
            overlays={chart.overlays}
            indicators={chart.indicators}
            active={visible}
            onController={onController}
          />
        ))}
      </div>
    </section>
  );
}

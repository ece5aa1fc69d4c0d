import { useCallback, useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useSession } from '../../stores/session.js';
import type { ChartController } from './chart-controller.js';
import { ChartPane, type ChartRole } from './ChartPane.js';
import { useMktInfo } from './useMktInfo.js';

/**
 * The loaded symbol as two linked charts: the slow 1 m chart on top shades the span the fast 1 s chart
 * below is showing. One error banner for the pair, so a bad symbol says why instead of drawing nothing.
 */
export function ChartsArea() {
  const launch = useSession((s) => s.launch);
  const errors = useSession(useShallow((s) => [s.fqmeError, s.streamErrors[60], s.streamErrors[1], s.mktError]));
  const [ctl, setCtl] = useState<Partial<Record<ChartRole, ChartController>>>({});
  useMktInfo();

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

  const messages = [...new Set(errors.filter((e): e is string => !!e))];
  return (
    <section className="charts">
      {messages.length > 0 && (
        <div className="chart-error" data-testid="chart-error" role="alert">
          {messages.map((m) => (
            <div key={m}>{m}</div>
          ))}
        </div>
      )}
      <ChartPane role="slow" timeframe={60} count={launch.slowCount} onController={onController} />
      <ChartPane role="fast" timeframe={1} count={launch.fastCount} onController={onController} />
    </section>
  );
}

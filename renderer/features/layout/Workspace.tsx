import { useRef, type CSSProperties, type PointerEvent as ReactPointerEvent } from 'react';
import { chartsOf, type TabLayout } from '../../../core/protocol/layout.js';
import { dragDivider, paneRects, type Divider, type FracRect } from '../../lib/layout-model.js';
import { layoutActions, useLayout } from '../../stores/layout.js';
import { ChartView } from '../chart/ChartView.js';
import { TabBar } from './TabBar.js';

const pct = (r: FracRect): CSSProperties => ({ left: `${r.x * 100}%`, top: `${r.y * 100}%`, width: `${r.w * 100}%`, height: `${r.h * 100}%` });

/**
 * The window's charts: a tab bar, and the active tab's charts laid out by its split tree. Each tab's charts are
 * placed flat (absolutely, by the tree's geometry), so a split or a close moves charts without re-creating them.
 * A tab stays mounted once shown, hidden while another is active: its charts pause (draw nothing) and catch up
 * when it is shown again, with their zoom and scroll as they were. Tabs never shown are not mounted at all.
 */
export function Workspace() {
  const restored = useLayout((s) => s.restored);
  const win = useLayout((s) => s.win);
  const shown = useRef(new Set<string>());
  shown.current.add(win.active);
  const windowCharts = win.tabs.reduce((n, t) => n + chartsOf(t.root).length, 0);

  return (
    <section className="workspace-charts">
      <TabBar win={win} />
      <div className="tab-bodies">
        {restored &&
          win.tabs
            .filter((t) => shown.current.has(t.id))
            .map((t) => <TabBody key={t.id} tab={t} visible={t.id === win.active} windowCharts={windowCharts} />)}
      </div>
    </section>
  );
}

function TabBody({ tab, visible, windowCharts }: { tab: TabLayout; visible: boolean; windowCharts: number }) {
  const ref = useRef<HTMLDivElement>(null);
  const { charts, dividers } = paneRects(tab.root);
  return (
    <div ref={ref} className={visible ? 'tab-body' : 'tab-body hidden'} data-testid="tab-body" data-tab-id={tab.id} aria-hidden={!visible}>
      {charts.map(({ chart, rect }) => (
        <div key={chart.id} className="pane-cell" style={pct(rect)}>
          <ChartView chart={chart} focused={visible && tab.focus === chart.id} visible={visible} split={charts.length > 1} closable={windowCharts > 1} />
        </div>
      ))}
      {dividers.map((d) => (
        <DividerHandle key={`${d.path.join('.')}:${d.index}`} tab={tab} d={d} body={ref} />
      ))}
    </div>
  );
}

/** A draggable boundary between two panes of a split. */
function DividerHandle({ tab, d, body }: { tab: TabLayout; d: Divider; body: React.RefObject<HTMLDivElement | null> }) {
  const onDown = (e: ReactPointerEvent<HTMLDivElement>) => {
    const el = body.current;
    if (!el || e.button !== 0) return;
    e.preventDefault();
    const handle = e.currentTarget;
    handle.setPointerCapture(e.pointerId);
    let frame = 0;
    const move = (ev: PointerEvent) => {
      const box = el.getBoundingClientRect();
      const pos = d.dir === 'row' ? (ev.clientX - box.left) / box.width : (ev.clientY - box.top) / box.height;
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => layoutActions.resize(tab.id, d.path, dragDivider(d, pos)));
    };
    const up = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
      handle.removeEventListener('pointercancel', up);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
    handle.addEventListener('pointercancel', up);
  };
  return <div className={`pane-divider ${d.dir}`} data-testid="pane-divider" style={pct(d.at)} onPointerDown={onDown} />;
}

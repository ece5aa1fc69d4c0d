import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { INDICATOR_KINDS, INDICATORS, indicatorLabel, isIndicatorKind, normalizeParams, type IndicatorKind, type ParamDef } from '../../../core/indicators/registry.js';
import type { ChartSpec } from '../../../core/protocol/layout.js';
import { indicatorActions } from './indicator-actions.js';

/**
 * A chart's indicators: the toolbar button (`indicator-add`) opens a menu (`indicator-menu`) to add one of each kind
 * with its parameters (`indicator-kind` rows, data-kind), and to change or remove those on the chart
 * (`indicator-item` rows, data-indicator-id; `indicator-remove`). Edits go to the layout, which the host saves.
 */
export function IndicatorButton({ chart }: { chart: ChartSpec }) {
  const [at, setAt] = useState<{ x: number; y: number } | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const toggle = () => {
    if (at) return setAt(null);
    const r = button.current!.getBoundingClientRect();
    setAt({ x: r.left, y: r.bottom + 2 });
  };
  const n = chart.indicators.length;
  return (
    <>
      <button
        ref={button}
        type="button"
        className={n ? 'tb on' : 'tb'}
        data-testid="indicator-add"
        aria-expanded={at !== null}
        title="indicators: add, change, remove"
        onClick={toggle}
      >
        ƒx{n ? ` ${n}` : ''}
      </button>
      {at && createPortal(<IndicatorMenu chart={chart} at={at} onClose={() => setAt(null)} anchor={button} />, document.body)}
    </>
  );
}

interface MenuProps {
  chart: ChartSpec;
  at: { x: number; y: number };
  onClose: () => void;
  anchor: React.RefObject<HTMLButtonElement | null>;
}

function IndicatorMenu({ chart, at, onClose, anchor }: MenuProps) {
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const onDown = (e: PointerEvent) => {
      const t = e.target as Node;
      if (!root.current?.contains(t) && !anchor.current?.contains(t)) onClose();
    };
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('pointerdown', onDown, true);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('pointerdown', onDown, true);
      window.removeEventListener('keydown', onKey);
    };
  }, [onClose, anchor]);
  const left = Math.min(at.x, window.innerWidth - 300);
  return (
    <div ref={root} className="indicator-menu" data-testid="indicator-menu" data-chart-id={chart.id} role="dialog" aria-label="indicators" style={{ left, top: at.y }}>
      <div className="title">add</div>
      {INDICATOR_KINDS.map((kind) => (
        <AddRow key={kind} chartId={chart.id} kind={kind} />
      ))}
      <div className="title">on this chart</div>
      {chart.indicators.length === 0 && <div className="empty">none yet</div>}
      {chart.indicators.map((ind) =>
        isIndicatorKind(ind.kind) ? (
          <div key={ind.id} className="row" data-testid="indicator-item" data-indicator-id={ind.id} data-kind={ind.kind}>
            <span className="name">{indicatorLabel(ind.kind, ind.params)}</span>
            <Params kind={ind.kind} values={ind.params} onChange={(p) => indicatorActions.setParams(chart.id, ind.id, p)} />
            <button type="button" className="tb x" data-testid="indicator-remove" data-indicator-id={ind.id} data-kind={ind.kind} title="remove" onClick={() => indicatorActions.remove(chart.id, ind.id)}>
              ×
            </button>
          </div>
        ) : null,
      )}
    </div>
  );
}

function AddRow({ chartId, kind }: { chartId: string; kind: IndicatorKind }) {
  const [params, setParams] = useState(() => normalizeParams(kind));
  const def = INDICATORS[kind];
  return (
    <div className="row" data-testid="indicator-kind" data-kind={kind}>
      <span className="name">{def.name}</span>
      <Params kind={kind} values={params} onChange={(p) => setParams(normalizeParams(kind, { ...params, ...p }))} />
      <button type="button" className="tb" data-testid="indicator-add-kind" data-kind={kind} title={`add ${def.name} ${def.placement === 'pane' ? 'in its own pane' : 'over the candles'}`} onClick={() => indicatorActions.add(chartId, kind, params)}>
        add
      </button>
    </div>
  );
}

/** Inputs for a kind's parameters; numbers are taken on Enter or when the field is left. */
function Params({ kind, values, onChange }: { kind: IndicatorKind; values: Record<string, unknown>; onChange: (p: Record<string, unknown>) => void }) {
  return (
    <span className="params">
      {INDICATORS[kind].params.map((p) => (
        <Param key={p.name} def={p} value={values[p.name]} onChange={(v) => onChange({ [p.name]: v })} />
      ))}
    </span>
  );
}

function Param({ def, value, onChange }: { def: ParamDef; value: unknown; onChange: (v: unknown) => void }) {
  const [text, setText] = useState(String(value ?? def.default));
  useEffect(() => setText(String(value ?? def.default)), [value, def.default]);
  if (def.type === 'choice') {
    return (
      <select data-testid="indicator-param" data-param={def.name} aria-label={def.label} value={String(value ?? def.default)} onChange={(e) => onChange(e.target.value)}>
        {def.choices.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    );
  }
  return (
    <input
      data-testid="indicator-param"
      data-param={def.name}
      aria-label={def.label}
      title={`${def.label} (${def.min}-${def.max})`}
      type="number"
      min={def.min}
      max={def.max}
      step={1}
      value={text}
      onChange={(e) => setText(e.target.value)}
      onBlur={() => onChange(text)}
      onKeyDown={(e) => e.key === 'Enter' && onChange(text)}
    />
  );
}

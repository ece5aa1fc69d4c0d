import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { moveSelection } from '../../lib/recents.js';
import { layoutActions } from '../../stores/layout.js';
import { useSession } from '../../stores/session.js';
import { useSearchIntent } from './search-intent.js';
import { useSymbolSearch } from './useSymbolSearch.js';

/**
 * The symbol finder: always visible in the top bar; ctrl-l jumps into it from anywhere. ctrl-j/ctrl-k or
 * the arrows move, Enter loads into the focused chart, shift-Enter overlays on it, Esc leaves. Enter on a typed full
 * fqme with no match still loads it, so the host can say what is wrong with it.
 */
export function SymbolSearch() {
  const fqme = useSession((s) => s.fqme);
  const mode = useSearchIntent((s) => s.mode);
  const seq = useSearchIntent((s) => s.seq);
  const inputRef = useRef<HTMLInputElement>(null);
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState(0);
  const { rows, error } = useSymbolSearch(query, open);

  // A new query selects the best result again; a refreshed list for the same query (a later answer) keeps
  // the highlight on the symbol the user moved to, so it does not jump under their keys.
  const rowKey = useMemo(() => rows.map((r) => r.fqme).join(','), [rows]);
  const shown = useRef<{ query: string; fqmes: string[]; selected: number }>({ query, fqmes: [], selected: 0 });
  shown.current.selected = selected;
  useEffect(() => {
    const prev = shown.current;
    const fqmes = rowKey ? rowKey.split(',') : [];
    const kept = prev.query === query ? fqmes.indexOf(prev.fqmes[prev.selected] ?? '') : -1;
    shown.current = { query, fqmes, selected: prev.selected };
    setSelected(kept >= 0 ? kept : fqmes.length > 0 ? 0 : -1);
  }, [rowKey, query]);

  // A button asked for the search (a new tab, "+ overlay"): open it and take the keyboard.
  useEffect(() => {
    if (seq === 0) return;
    setOpen(true);
    inputRef.current?.focus();
    inputRef.current?.select();
  }, [seq]);

  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'l') {
        e.preventDefault();
        setOpen(true);
        inputRef.current?.focus();
        inputRef.current?.select();
      }
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, []);

  const close = () => {
    setOpen(false);
    setQuery('');
    useSearchIntent.getState().done();
    inputRef.current?.blur();
  };

  const load = (target: string, overlay = mode === 'overlay') => {
    if (!target.trim()) return;
    if (overlay) layoutActions.addOverlay(target);
    else useSession.getState().loadSymbol(target);
    close();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const ctrl = e.ctrlKey && !e.altKey && !e.metaKey;
    const key = e.key.toLowerCase();
    let delta = 0;
    if (e.key === 'ArrowDown' || (ctrl && key === 'j')) delta = 1;
    else if (e.key === 'ArrowUp' || (ctrl && key === 'k')) delta = -1;
    if (delta !== 0) {
      e.preventDefault();
      setOpen(true);
      setSelected((s) => moveSelection(s, delta, rows.length));
      return;
    }
    if (e.key === 'Enter') {
      e.preventDefault();
      const row = rows[selected];
      load(row ? row.fqme : query, e.shiftKey || mode === 'overlay');
    } else if (e.key === 'Escape') {
      e.preventDefault();
      close();
    }
  };

  return (
    <div className="search">
      <input
        ref={inputRef}
        className="search-input"
        data-testid="symbol-search"
        type="text"
        spellCheck={false}
        autoComplete="off"
        placeholder={mode === 'overlay' ? `overlay on ${fqme}` : `${fqme}   (ctrl-l)`}
        aria-label="symbol search"
        aria-expanded={open}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => {
          setOpen(false);
          useSearchIntent.getState().done();
        }}
        onKeyDown={onKeyDown}
      />
      {open && (
        <ul className="search-results" role="listbox">
          {rows.map((r, i) => (
            <li
              key={r.fqme}
              role="option"
              aria-selected={i === selected}
              className={i === selected ? 'selected' : undefined}
              data-testid="search-result"
              data-fqme={r.fqme}
              // mousedown, not click: the input's blur would close the list before a click lands.
              onMouseDown={(e) => {
                e.preventDefault();
                load(r.fqme, e.shiftKey || mode === 'overlay');
              }}
              onMouseEnter={() => setSelected(i)}
            >
              <span className="fqme">{r.fqme}</span>
              <span className="desc">{r.description}</span>
              {r.recent && <span className="recent">recent</span>}
            </li>
          ))}
          {rows.length === 0 && <li className="empty">{error ?? (query ? 'no match' : 'type a symbol')}</li>}
        </ul>
      )}
    </div>
  );
}

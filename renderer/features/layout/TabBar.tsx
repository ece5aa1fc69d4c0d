import { chartsOf, type TabLayout, type WindowLayout } from '../../../core/protocol/layout.js';
import { focusedChart } from '../../lib/layout-model.js';
import { layoutActions } from '../../stores/layout.js';
import { useSearchIntent } from '../search/search-intent.js';

/** A tab's label: its title, else the symbols of its charts. */
function label(tab: TabLayout): string {
  if (tab.title) return tab.title;
  const syms = [...new Set(chartsOf(tab.root).map((c) => c.fqme.split('.')[0]))];
  return syms.length > 2 ? `${syms.slice(0, 2).join(' · ')} +${syms.length - 2}` : syms.join(' · ');
}

/**
 * The window's tabs: click to show one (its charts resume), × to close it (not the last), + for a new tab on the
 * focused chart's symbol, with the search open to load another.
 */
export function TabBar({ win }: { win: WindowLayout }) {
  return (
    <nav className="tab-bar" role="tablist" aria-label="chart tabs">
      {win.tabs.map((t) => {
        const active = t.id === win.active;
        return (
          <div
            key={t.id}
            role="tab"
            aria-selected={active}
            className={active ? 'tab active' : 'tab'}
            data-testid="layout-tab"
            data-tab-id={t.id}
            title={chartsOf(t.root)
              .map((c) => c.fqme)
              .join(', ')}
            onMouseDown={(e) => e.button === 0 && layoutActions.activateTab(t.id)}
            onAuxClick={(e) => e.button === 1 && win.tabs.length > 1 && layoutActions.closeTab(t.id)}
          >
            <span className="tab-label">{label(t)}</span>
            {win.tabs.length > 1 && (
              <button
                type="button"
                className="tab-close"
                data-testid="tab-close"
                title="close tab"
                onMouseDown={(e) => e.stopPropagation()}
                onClick={() => layoutActions.closeTab(t.id)}
              >
                ×
              </button>
            )}
          </div>
        );
      })}
      <button
        type="button"
        className="tab-new"
        data-testid="tab-new"
        title={`new tab (${focusedChart(win).fqme}); type to load another symbol`}
        onClick={() => {
          layoutActions.newTab();
          useSearchIntent.getState().request('load');
        }}
      >
        +
      </button>
    </nav>
  );
}

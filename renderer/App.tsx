import { useLayoutSync } from './features/layout/useLayoutSync.js';
import { Workspace } from './features/layout/Workspace.js';
import { OrderMenu } from './features/orders/OrderMenu.js';
import { OrderPane } from './features/orders/OrderPane.js';
import { OrderToasts } from './features/orders/OrderToasts.js';
import { useOrdersFeed } from './features/orders/useOrdersFeed.js';
import { SymbolSearch } from './features/search/SymbolSearch.js';
import { ServicesPanel } from './features/services/ServicesPanel.js';
import { useServicesFeed } from './features/services/useServicesFeed.js';
import { StatusBar } from './features/statusbar/StatusBar.js';
import { useDocumentTitle } from './features/statusbar/useDocumentTitle.js';
import { useQuoteFeed } from './features/statusbar/useQuoteFeed.js';
import { useSession } from './stores/session.js';

function SymbolTitle() {
  const fqme = useSession((s) => s.fqme);
  const mkt = useSession((s) => s.mkt);
  return (
    <div className="title">
      <span className="fqme">{fqme}</span>
      {mkt && (
        <span className="mkt">
          tick {mkt.priceTick} · lot {mkt.sizeTick}
        </span>
      )}
    </div>
  );
}

export function App() {
  useLayoutSync();
  useServicesFeed();
  useQuoteFeed();
  useDocumentTitle();
  useOrdersFeed();
  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">candlewick</span>
        <SymbolSearch />
        <SymbolTitle />
      </header>
      <main className="workspace">
        <Workspace />
        <OrderPane />
        <ServicesPanel />
      </main>
      <StatusBar />
      <OrderMenu />
      <OrderToasts />
    </div>
  );
}

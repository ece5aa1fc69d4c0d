import type { ServiceInfo } from '../../../core/protocol/types.js';
import { useEffect, useState } from 'react';
import { useServices } from '../../stores/services.js';

function uptime(startedAt: number | null, now: number): string {
  if (startedAt === null) return '';
  const s = Math.max(0, Math.floor((now - startedAt) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`;
}

function Row({ svc, now }: { svc: ServiceInfo; now: number }) {
  return (
    <li
      className={`service state-${svc.state}`}
      data-service={svc.name}
      data-state={svc.state}
      data-restarts={svc.restarts}
      title={svc.lastError ?? undefined}
    >
      <span className="dot" aria-hidden />
      <span className="name">{svc.name}</span>
      <span className="state">{svc.state}</span>
      <span className="meta">
        {svc.restarts > 0 && <span className="restarts">↻{svc.restarts}</span>}
        <span className="uptime">{svc.state === 'running' ? uptime(svc.startedAt, now) : ''}</span>
      </span>
      {Object.keys(svc.detail).length > 0 && (
        <span className="detail">
          {Object.entries(svc.detail)
            .map(([k, v]) => `${k} ${typeof v === 'number' ? v.toLocaleString('en-US') : v}`)
            .join(' · ')}
        </span>
      )}
      {svc.lastError && <span className="error">{svc.lastError}</span>}
    </li>
  );
}

/** The host's running services (datad.<broker>, samplerd, ...): state, restarts, last error. */
export function ServicesPanel() {
  const services = useServices((s) => s.services);
  const known = useServices((s) => s.known);
  const open = useServices((s) => s.panelOpen);
  const toggle = useServices((s) => s.togglePanel);
  // Uptimes advance between services events.
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return (
    <aside className={open ? 'side-pane' : 'side-pane collapsed'} data-testid="services" aria-label="services">
      <header>
        <button type="button" className="pane-toggle" onClick={toggle} title={open ? 'collapse' : 'expand'}>
          {open ? '›' : '‹'}
        </button>
        {open && <span>Services</span>}
      </header>
      {open && (
        <ul className="services">
          {services.map((s) => (
            <Row key={s.name} svc={s} now={now} />
          ))}
          {known && services.length === 0 && <li className="empty">no services running</li>}
          {!known && <li className="empty">waiting for the host…</li>}
        </ul>
      )}
    </aside>
  );
}

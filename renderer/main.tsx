import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { ConnectionManager } from './client/connection.js';
import { openTransport } from './client/transport.js';
import { installDebugHandle } from './debug-handle.js';

installDebugHandle();
new ConnectionManager(openTransport).start();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

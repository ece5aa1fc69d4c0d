/**
 * Secure defaults applied to every session and every WebContents main ever creates (electron docs,
 * tutorial/security.md): no permissions, no navigation away from our UI, no new windows, no <webview>, links to the
 * web only through the OS browser after a URL check.
 */
import { shell, type Session, type WebContents } from 'electron';
import { describeUrl, externalUrlAllowed, navigationAllowed } from './policy.js';

export function hardenSession(session: Session, log: (line: string) => void): void {
  session.setPermissionRequestHandler((contents, permission, callback) => {
    log(`security: denied permission ${permission} to webContents ${contents.id}`);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.on('will-download', (event) => {
    log('security: refused a download');
    event.preventDefault();
  });
}

export function hardenContents(contents: WebContents, log: (line: string) => void): void {
  contents.on('will-frame-navigate', (event) => {
    if (event.isMainFrame && navigationAllowed(event.url)) return;
    log(`security: blocked navigation to ${describeUrl(event.url)}`);
    event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (navigationAllowed(event.url)) return;
    log(`security: blocked redirect to ${describeUrl(event.url)}`);
    event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (externalUrlAllowed(url)) {
      log(`security: opening ${describeUrl(url)} in the system browser`);
      void shell.openExternal(url).catch((err: unknown) => log(`security: openExternal failed: ${String(err)}`));
    } else {
      log(`security: blocked window.open of ${describeUrl(url)}`);
    }
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    log('security: blocked a <webview>');
    event.preventDefault();
  });
}

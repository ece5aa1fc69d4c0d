/**
 * app://candlewick/ serves the built UI (dist/renderer) instead of file://, so the page has a real origin, a CSP
 * header on every response, and no reach into the rest of the disk.
 */
import { protocol } from 'electron';
import { readFile, realpath } from 'node:fs/promises';
import { relative, isAbsolute } from 'node:path';
import { resolveAppPath } from './app-files.js';
import { APP_SCHEME, CONTENT_SECURITY_POLICY, describeUrl } from './policy.js';

/** Must run before app 'ready' (synchronously at the top of main). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
};

function refuse(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** Installs the app:// handler on the default session. Call after 'ready'. */
export function serveAppProtocol(root: string, log: (line: string) => void): void {
  const realRoot = realpath(root).catch(() => root);
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'method not allowed');
    const file = resolveAppPath(request.url, root);
    if (file === null) {
      log(`app://: refused ${describeUrl(request.url)}`);
      return refuse(404, 'not found');
    }
    try {
      // A symlink inside dist/renderer must not lead out of it either.
      const real = await realpath(file.path);
      if (!inside(await realRoot, real)) {
        log(`app://: refused ${describeUrl(request.url)}: resolves outside the UI root`);
        return refuse(404, 'not found');
      }
      const body = await readFile(real);
      return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
        status: 200,
        headers: { ...SECURITY_HEADERS, 'Content-Type': file.mime, 'Cache-Control': 'no-cache' },
      });
    } catch {
      return refuse(404, 'not found');
    }
  });
}

/**
 * Maps app://candlewick/<path> requests onto files of the built UI (dist/renderer). Pure (node:path only, no fs, no
 * electron) so the traversal rules are unit-tested; protocol.ts adds the realpath check against symlinks.
 */
import { isAbsolute, join, relative, sep } from 'node:path';
import { APP_HOST, APP_SCHEME } from './policy.js';

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export interface AppFile {
  /** Absolute path inside the UI root. */
  path: string;
  mime: string;
}

function extension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot).toLowerCase() : '';
}

/**
 * The file an app:// URL names, or null when the request must be refused: another scheme or host, a `..` segment in
 * any spelling (raw, percent-encoded, backslash), encoded separators or NUL, a dotfile, an unknown file type, or any
 * path that would land outside `root`. The check runs on the raw string because URL parsing silently removes dot
 * segments (`app://candlewick/../../etc/passwd` parses as `/etc/passwd`), which would hide the attempt.
 */
export function resolveAppPath(rawUrl: string, root: string): AppFile | null {
  if (typeof rawUrl !== 'string' || rawUrl.length > 2048) return null;
  const prefix = `${APP_SCHEME}://${APP_HOST}`;
  if (rawUrl.slice(0, prefix.length).toLowerCase() !== prefix) return null;
  const rest = rawUrl.slice(prefix.length);
  if (rest !== '' && !/^[/?#]/.test(rest)) return null; // app://candlewick.evil, app://candlewick:80, ...
  const rawPath = rest.split(/[?#]/, 1)[0]!;
  if (/\\|%5c|%2f|%00|\0/i.test(rawPath)) return null;

  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  const segments = decoded.split('/').filter((s) => s.length > 0);
  if (segments.some((s) => s === '.' || s === '..' || s.startsWith('.'))) return null;
  if (segments.length === 0) segments.push('index.html');

  const mime = MIME[extension(segments[segments.length - 1]!)];
  if (!mime) return null;
  const path = join(root, ...segments);
  const rel = relative(root, path);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) return null;
  return { path, mime };
}

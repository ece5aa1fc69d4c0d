/**
 * Security and launch policy of the Electron shell as pure functions: no electron, no node:* imports, so every rule
 * here is unit-tested under plain Node (policy.test.ts). main, the IPC router and the protocol handler only apply it.
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'candlewick';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** Sent with every app:// response. The UI needs no remote origin: data arrives over a MessagePort. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // The indicator worker: a script of ours, never a blob: or data: URL.
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const MAX_URL_LENGTH = 2048;

function parseUrl(raw: unknown): URL | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_URL_LENGTH) return null;
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

/**
 * True when `raw` is a page of our own UI: scheme app, host candlewick, no credentials, no port.
 * Compared field by field because WHATWG URL reports origin "null" for non-special schemes such as app:.
 */
export function isAppUrl(raw: unknown): boolean {
  const url = parseUrl(raw);
  return (
    url !== null &&
    url.protocol === `${APP_SCHEME}:` &&
    url.hostname === APP_HOST &&
    url.port === '' &&
    url.username === '' &&
    url.password === ''
  );
}

/**
 * The URL a window loads: the UI entry, with the symbol to open when one was asked for (`--fqme`), and the saved
 * layout window it shows (`?window=`, the main window without).
 */
export function appEntryUrl(fqme?: string | null, windowId?: string | null): string {
  const url = new URL(`${APP_ORIGIN}/index.html`);
  if (fqme) url.searchParams.set('fqme', fqme);
  if (windowId) url.searchParams.set('window', windowId);
  return url.toString();
}

const WINDOW_ID = /^[A-Za-z0-9_-]{1,40}$/;

/**
 * Why an open-window request must be refused, or null: its one argument must be a window id of the saved layout
 * (`known`) other than the main window. Anything else (no id, extra arguments, a path, an id main never saved) is
 * refused, so a page can only reopen windows the layout already describes.
 */
export function openWindowRefusal(args: readonly unknown[], known: readonly string[]): string | null {
  if (args.length !== 1) return `expected one window id, got ${args.length} arguments`;
  const id = args[0];
  if (typeof id !== 'string' || !WINDOW_ID.test(id)) return `bad window id ${describeUrl(id)}`;
  if (id === 'main') return 'the main window is not opened on request';
  if (!known.includes(id)) return `no window ${describeUrl(id)} in the saved layout`;
  return null;
}

/** The parts of Electron's WebFrameMain that sender validation reads. */
export interface FrameLike {
  readonly url: string;
  /** null for a main (top-level) frame. */
  readonly parent: unknown;
  readonly detached?: boolean;
}

/**
 * Why an IPC message from this frame must be refused, or null when it may be served.
 * Only the main frame of one of our own app:// pages may talk to main; a subframe, a file:// page, a remote page,
 * a destroyed or navigated-away frame (Electron reports null) are all refused.
 */
export function senderRefusal(frame: FrameLike | null | undefined): string | null {
  if (!frame) return 'no sender frame (destroyed or navigated away)';
  if (frame.detached) return 'sender frame is detached';
  if (frame.parent !== null && frame.parent !== undefined) return `sender is a subframe (${describeUrl(frame.url)})`;
  if (!isAppUrl(frame.url)) return `sender URL ${describeUrl(frame.url)} is not ${APP_ORIGIN}`;
  return null;
}

/** Whether an in-window navigation may proceed: only between pages of our own UI. */
export function navigationAllowed(raw: unknown): boolean {
  return isAppUrl(raw);
}

/**
 * Whether a link may be handed to the OS browser (shell.openExternal): https only, to a public-looking DNS name
 * (at least one dot, not an IP literal, not localhost), no embedded credentials, bounded length. Plain http, other
 * schemes (file:, javascript:, smb:, custom handlers) and LAN or loopback targets could run, leak or poke something.
 */
export function externalUrlAllowed(raw: unknown): boolean {
  const url = parseUrl(raw);
  if (url === null || url.protocol !== 'https:') return false;
  if (url.username !== '' || url.password !== '') return false;
  const host = url.hostname.toLowerCase();
  if (!host.includes('.') || host.endsWith('.')) return false;
  if (host.startsWith('[') || /^[0-9.]+$/.test(host)) return false;
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local')) return false;
  return true;
}

/** A URL shortened and stripped of control characters, safe to put in a log line. */
export function describeUrl(raw: unknown): string {
  if (typeof raw !== 'string') return String(raw);
  // eslint-disable-next-line no-control-regex
  const clean = raw.replace(/[\u0000-\u001f\u007f]/g, '?');
  return JSON.stringify(clean.length > 200 ? `${clean.slice(0, 200)}…` : clean);
}

/** What the shell reads from its command line. */
export interface ShellArgs {
  dataDir?: string;
  fqme?: string;
  seed?: number;
  simRate?: number;
  testHooks: boolean;
}

const VALUE_FLAGS = new Set(['--data-dir', '--fqme', '--seed', '--sim-rate']);

/**
 * Reads our flags out of process.argv. Electron's argv also carries the executable, the app path (`electron .`) and
 * Chromium switches, so unknown arguments are skipped rather than rejected. Both `--flag value` and `--flag=value`.
 */
export function parseShellArgs(argv: readonly string[]): ShellArgs {
  const out: ShellArgs = { testHooks: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--test-hooks') {
      out.testHooks = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (!VALUE_FLAGS.has(name)) continue;
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) value = argv[++i];
    if (value === undefined || value === '') continue;
    switch (name) {
      case '--data-dir':
        out.dataDir = value;
        break;
      case '--fqme':
        out.fqme = value;
        break;
      case '--seed': {
        const n = Number(value);
        if (Number.isSafeInteger(n)) out.seed = n;
        break;
      }
      case '--sim-rate': {
        const n = Number(value);
        if (Number.isFinite(n) && n > 0) out.simRate = n;
        break;
      }
    }
  }
  return out;
}

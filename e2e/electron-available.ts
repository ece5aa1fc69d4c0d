/**
 * Whether an Electron binary is installed, for the Electron runs of the e2e page models. `npm ci` with
 * ELECTRON_SKIP_BINARY_DOWNLOAD=1 (CI, sandboxes) installs only the types: then the Electron project is skipped with
 * electronSkipReason() instead of failing.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Absolute path of the Electron executable, or null when it is not on disk. */
export function electronBinary(): string | null {
  try {
    // The electron package exports the executable's path; it throws when the binary was never downloaded.
    const path: unknown = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

/** Why Electron runs are skipped, or null when they can run. */
export function electronSkipReason(): string | null {
  if (electronBinary() !== null) return null;
  return (
    'Electron binary not installed (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1?): skipping Electron runs. ' +
    'Install it with `node node_modules/electron/install.js`, or point ELECTRON_OVERRIDE_DIST_PATH at an Electron build.'
  );
}

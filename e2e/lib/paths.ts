import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (e2e/lib/ is two levels down). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the e2e tests keep screenshots a human should look at (outside Playwright's own outputDir, which it wipes). */
export const SCREENSHOT_DIR = join(ROOT, 'test-results', 'screenshots');

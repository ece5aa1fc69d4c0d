#!/usr/bin/env node
// The package's `candlewick` command: runs the bundled CLI (built by `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(cli)) {
  console.error('candlewick: no build found; run `npm run build` first');
  process.exit(1);
}
await import(cli);

/**
 * The layering lint (eslint.config.js + scripts/eslint-layers.mjs) run through ESLint's Node API on code snippets
 * placed at pretend paths: every forbidden edge of DESIGN.md §4 is reported, and the legal ones stay clean.
 */
import { ESLint } from 'eslint';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const LAYER_RULES = new Set(['no-restricted-imports', 'layers/boundaries']);
let eslint: ESLint;

async function violations(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  return result!.messages.filter((m) => m.ruleId !== null && LAYER_RULES.has(m.ruleId)).map((m) => `${m.ruleId}: ${m.message}`);
}

async function allMessages(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  return result!.messages.map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

describe('core', () => {
  it.each([
    "import { app } from 'electron';",
    "import { useState } from 'react';",
    "import { createRoot } from 'react-dom/client';",
    "import { jsx } from 'react/jsx-runtime';",
    "import { createChart } from 'lightweight-charts';",
    "import { create } from 'zustand';",
    "import { shallow } from 'zustand/shallow';",
  ])('refuses UI and shell packages: %s', async (code) => {
    expect(await violations('core/data/x.ts', code)).toEqual([expect.stringMatching(/^no-restricted-imports/)]);
  });

  it('refuses renderer and electron code, however it is reached', async () => {
    expect(await violations('core/x.ts', "export { fmt } from '../renderer/lib/format.js';")).toHaveLength(1);
    expect(await violations('core/api/x.ts', "import { IpcRouter } from '../../electron/ipc-router.js';")).toEqual([
      expect.stringMatching(/^layers\/boundaries: .*core may not import electron/),
    ]);
    expect(await violations('core/api/x.ts', "export const m = () => import('../../renderer/main.js');")).toHaveLength(1);
  });

  it('allows other core folders, node builtins and its own packages', async () => {
    const code = [
      "import { readFile } from 'node:fs/promises';",
      "import { Worker } from 'node:worker_threads';",
      "import { WebSocketServer } from 'ws';",
      "import { parseFqme } from '../protocol/fqme.js';",
      "import type { ServerConnection } from '../api/connection.js';",
      'export const used = [readFile, Worker, WebSocketServer, parseFqme];',
      'export type C = ServerConnection;',
    ].join('\n');
    expect(await allMessages('core/data/x.ts', code)).toEqual([]);
  });
});

describe('core/protocol', () => {
  it.each([
    "import { readFile } from 'node:fs';",
    "import { join } from 'path';",
    "import { EventEmitter } from 'events';",
  ])('refuses node builtins: %s', async (code) => {
    expect(await violations('core/protocol/x.ts', code)).toEqual([expect.stringMatching(/^no-restricted-imports/)]);
  });

  it('refuses every other core folder', async () => {
    expect(await violations('core/protocol/x.ts', "import { OhlcBuffer } from '../data/ohlc-buffer.js';")).toEqual([
      expect.stringMatching(/core\/protocol is pure/),
    ]);
    expect(await violations('core/protocol/x.ts', "import type { HostOptions } from '../host/host-options.js';")).toHaveLength(1);
    expect(await violations('core/protocol/x.ts', "import { app } from 'electron';")).toHaveLength(1);
  });

  it('allows its own files, also from a subfolder', async () => {
    expect(await allMessages('core/protocol/x.ts', "export { parseFqme } from './fqme.js';")).toEqual([]);
    expect(await allMessages('core/protocol/schemas/x.ts', "export { parseFqme } from '../fqme.js';")).toEqual([]);
  });
});

describe('core/indicators', () => {
  it.each([
    "import { readFile } from 'node:fs';",
    "import { Worker } from 'worker_threads';",
    "import { createChart } from 'lightweight-charts';",
  ])('refuses node builtins and UI packages: %s', async (code) => {
    expect(await violations('core/indicators/x.ts', code)).toEqual([expect.stringMatching(/^no-restricted-imports/)]);
  });

  it('refuses core outside core/protocol, and the renderer', async () => {
    expect(await violations('core/indicators/x.ts', "import { OhlcBuffer } from '../data/ohlc-buffer.js';")).toEqual([
      expect.stringMatching(/core\/indicators is pure/),
    ]);
    expect(await violations('core/indicators/x.ts', "import { BarStore } from '../../renderer/lib/bar-store.js';")).toHaveLength(1);
  });

  it('allows its own files and core/protocol', async () => {
    const code = ["import { SmaKernel } from './kernels.js';", "import type { BarRows } from '../protocol/frames.js';", 'export const k = SmaKernel;', 'export type R = BarRows;'].join('\n');
    expect(await allMessages('core/indicators/x.ts', code)).toEqual([]);
  });

  it('is not imported by core/protocol, which stays self-contained', async () => {
    expect(await violations('core/protocol/x.ts', "import { SmaKernel } from '../indicators/kernels.js';")).toEqual([
      expect.stringMatching(/core\/protocol is pure/),
    ]);
  });
});

describe('renderer', () => {
  it('refuses core outside core/protocol', async () => {
    expect(await violations('renderer/features/x.ts', "import { Host } from '../../core/host/host.js';")).toEqual([
      expect.stringMatching(/^layers\/boundaries: .*renderer may import only core\/protocol and core\/indicators/),
    ]);
    expect(await violations('renderer/x.tsx', "import type { ServerConnection } from '../core/api/connection.js';")).toHaveLength(1);
    expect(await violations('renderer/x.ts', "export * from '../core/protocol/../data/feed.js';")).toHaveLength(1);
  });

  it.each([
    "import { ipcRenderer } from 'electron';",
    "import { readFileSync } from 'node:fs';",
    "import { join } from 'path';",
  ])('refuses electron and node builtins: %s', async (code) => {
    expect(await violations('renderer/x.ts', code)).toEqual([expect.stringMatching(/^no-restricted-imports/)]);
  });

  it('refuses the shell code', async () => {
    expect(await violations('renderer/x.ts', "import { CONNECT_CHANNEL } from '../electron/channels.js';")).toHaveLength(1);
  });

  it('allows core/protocol, core/indicators and UI packages', async () => {
    const code = [
      "import { ApiClient } from '../../core/protocol/client.js';",
      "import { parseFqme } from '../../core/protocol/index.js';",
      "import { SmaKernel } from '../../core/indicators/kernels.js';",
      "import { create } from 'zustand';",
      "import { createChart } from 'lightweight-charts';",
      'export const used = [ApiClient, parseFqme, SmaKernel, create, createChart];',
    ].join('\n');
    expect(await allMessages('renderer/features/x.ts', code)).toEqual([]);
  });
});

describe('electron', () => {
  it('may use core and electron, not renderer code', async () => {
    const ok = [
      "import { app } from 'electron';",
      "import { Host } from '../core/host/host.js';",
      'export const used = [app, Host];',
    ].join('\n');
    expect(await allMessages('electron/x.ts', ok)).toEqual([]);
    expect(await violations('electron/x.ts', "import '../renderer/main.js';")).toHaveLength(1);
  });
});

/**
 * electron-builder.yml checked against electron-builder's own configuration schema (app-builder-lib/scheme.json, the
 * schema electron-builder validates with at build time), plus the things the schema cannot know: our targets, ids,
 * and that every referenced icon and entitlements file exists.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { load } from 'js-yaml';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

type Config = Record<string, any>;

let validate: ValidateFunction;
let config: Config;

function errorsOf(candidate: unknown): string[] {
  if (validate(candidate)) return [];
  return (validate.errors ?? []).map(
    (e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
  );
}

function pngSize(rel: string): { width: number; height: number } {
  const png = PNG.sync.read(readFileSync(join(root, rel)));
  return { width: png.width, height: png.height };
}

beforeAll(() => {
  const schemaPath = require.resolve('app-builder-lib/scheme.json');
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as object;
  // The schema is generated from TypeScript types: it uses union types and keywords Ajv's strict mode rejects.
  const ajv = new Ajv({ strict: false, allowUnionTypes: true, allErrors: true });
  validate = ajv.compile(schema);
  config = load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Config;
});

describe('electron-builder.yml', () => {
  it("is valid against electron-builder's schema", () => {
    expect(errorsOf(config)).toEqual([]);
  });

  it('names the app', () => {
    expect(config.appId).toBe('dev.candlewick.terminal');
    expect(config.productName).toBe('Candlewick');
    expect(config.directories.output).toBe('release');
  });

  it('builds AppImage + deb, nsis and dmg', () => {
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.win.target).toContain('nsis');
    expect(config.mac.target).toContain('dmg');
    expect(config.linux.maintainer ?? config.deb.maintainer).toMatch(/<.+@.+>/);
    expect(config.linux.category).toMatch(/\bFinance\b/);
    expect(config.mac.category).toBe('public.app-category.finance');
  });

  it('packs the build output, not the sources', () => {
    expect(config.files).toContain('dist/**/*');
    for (const pattern of config.files as string[]) expect(pattern).not.toMatch(/^(core|renderer|electron|e2e)\b/);
  });

  it('unpacks the DuckDB native module (and its shared library) from the asar', () => {
    expect(config.asarUnpack).toContain('node_modules/@duckdb/**');
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies)).toContain('@duckdb/node-api');
    expect(readFileSync(join(root, 'scripts/build.mjs'), 'utf8')).toMatch(/external: \[[^\]]*'@duckdb\/\*'/);
  });

  it('keeps the inspect fuse on for Playwright and the node-ish fuses off', () => {
    expect(config.electronFuses.enableNodeCliInspectArguments).toBe(true);
    expect(config.electronFuses.runAsNode).toBe(false);
    expect(config.electronFuses.enableNodeOptionsEnvironmentVariable).toBe(false);
  });

  it('references icons and entitlements that exist, at the sizes the targets need', () => {
    for (const rel of [config.icon, config.win.icon, config.mac.icon, config.mac.entitlements]) {
      expect(existsSync(join(root, rel)), rel).toBe(true);
    }
    expect(pngSize(config.icon)).toEqual({ width: 512, height: 512 });
    expect(pngSize(config.mac.icon)).toEqual({ width: 512, height: 512 });
    expect(pngSize(config.win.icon)).toEqual({ width: 256, height: 256 });
    const linuxIcons = join(root, config.linux.icon);
    expect(pngSize(join(config.linux.icon, '256x256.png'))).toEqual({ width: 256, height: 256 });
    expect(pngSize(join(config.linux.icon, '512x512.png'))).toEqual({ width: 512, height: 512 });
    expect(existsSync(linuxIcons)).toBe(true);
  });
});

describe("electron-builder's own loader", () => {
  // The code path `npm run dist` takes: read the file, merge package.json metadata, validate. Internal modules of
  // app-builder-lib, so looked up by path from the installed package.
  const lib = dirname(require.resolve('app-builder-lib/package.json'));
  const { getConfig, validateConfiguration } = require(join(lib, 'out/util/config/config.js'));
  const { DebugLogger } = require(join(dirname(require.resolve('builder-util/package.json', { paths: [lib] })), 'out/DebugLogger.js'));

  it('loads and accepts electron-builder.yml', async () => {
    const loaded = await getConfig(root, join(root, 'electron-builder.yml'), null);
    await expect(validateConfiguration(loaded, new DebugLogger(false))).resolves.toBeUndefined();
    expect(loaded.appId).toBe('dev.candlewick.terminal');
  });

  it('rejects a typo', async () => {
    const loaded = await getConfig(root, join(root, 'electron-builder.yml'), null);
    await expect(validateConfiguration({ ...loaded, mac: { ...loaded.mac, categry: 'x' } }, new DebugLogger(false))).rejects.toThrow(
      /configuration\.mac/,
    );
  });
});

describe('the schema check catches mistakes', () => {
  it('rejects an unknown top-level key, naming it', () => {
    const errors = errorsOf({ ...config, appIdd: 'dev.candlewick.typo' });
    expect(errors.join('\n')).toMatch(/appIdd/);
  });

  it('rejects an unknown nested key, naming it', () => {
    const errors = errorsOf({ ...config, linux: { ...config.linux, targett: ['AppImage'] } });
    expect(errors.join('\n')).toMatch(/targett/);
  });

  it('rejects a wrong type, naming the field', () => {
    const errors = errorsOf({ ...config, appId: 42 });
    expect(errors.join('\n')).toMatch(/^\/appId must be (null,)?string/m);
    expect(errorsOf({ ...config, asar: 'yes please' }).join('\n')).toMatch(/\/asar/);
    expect(errorsOf({ ...config, electronFuses: { runAsNode: 'no' } }).join('\n')).toMatch(/\/electronFuses\/runAsNode/);
  });
});

/**
 * Runs the built dist/electron-main.js under plain Node with 'electron' resolved to the fake module, plays one
 * window's side of the IPC contract, and prints one JSON line with what it saw. Used by bundle.smoke.test.ts:
 * it proves the bundle's own paths (preload.cjs, renderer/, datad.worker.js next to it) and the port transport.
 * Usage: node --import tsx electron/testing/drive-bundle.ts <dist dir> <data dir>
 */
import { register } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [distDir, dataDir] = process.argv.slice(2);
if (!distDir || !dataDir) throw new Error('usage: drive-bundle.ts <dist dir> <data dir>');

const fakeUrl = pathToFileURL(join(fileURLToPath(new URL('.', import.meta.url)), 'fake-electron.ts')).href;
const hook = `export async function resolve(s, c, next) {
  return s === 'electron' ? { url: ${JSON.stringify(fakeUrl)}, shortCircuit: true } : next(s, c);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);

const fake = (await import(fakeUrl)) as typeof import('./fake-electron.js');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const out: Record<string, unknown> = {};
const texts: any[] = [];
let frames = 0;

process.argv = ['electron', '.', '--data-dir', dataDir, '--fqme', 'xbtusd.spot.sim', '--seed', '1'];
await import(pathToFileURL(join(distDir, 'electron-main.js')).href);
for (let i = 0; i < 1000 && !fake.BrowserWindow.all[0]; i++) await sleep(10);
const win = fake.BrowserWindow.all[0]!;
out.url = win.loadedUrl;
out.preload = win.options.webPreferences.preload;

fake.ipcMain.emit('candlewick:connect', { sender: win.webContents, senderFrame: win.webContents.mainFrame, ports: [] });
const port = win.webContents.posted.at(-1)!.ports[0]!;
port.on('message', (e: { data: unknown }) => {
  if (typeof e.data === 'string') texts.push(JSON.parse(e.data));
  else if (e.data instanceof ArrayBuffer) frames++;
});
port.postMessage(JSON.stringify({ id: 1, method: 'hello', params: {} }));
port.postMessage(
  JSON.stringify({ id: 2, method: 'bars.subscribe', params: { fqme: 'xbtusd.spot.sim', timeframe: 1, count: 100 } }),
);
for (let i = 0; i < 1500 && frames < 2; i++) await sleep(10);
out.hello = texts.find((m) => m.id === 1);
out.subscribe = texts.find((m) => m.id === 2);
out.binaryFrames = frames;

const handler = fake.protocolHandlers.get('app')!;
const index = await handler(new Request('app://candlewick/index.html'));
out.index = { status: index.status, csp: index.headers.get('content-security-policy') };
out.traversal = (await handler(new Request('app://candlewick/%2e%2e/electron-main.js'))).status;

fake.app.quit();
for (let i = 0; i < 1000 && !fake.app.quitted; i++) await sleep(10);
out.quit = fake.app.quitted;
process.stdout.write(`RESULT ${JSON.stringify(out)}\n`);
process.exit(0);

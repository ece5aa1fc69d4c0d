// The host as a child process for host-crash.test.ts: `node --import tsx test/integration/host-child.ts <dataDir>`.
// Starts Host + the HTTP/WebSocket server on a free loopback port and prints `url <url>` on stdout once clients can
// connect (emsd's recovery has run by then). The test kill -9's it; SIGTERM stops it cleanly.
import { join } from 'node:path';
import { Host } from '../../core/host/host.js';
import { startServer } from '../../core/host/http-server.js';

const dataDir = process.argv[2];
if (!dataDir) {
  process.stderr.write('usage: host-child.ts <dataDir>\n');
  process.exit(2);
}

const host = await Host.start({
  dataDir,
  seed: 23,
  simRate: Number(process.env.CW_SIM_RATE ?? 200),
  log: (line) => process.stderr.write(`[host] ${line}\n`),
});
const server = await startServer(host, { port: 0, host: '127.0.0.1', staticDir: join(dataDir, 'no-ui') });
process.stdout.write(`url ${server.url}\n`);

process.once('SIGTERM', () => {
  void (async () => {
    await server.close();
    await host.stop();
    process.exit(0);
  })();
});

import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ledgerPath } from '../accounting/ledger.js';
import { parseLedger } from '../accounting/ledger-lines.js';
import { positionFromClears } from '../accounting/position.js';
import { formatLedger } from '../accounting/format.js';
import { knownBackends } from '../brokers/index.js';

/**
 * `candlewick ledger <account>`: reads the account's ledgers from the data directory (read-only, so it is safe
 * while a host is running) and prints positions, then trades.
 */
export async function printLedger(dataDir: string, account: string, brokers: string[] = knownBackends()): Promise<string> {
  const out: string[] = [];
  for (const broker of brokers) {
    let path: string;
    try {
      path = ledgerPath(dataDir, broker, account);
    } catch (e) {
      throw new Error(`bad account name '${account}': ${(e as Error).message}`);
    }
    if (!existsSync(path)) continue;
    const parsed = parseLedger(await readFile(path));
    const byFqme = new Map<string, typeof parsed.entries>();
    for (const e of parsed.entries) byFqme.set(e.fqme, [...(byFqme.get(e.fqme) ?? []), e]);
    const positions = [...byFqme].map(([fqme, clears]) => positionFromClears({ broker, account, fqme }, clears));
    out.push(`# ${broker}.${account} (${path})`, formatLedger(positions, parsed.entries));
    for (const p of parsed.problems) out.push(`warning: ${p}`);
  }
  if (out.length === 0) throw new Error(`no ledger for account '${account}' in ${join(dataDir, 'ledgers')}`);
  return out.join('\n');
}

/**
 * The crash test's child: a journal writer on `<dir>` that accepts orders from `clients` concurrent clients and
 * prints `A <oid>` only after the order's append resolved (its acknowledgement), then books a fill and prints
 * `F <oid> <tid>` after that append resolved. The test kill -9's it at random moments and starts it again on the
 * same directory: it replays, and each client retries its last order (it never learned whether that went through)
 * and continues. Usage: node --import tsx crash-writer.ts <dir> [clients] [segmentBytes] [compactEveryAcks]
 */
import { Journal } from '../journal.js';
import { intentRecord } from '../records.js';
import { fillOf, openStatus, sampleOrder } from './fixtures.js';

const [dir, clientsArg = '4', segmentArg = '16384', compactArg = '250'] = process.argv.slice(2);
if (!dir) throw new Error('usage: crash-writer.ts <dir> [clients] [segmentBytes] [compactEveryAcks]');
const clients = Number(clientsArg);
const compactEvery = Number(compactArg);

const journal = await Journal.open(dir, { segmentBytes: Number(segmentArg) });
// Lines are short single writes to a pipe, so a kill leaves whole lines or none (the test drops a partial last one).
const say = (line: string) => process.stdout.write(line + '\n');
const r = journal.replayReport;
say(`ready lastSeq=${journal.lastSeq} torn=${r.tornTails} tornBytes=${r.tornTail?.bytes ?? 0} obsolete=${r.obsoleteSegments.length}`);

const next = new Array<number>(clients).fill(0);
for (const s of journal.index.values()) {
  const m = /^c(\d+)-(\d+)$/.exec(s.oid);
  if (m) next[Number(m[1])] = Math.max(next[Number(m[1])]!, Number(m[2]) + 1);
}

let acks = 0;
async function client(c: number): Promise<never> {
  for (let i = Math.max(0, next[c]! - 1); ; i++) {
    const order = sampleOrder(`c${c}-${i}`, { price: String(60000 + i) });
    const kind = journal.classify(order);
    if (kind === 'new') await journal.append([intentRecord(order)]);
    else if (kind === 'duplicate') await journal.whenDurable(journal.get(order.oid)!.intentSeq);
    else throw new Error(`a retry of ${order.oid} was taken for a ${kind}`);
    say(`A ${order.oid}`);

    // The venue re-delivers fills after a reconnect: the journal books each tid once.
    const reqid = `r-${order.oid}`;
    const tid = `t-${order.oid}`;
    if (!journal.index.hasFill(order.oid, tid)) await journal.append([openStatus(order, reqid), fillOf(order, reqid, tid)]);
    say(`F ${order.oid} ${tid}`);

    if (++acks % compactEvery === 0) await journal.compact(() => ({ acks }));
  }
}

await Promise.all(Array.from({ length: clients }, (_, c) => client(c)));

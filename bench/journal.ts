// ems.journal_append: intent journal write latency, append() call -> resolved (bytes written and fdatasync'ed),
// in µs. Once with a single appender (every append pays its own fsync), once with 8 concurrent appenders (group
// commit: appends queued during one write share the next fsync), which is the p99 a busy emsd sees. The records
// are realistic intents (one Order each); the disk is whatever holds BENCH_TMP, so the figure is the machine's fsync.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Journal } from '../core/clearing/journal/journal.js';
import { intentRecord } from '../core/clearing/journal/records.js';
import { sampleOrder } from '../core/clearing/journal/test-workers/fixtures.js';
import { benchTmp } from './lib/host-bars.js';
import { emit, log, summarize } from './lib/report.js';

const APPENDS = Number(process.env.BENCH_JOURNAL_APPENDS ?? 4_000);
const WARMUP = 300;
const CONCURRENT = 8;

let n = 0;
const nextRecord = () => intentRecord(sampleOrder(`bench-${++n}`, { price: (60000 + (n % 500) * 0.5).toFixed(1) }));

async function run(appenders: number): Promise<void> {
  const root = mkdtempSync(join(benchTmp(), 'journal-'));
  const journal = await Journal.open(join(root, 'journal'));
  try {
    const lat: number[] = [];
    const perAppender = Math.ceil((WARMUP + APPENDS) / appenders);
    const warmupPer = Math.ceil(WARMUP / appenders);
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: appenders }, async () => {
        for (let i = 0; i < perAppender; i++) {
          const start = performance.now();
          await journal.append([nextRecord()]);
          if (i >= warmupPer) lat.push((performance.now() - start) * 1000);
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const s = summarize(lat);
    const { appendCalls, syncs } = journal.stats;
    log(`journal, ${appenders} appender(s): ${appendCalls} appends, ${syncs} fsyncs, mean ${s.mean.toFixed(0)} us, ${(appendCalls / seconds).toFixed(0)} appends/s`);
    emit({
      bench: appenders === 1 ? 'ems.journal_append' : 'ems.journal_append.concurrent',
      unit: 'us',
      value: s.p99,
      p50: s.p50,
      p99: s.p99,
      p95: s.p95,
      max: s.max,
      n: s.n,
      appenders,
      appendsPerSec: appendCalls / seconds,
      appendsPerFsync: appendCalls / syncs,
    });
  } finally {
    await journal.close();
    rmSync(root, { recursive: true, force: true });
  }
}

await run(1);
await run(CONCURRENT);

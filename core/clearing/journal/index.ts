export { Journal, type JournalOptions, type JournalStats } from './journal.js';
export { OidIndex, type SubmitKind } from './oid-index.js';
export { replay, replayAll, Replay, JournalCorruptError, type ReplayReport, type ReplayOptions, type TornTail } from './replay.js';
export { journalDir } from './segments.js';
export * from './records.js';

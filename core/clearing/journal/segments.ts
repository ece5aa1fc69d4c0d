import { constants } from 'node:fs';
import { open, readdir, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Segment files: `<dataDir>/journal/<first seq, 20 digits>.jnl`. The name is the seq of the segment's first record,
 * so a sorted listing is the journal in order and a missing segment shows up as a seq gap. Compaction writes its
 * snapshot segment under `<name>.tmp` first; only the rename makes it part of the journal.
 */
export const SEGMENT_EXT = '.jnl';
export const TMP_EXT = '.tmp';
const SEGMENT_RE = /^(\d{20})\.jnl$/;

export interface Segment {
  name: string;
  path: string;
  firstSeq: number;
}

export function journalDir(dataDir: string): string {
  return join(dataDir, 'journal');
}

export function segmentName(firstSeq: number): string {
  return String(firstSeq).padStart(20, '0') + SEGMENT_EXT;
}

/** The journal's segments, oldest first; an absent directory is an empty journal. */
export async function listSegments(dir: string): Promise<Segment[]> {
  const names = await readdirOrEmpty(dir);
  const out: Segment[] = [];
  for (const name of names) {
    const m = SEGMENT_RE.exec(name);
    if (m) out.push({ name, path: join(dir, name), firstSeq: Number(m[1]) });
  }
  return out.sort((a, b) => a.firstSeq - b.firstSeq);
}

/** Removes what an interrupted compaction left behind (never part of the journal: the rename did not happen). */
export async function removeTmpFiles(dir: string): Promise<number> {
  const tmps = (await readdirOrEmpty(dir)).filter((n) => n.endsWith(TMP_EXT));
  for (const n of tmps) await unlink(join(dir, n));
  return tmps.length;
}

/**
 * Makes a created, renamed or deleted name durable: fsync on a file covers its data, not the directory entry
 * that finds it. Windows cannot open a directory for fsync (and NTFS journals names itself), so it is skipped there.
 */
export async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Linux: the append handle is opened O_DSYNC, so a write returns once its data (and the size change) is durable,
 * exactly what write + fdatasync give, in one system call and one trip through libuv's thread pool instead of two.
 * Elsewhere the journal calls fdatasync after the write: macOS's O_DSYNC does not flush the drive's cache the way
 * libuv's fdatasync (F_FULLFSYNC) does, and Windows has no O_DSYNC.
 */
export const DSYNC_WRITES = process.platform === 'linux' && typeof constants.O_DSYNC === 'number';

/** open() flags for a segment's append handle: 'r+' (an existing segment) or 'wx' (a new one), O_DSYNC where used. */
export function segmentFlags(mode: 'r+' | 'wx'): string | number {
  if (!DSYNC_WRITES) return mode;
  const base = mode === 'r+' ? constants.O_RDWR : constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL;
  return base | constants.O_DSYNC;
}

/** Opens an existing segment for appends. */
export function openSegment(path: string): Promise<FileHandle> {
  return open(path, segmentFlags('r+'));
}

/** Writes all of `buf` at `position`: a single write may be short, and a short frame is a torn record. */
export async function writeFully(fh: FileHandle, buf: Buffer, position: number): Promise<void> {
  let off = 0;
  while (off < buf.length) {
    const { bytesWritten } = await fh.write(buf, off, buf.length - off, position + off);
    off += bytesWritten;
  }
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/**
 * The write-ahead log a killed writer leaves, read and (for one test) torn the way a kill in the middle of a commit
 * tears it. A SIGKILL cannot cut a write() in half, so the only torn state a process crash can leave is a transaction
 * whose frames were partly appended when the process died; WAL recovery must then drop that transaction whole.
 * Layout (sqlite.org/fileformat.html, walformat.html): a 32-byte WAL header (page size at 8, salts at 16..24), then
 * frames of a 24-byte header (commit size at 4, non-zero only on a transaction's last frame; salts at 8..16) and
 * one page. The -shm file starts with the WAL-index header (mxFrame at 16) and the checkpoint info (nBackfill at 96),
 * in native byte order.
 */
import { existsSync, readFileSync, truncateSync } from 'node:fs';
import { endianness } from 'node:os';

const WAL_HEADER_BYTES = 32;
const FRAME_HEADER_BYTES = 24;

export interface WalTail {
  pageSize: number;
  /** Frames of the current WAL generation (older generations' frames, with other salts, are ignored). */
  frames: number;
  /** 1-based numbers of the frames that end a transaction. */
  commitFrames: number[];
  /** Frames after the last commit frame: a transaction the kill interrupted while it was being appended. */
  uncommittedFrames: number;
}

export function readWalTail(walFile: string): WalTail {
  const empty = { pageSize: 0, frames: 0, commitFrames: [], uncommittedFrames: 0 };
  if (!existsSync(walFile)) return empty;
  const wal = readFileSync(walFile);
  if (wal.length < WAL_HEADER_BYTES) return empty;
  const pageSize = wal.readUInt32BE(8);
  const salts = wal.subarray(16, 24);
  const commitFrames: number[] = [];
  let frames = 0;
  for (
    let offset = WAL_HEADER_BYTES;
    offset + FRAME_HEADER_BYTES + pageSize <= wal.length;
    offset += FRAME_HEADER_BYTES + pageSize
  ) {
    if (!wal.subarray(offset + 8, offset + 16).equals(salts)) break;
    frames += 1;
    if (wal.readUInt32BE(offset + 4) !== 0) commitFrames.push(frames);
  }
  return { pageSize, frames, commitFrames, uncommittedFrames: frames - (commitFrames.at(-1) ?? 0) };
}

export interface WalIndex {
  /** The last committed frame, as the writer's connection recorded it. */
  mxFrame: number;
  /** How many frames a checkpoint has already copied into the database file. */
  nBackfill: number;
}

export function readWalIndex(shmFile: string): WalIndex | undefined {
  if (!existsSync(shmFile)) return undefined;
  const shm = readFileSync(shmFile);
  if (shm.length < 104) return undefined;
  const read = (offset: number) => (endianness() === 'LE' ? shm.readUInt32LE(offset) : shm.readUInt32BE(offset));
  return { mxFrame: read(16), nBackfill: read(96) };
}

/**
 * Cuts the WAL inside the last committed transaction, leaving its first frames and half of its commit frame: what a
 * kill while that transaction was being appended leaves. Only a transaction no checkpoint has copied yet can be torn
 * (a checkpoint copies committed frames only), so this answers false when the last one was already copied.
 */
export function tearLastTransaction(walFile: string, shmFile: string): boolean {
  const tail = readWalTail(walFile);
  const index = readWalIndex(shmFile);
  const last = tail.commitFrames.at(-1);
  if (last === undefined || !index) return false;
  const previous = tail.commitFrames.at(-2) ?? 0;
  if (index.nBackfill > previous) return false;
  const frameBytes = FRAME_HEADER_BYTES + tail.pageSize;
  truncateSync(walFile, WAL_HEADER_BYTES + (last - 1) * frameBytes + FRAME_HEADER_BYTES + tail.pageSize / 2);
  return true;
}

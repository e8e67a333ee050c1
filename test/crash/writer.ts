/**
 * Child process of the crash test: `node --import tsx test/crash/writer.ts <dbfile> <hexkey>`.
 * Opens the real database, continues from what earlier runs left, and writes until it is killed. After every
 * PROGRESS_EVERY writes it prints one JSON line with its counts of committed writes; the line is written only after
 * those writes returned, so the parent may hold the database to everything a line claims.
 */
import { randomBytes } from 'node:crypto';
import { createTokenSealer, parseKey } from '../../src/crypto/sealer.js';
import { openDatabase } from '../../src/db/sqlite/client.js';
import { openConnection } from '../../src/db/sqlite/connection.js';
import { buildWriter, readWriterState } from './writes.js';

const PROGRESS_EVERY = 10;

async function main(): Promise<void> {
  const [file, hexKey] = process.argv.slice(2);
  if (!file || !hexKey) throw new Error('usage: writer.ts <dbfile> <hexkey>');
  const db = openDatabase({ url: file, sealer: createTokenSealer({ current: parseKey(hexKey) }) });

  // A second connection only to list what is there; the repositories have no listing of all rows.
  const raw = openConnection(file, { mustExist: true });
  const state = readWriterState(db, raw);
  raw.close();

  const run = randomBytes(4).toString('hex');
  const writer = buildWriter(db, run, state);
  process.stdout.write(
    `${JSON.stringify({ ready: true, run, links: state.links.length, pending: state.pending.length })}\n`,
  );

  let printedAt = 0;
  for (;;) {
    writer.step();
    if (writer.counts.writes - printedAt >= PROGRESS_EVERY) {
      printedAt = writer.counts.writes;
      process.stdout.write(`${JSON.stringify(writer.counts)}\n`);
      // Let the event loop run so output reaches the parent even where pipes are written asynchronously.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

main().catch((error: unknown) => {
  // The name and message only: the parent shows stderr when the writer dies on its own.
  process.stderr.write(`writer failed: ${(error as Error).name}: ${(error as Error).message}\n`);
  process.exit(1);
});

import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { DatabaseUrlError } from '../errors.js';

export type SqliteDb = BetterSQLite3Database;

/** The generated migrations, found from this file rather than the working directory. */
export const DEFAULT_MIGRATIONS_FOLDER = fileURLToPath(new URL('../../../drizzle', import.meta.url));

const MEMORY = ':memory:';

/** DATABASE_URL as a path better-sqlite3 opens: a plain path, `file:path`, or `:memory:`. */
export function resolveDatabasePath(url: string): string {
  const value = url.trim();
  if (value === MEMORY) return MEMORY;
  if (value.startsWith('file://')) return fileURLToPath(value);
  if (value.startsWith('file:')) return value.slice('file:'.length);
  // Anything else with a scheme (postgres://, sqlite://…) is not ours; a Windows drive letter is a path.
  if (/^[a-z][a-z0-9+.-]+:/i.test(value)) throw new DatabaseUrlError(value);
  return value;
}

export interface OpenConnectionOptions {
  /** For tools that work on an existing database only (key rotation): do not create an empty one. */
  mustExist?: boolean;
  busyTimeoutMs?: number;
}

/**
 * Opens one SQLite connection tuned for a single-process server: WAL (readers never wait for the writer),
 * synchronous=NORMAL (durable across crashes of the process; an OS crash may lose the last commits, never corrupt),
 * foreign keys on, and a busy timeout so a second process (the rotation tool) waits instead of failing.
 */
export function openConnection(path: string, options: OpenConnectionOptions = {}): BetterSqlite3.Database {
  if (path !== MEMORY && !options.mustExist) mkdirSync(dirname(resolve(path)), { recursive: true });
  const client = new BetterSqlite3(path, { fileMustExist: options.mustExist ?? false });
  try {
    client.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    client.pragma('journal_mode = WAL');
    client.pragma('synchronous = NORMAL');
    client.pragma('foreign_keys = ON');
  } catch (error) {
    client.close();
    throw error;
  }
  return client;
}

export function toDrizzle(client: BetterSqlite3.Database): SqliteDb {
  return drizzle({ client });
}

/** Moves the WAL into the main file and empties it, so a closed database is one self-contained file. */
export function checkpointAndClose(client: BetterSqlite3.Database): void {
  if (!client.open) return;
  try {
    if (!client.memory) client.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    client.close();
  }
}

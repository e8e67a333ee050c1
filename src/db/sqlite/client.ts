import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { TokenSealer } from '../../crypto/sealer.js';
import type { Database } from '../types.js';
import {
  checkpointAndClose,
  DEFAULT_MIGRATIONS_FOLDER,
  openConnection,
  resolveDatabasePath,
  toDrizzle,
} from './connection.js';
import { buildLinksRepo } from './links.js';
import { buildOAuthStatesRepo } from './oauthStates.js';
import { buildPreferencesRepo } from './preferences.js';
import { buildQueriesRepo } from './queries.js';

export interface OpenDatabaseOptions {
  /** A file path (its folder is created), `file:path`, or `:memory:`. */
  url: string;
  sealer: TokenSealer;
  /** Defaults to the repository's drizzle/ folder, wherever the process was started from. */
  migrationsFolder?: string;
  /** Clock for createdAt/updatedAt (epoch ms). */
  now?: () => number;
}

/** Opens (creating if needed) and migrates the database, then hands out the repositories. */
export function openDatabase(options: OpenDatabaseOptions): Database {
  const client = openConnection(resolveDatabasePath(options.url));
  const db = toDrizzle(client);
  try {
    migrate(db, { migrationsFolder: options.migrationsFolder ?? DEFAULT_MIGRATIONS_FOLDER });
  } catch (error) {
    client.close();
    throw error;
  }
  const now = options.now ?? Date.now;
  const quickCheck = client.prepare('PRAGMA quick_check').pluck();
  const trivialRead = client.prepare('SELECT count(*) FROM linkedin_links').pluck();

  return {
    repos: {
      links: buildLinksRepo(db, options.sealer, now),
      oauthStates: buildOAuthStatesRepo(db),
      queries: buildQueriesRepo(db, now),
      preferences: buildPreferencesRepo(db, now),
    },
    ping() {
      try {
        return quickCheck.get() === 'ok' && typeof trivialRead.get() === 'number';
      } catch {
        return false;
      }
    },
    close() {
      checkpointAndClose(client);
    },
  };
}

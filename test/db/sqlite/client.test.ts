import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseUrlError } from '../../../src/db/errors.js';
import { openDatabase } from '../../../src/db/sqlite/client.js';
import { openConnection, resolveDatabasePath } from '../../../src/db/sqlite/connection.js';
import { makeTempDir, openTestDb, sampleLink, type TempDir, testSealer } from '../helpers.js';

const TABLES = [
  '__drizzle_migrations',
  'linkedin_links',
  'oauth_states',
  'saved_queries',
  'user_preferences',
  'workspace_settings',
];

function inspect(file: string) {
  const raw = new BetterSqlite3(file, { readonly: true });
  try {
    return {
      journalMode: raw.pragma('journal_mode', { simple: true }),
      tables: raw
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .pluck()
        .all() as string[],
      migrations: raw.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get(),
    };
  } finally {
    raw.close();
  }
}

describe('openDatabase', () => {
  let dir: TempDir;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => dir.remove());

  it('creates the parent folder, migrates, and leaves the file in WAL mode', () => {
    const file = join(dir.path, 'deeper', 'still', 'bot.sqlite');
    const db = openDatabase({ url: file, sealer: testSealer() });
    db.close();
    const state = inspect(file);
    expect(state.journalMode).toBe('wal');
    expect(state.tables).toEqual(TABLES);
    expect(state.migrations).toBe(1);
  });

  it('applies migrations once: reopening keeps the data and adds no migration row', () => {
    const sealer = testSealer();
    const first = openTestDb(dir, { sealer });
    first.repos.links.upsert(sampleLink());
    first.close();
    const second = openTestDb(dir, { sealer });
    expect(second.repos.links.get(sampleLink())?.accessToken).toBe(sampleLink().accessToken);
    second.close();
    expect(inspect(dir.file('bot.sqlite')).migrations).toBe(1);
  });

  it('finds its migrations whatever the working directory', () => {
    const previous = process.cwd();
    process.chdir(dir.path);
    try {
      const db = openDatabase({ url: 'relative/bot.sqlite', sealer: testSealer() });
      db.repos.preferences.setWorkspaceChartStyle('T1', 'native');
      db.close();
    } finally {
      process.chdir(previous);
    }
    expect(inspect(join(dir.path, 'relative', 'bot.sqlite')).tables).toEqual(TABLES);
  });

  it('fails clearly when the migrations folder is missing', () => {
    expect(() =>
      openDatabase({ url: dir.file('bot.sqlite'), sealer: testSealer(), migrationsFolder: dir.file('nowhere') }),
    ).toThrow(/_journal\.json/);
  });

  it('works in memory', () => {
    const db = openDatabase({ url: ':memory:', sealer: testSealer() });
    db.repos.links.upsert(sampleLink());
    expect(db.repos.links.count()).toBe(1);
    expect(db.ping()).toBe(true);
    db.close();
  });

  it('pings while open, answers false once closed, and closes idempotently', () => {
    const db = openTestDb(dir);
    expect(db.ping()).toBe(true);
    db.close();
    expect(db.ping()).toBe(false);
    expect(() => db.close()).not.toThrow();
  });

  it('checkpoints on close: the WAL is emptied into the main file', () => {
    const db = openTestDb(dir);
    db.repos.links.upsert(sampleLink());
    const wal = dir.file('bot.sqlite-wal');
    expect(statSync(wal).size).toBeGreaterThan(0);
    db.close();
    expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);
  });
});

describe('openConnection', () => {
  let dir: TempDir;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => dir.remove());

  it('sets WAL, synchronous=NORMAL, foreign keys and a busy timeout', () => {
    const client = openConnection(dir.file('c.sqlite'));
    try {
      expect(client.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(client.pragma('synchronous', { simple: true })).toBe(1);
      expect(client.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(client.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
    } finally {
      client.close();
    }
  });

  it('does not create a database that must exist', () => {
    expect(() => openConnection(dir.file('absent.sqlite'), { mustExist: true })).toThrow();
    expect(readdirSync(dir.path)).toEqual([]);
  });
});

describe('resolveDatabasePath', () => {
  it('accepts paths, file: URLs and :memory:', () => {
    expect(resolveDatabasePath('./data/bot.sqlite')).toBe('./data/bot.sqlite');
    expect(resolveDatabasePath(' /var/lib/bot.sqlite ')).toBe('/var/lib/bot.sqlite');
    expect(resolveDatabasePath('file:./data/bot.sqlite')).toBe('./data/bot.sqlite');
    expect(resolveDatabasePath('file:///var/lib/bot.sqlite')).toBe('/var/lib/bot.sqlite');
    expect(resolveDatabasePath(':memory:')).toBe(':memory:');
  });

  it('refuses other schemes without repeating the URL (it may hold a password)', () => {
    const url = 'postgres://bot:s3cret@db.internal/bot';
    expect(() => resolveDatabasePath(url)).toThrow(DatabaseUrlError);
    try {
      resolveDatabasePath(url);
    } catch (error) {
      expect((error as Error).message).toContain('postgres:');
      expect((error as Error).message).not.toContain('s3cret');
    }
  });
});

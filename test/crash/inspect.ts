/**
 * What the crash test finds when it restarts: opens the database the way the bot does (migrations re-run), checks
 * SQLite's own integrity, then reads every row through the repositories and checks it is one whole write.
 */
import type { TokenSealer } from '../../src/crypto/sealer.js';
import { openDatabase } from '../../src/db/sqlite/client.js';
import { openConnection } from '../../src/db/sqlite/connection.js';
import type { QueryStatus, SlackUserKey } from '../../src/db/types.js';
import { CHART_STYLES, checkLink, checkPreferences, checkQuery, errorCode, stateDataOf } from './workload.js';

export interface Inspection {
  /** The rows of `PRAGMA integrity_check`: exactly `['ok']` for a sound file. */
  integrity: string[];
  foreignKeyViolations: number;
  migrationsApplied: number;
  ping: boolean;
  /** `team/user` → generations of the stored tokens. */
  links: Map<string, { access: number; refresh: number }>;
  queries: Map<string, { status: QueryStatus; shared: boolean }>;
  statesConsumed: number;
  statesTotal: number;
  preferenceRows: number;
  /** Each row that is not one whole write, with what is wrong with it. */
  problems: string[];
}

interface StateRow {
  id: string;
  createdAt: number;
  expiresAt: number;
  consumedAt: number | null;
  data: string | null;
}

export function inspectDatabase(file: string, sealer: TokenSealer): Inspection {
  const db = openDatabase({ url: file, sealer });
  const raw = openConnection(file, { mustExist: true });
  try {
    const all = <T>(sql: string) => raw.prepare(sql).all() as T[];
    const column = <T>(sql: string) => raw.prepare(sql).pluck().all() as T[];
    const problems: string[] = [];
    // SQLite's own verdict first: reading a damaged file could fail before it is asked.
    const integrity = column<string>('PRAGMA integrity_check');
    const foreignKeyViolations = all('PRAGMA foreign_key_check').length;
    const migrationsApplied = column<number>('SELECT count(*) FROM __drizzle_migrations')[0] ?? 0;
    /** Runs a row's check; a row that cannot even be decoded is a problem of that row, not a crash of the test. */
    const checkRow = <T>(name: string, fallback: T, check: () => T & { problems: string[] }): T => {
      try {
        const result = check();
        for (const problem of result.problems) problems.push(`${name} ${problem}`);
        return result;
      } catch (error) {
        problems.push(`${name} cannot be read: ${errorCode(error)}`);
        return fallback;
      }
    };

    const links = new Map<string, { access: number; refresh: number }>();
    for (const key of all<SlackUserKey>('SELECT team_id AS teamId, user_id AS userId FROM linkedin_links')) {
      const name = `${key.teamId}/${key.userId}`;
      const check = checkRow(`link ${name}`, { accessGeneration: -1, refreshGeneration: -1 }, () => checkLink(db, key));
      links.set(name, { access: check.accessGeneration, refresh: check.refreshGeneration });
    }

    const queries = new Map<string, { status: QueryStatus; shared: boolean }>();
    for (const id of column<string>('SELECT id FROM saved_queries')) {
      const check = checkRow(`query ${id}`, { status: 'pending' as QueryStatus, shared: false }, () =>
        checkQuery(db, id),
      );
      queries.set(id, { status: check.status, shared: check.shared });
    }

    // The repository has no read of a state short of consuming it, so its rows are read directly.
    const states = all<StateRow>(
      'SELECT id, created_at AS createdAt, expires_at AS expiresAt, consumed_at AS consumedAt, data FROM oauth_states',
    );
    for (const state of states) {
      if (state.data !== JSON.stringify(stateDataOf(state.id))) problems.push(`state ${state.id} data is not whole`);
      if (state.consumedAt !== null && (state.consumedAt < state.createdAt || state.consumedAt >= state.expiresAt)) {
        problems.push(`state ${state.id} was consumed outside its lifetime`);
      }
    }

    const preferenceKeys = all<SlackUserKey>('SELECT team_id AS teamId, user_id AS userId FROM user_preferences');
    for (const key of preferenceKeys) {
      checkRow(`preferences ${key.teamId}/${key.userId}`, {}, () => ({ problems: checkPreferences(db, key) }));
    }
    for (const teamId of column<string>('SELECT team_id FROM workspace_settings')) {
      const style = db.repos.preferences.getWorkspaceChartStyle(teamId);
      if (!CHART_STYLES.some((known) => known === style)) problems.push(`workspace ${teamId} has chart style ${style}`);
    }

    return {
      integrity,
      foreignKeyViolations,
      migrationsApplied,
      ping: db.ping(),
      links,
      queries,
      statesConsumed: states.filter((state) => state.consumedAt !== null).length,
      statesTotal: states.length,
      preferenceRows: preferenceKeys.length,
      problems,
    };
  } finally {
    raw.close();
    db.close();
  }
}

/** Every row of every table, keyed `table:rowid`: to tell exactly which rows two states of the file differ in. */
export function dumpRows(file: string): Map<string, string> {
  const raw = openConnection(file, { mustExist: true });
  try {
    const tables = raw
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .pluck()
      .all() as string[];
    const rows = new Map<string, string>();
    for (const table of tables) {
      for (const row of raw.prepare(`SELECT rowid AS row_id, * FROM "${table}"`).all() as Array<{ row_id: number }>) {
        rows.set(`${table}:${row.row_id}`, JSON.stringify(row));
      }
    }
    return rows;
  } finally {
    raw.close();
  }
}

/** The `table:rowid` keys whose rows differ between two dumps, or exist in one only. */
export function changedRows(a: Map<string, string>, b: Map<string, string>): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((key) => a.get(key) !== b.get(key));
}

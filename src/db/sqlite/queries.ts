import { and, desc, eq, sql } from 'drizzle-orm';
import { savedQueries } from '../schema.js';
import type { QueriesRepo, StoredQuery } from '../types.js';
import type { SqliteDb } from './connection.js';

type QueryRow = typeof savedQueries.$inferSelect;
type QueryInsert = typeof savedQueries.$inferInsert;
type Patch = Parameters<QueriesRepo['update']>[1];

/** The optional fields a patch may set or clear; everything else is required or immutable. */
const OPTIONAL_FIELDS = [
  'compareSpec',
  'parentId',
  'result',
  'compareResult',
  'names',
  'error',
  'chartStyle',
  'channelId',
  'sharedChannelId',
  'sharedTs',
] as const satisfies ReadonlyArray<keyof Patch & keyof QueryInsert>;

const fromRow = (row: QueryRow): StoredQuery => {
  const query: StoredQuery = {
    id: row.id,
    teamId: row.teamId,
    userId: row.userId,
    spec: row.spec,
    status: row.status,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
  for (const field of OPTIONAL_FIELDS) {
    const value = row[field];
    if (value !== null) Object.assign(query, { [field]: value });
  }
  return query;
};

export function buildQueriesRepo(db: SqliteDb, now: () => number): QueriesRepo {
  const get = (id: string) => {
    const row = db.select().from(savedQueries).where(eq(savedQueries.id, id)).get();
    return row ? fromRow(row) : undefined;
  };

  return {
    create(query) {
      const at = now();
      const values: QueryInsert = {
        id: query.id,
        teamId: query.teamId,
        userId: query.userId,
        spec: query.spec,
        status: query.status,
        createdAt: at,
        updatedAt: at,
      };
      for (const field of OPTIONAL_FIELDS) Object.assign(values, { [field]: query[field] ?? null });
      const row = db.insert(savedQueries).values(values).returning().get();
      return fromRow(row);
    },

    get,

    /**
     * A field present in the patch with `undefined` is cleared (e.g. `{ error: undefined }` after a retry);
     * an absent field is left alone.
     */
    update(id, patch) {
      const set: Partial<QueryInsert> = { updatedAt: now() };
      if (patch.spec !== undefined) set.spec = patch.spec;
      if (patch.status !== undefined) set.status = patch.status;
      for (const field of OPTIONAL_FIELDS) {
        if (Object.hasOwn(patch, field)) Object.assign(set, { [field]: patch[field] ?? null });
      }
      const row = db.update(savedQueries).set(set).where(eq(savedQueries.id, id)).returning().get();
      return row ? fromRow(row) : undefined;
    },

    listRecent(key, limit) {
      if (limit <= 0) return [];
      return (
        db
          .select()
          .from(savedQueries)
          .where(and(eq(savedQueries.teamId, key.teamId), eq(savedQueries.userId, key.userId)))
          // rowid breaks ties between queries created in the same millisecond: the later insert comes first.
          .orderBy(desc(savedQueries.createdAt), desc(sql`rowid`))
          .limit(Math.floor(limit))
          .all()
          .map(fromRow)
      );
    },
  };
}

import { and, eq, isNull, lte } from 'drizzle-orm';
import { oauthStates } from '../schema.js';
import type { OAuthStateRecord, OAuthStatesRepo } from '../types.js';
import type { SqliteDb } from './connection.js';

type StateRow = typeof oauthStates.$inferSelect;

const fromRow = (row: StateRow): OAuthStateRecord => ({
  id: row.id,
  kind: row.kind,
  teamId: row.teamId,
  userId: row.userId,
  createdAt: row.createdAt,
  expiresAt: row.expiresAt,
  consumedAt: row.consumedAt ?? undefined,
  data: row.data ?? undefined,
});

export function buildOAuthStatesRepo(db: SqliteDb): OAuthStatesRepo {
  return {
    create(record) {
      db.insert(oauthStates)
        .values({
          id: record.id,
          kind: record.kind,
          teamId: record.teamId,
          userId: record.userId,
          createdAt: record.createdAt,
          expiresAt: record.expiresAt,
          data: record.data ?? null,
        })
        .run();
    },

    consume(id, kind, now) {
      // IMMEDIATE takes the write lock before the read, so two consumers (even in two processes) cannot both
      // see the record unused.
      return db.transaction(
        (tx) => {
          const row = tx.select().from(oauthStates).where(eq(oauthStates.id, id)).get();
          // A value of another kind is as good as unknown: a link ticket must not pass as an OAuth state.
          if (!row || row.kind !== kind) return { ok: false, reason: 'unknown' } as const;
          if (row.consumedAt !== null) return { ok: false, reason: 'used' } as const;
          if (row.expiresAt <= now) return { ok: false, reason: 'expired' } as const;
          const marked = tx
            .update(oauthStates)
            .set({ consumedAt: now })
            .where(and(eq(oauthStates.id, id), isNull(oauthStates.consumedAt)))
            .run();
          if (marked.changes !== 1) return { ok: false, reason: 'used' } as const;
          return { ok: true, record: fromRow({ ...row, consumedAt: now }) } as const;
        },
        { behavior: 'immediate' },
      );
    },

    deleteExpired(now) {
      return db.delete(oauthStates).where(lte(oauthStates.expiresAt, now)).run().changes;
    },
  };
}

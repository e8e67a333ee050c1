import { and, count, eq } from 'drizzle-orm';
import type { TokenSealer } from '../../crypto/sealer.js';
import { linkedinLinks } from '../schema.js';
import type { LinkedInLink, LinksRepo, SlackUserKey } from '../types.js';
import type { SqliteDb } from './connection.js';

type LinkRow = typeof linkedinLinks.$inferSelect;
export type TokenField = 'access_token' | 'refresh_token';

/**
 * What a sealed token is bound to: a sealed value copied into another person's row, or from the refresh column
 * into the access column, does not open. Key rotation seals with the same context.
 */
export function tokenContext(key: SlackUserKey, field: TokenField): string {
  // JSON keeps the parts apart whatever characters the ids hold.
  return JSON.stringify(['linkedin_links', field, key.teamId, key.userId]);
}

const byKey = (key: SlackUserKey) => and(eq(linkedinLinks.teamId, key.teamId), eq(linkedinLinks.userId, key.userId));

export function buildLinksRepo(db: SqliteDb, sealer: TokenSealer, now: () => number): LinksRepo {
  const sealField = (key: SlackUserKey, field: TokenField, token: string) =>
    sealer.seal(token, tokenContext(key, field));

  const fromRow = (row: LinkRow): LinkedInLink => ({
    teamId: row.teamId,
    userId: row.userId,
    memberUrn: row.memberUrn,
    memberName: row.memberName,
    accessToken: sealer.open(row.accessTokenSealed, tokenContext(row, 'access_token')),
    accessTokenExpiresAt: row.accessTokenExpiresAt,
    refreshToken:
      row.refreshTokenSealed === null
        ? undefined
        : sealer.open(row.refreshTokenSealed, tokenContext(row, 'refresh_token')),
    refreshTokenExpiresAt: row.refreshTokenExpiresAt ?? undefined,
    scopes: row.scopes,
    status: row.status,
    relinkNotifiedAt: row.relinkNotifiedAt ?? undefined,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  });

  return {
    get(key) {
      const row = db.select().from(linkedinLinks).where(byKey(key)).get();
      return row ? fromRow(row) : undefined;
    },

    upsert(link) {
      const at = now();
      const values = {
        teamId: link.teamId,
        userId: link.userId,
        memberUrn: link.memberUrn,
        memberName: link.memberName,
        accessTokenSealed: sealField(link, 'access_token', link.accessToken),
        accessTokenExpiresAt: link.accessTokenExpiresAt,
        refreshTokenSealed:
          link.refreshToken === undefined ? null : sealField(link, 'refresh_token', link.refreshToken),
        refreshTokenExpiresAt: link.refreshTokenExpiresAt ?? null,
        scopes: link.scopes,
        status: link.status,
        relinkNotifiedAt: link.relinkNotifiedAt ?? null,
      };
      // One statement already is atomic; the transaction also covers reading back the kept creation time.
      const createdAt = db.transaction(
        (tx) => {
          const row = tx
            .insert(linkedinLinks)
            .values({ ...values, createdAt: at, updatedAt: at })
            .onConflictDoUpdate({
              target: [linkedinLinks.teamId, linkedinLinks.userId],
              set: { ...values, updatedAt: at },
            })
            .returning({ createdAt: linkedinLinks.createdAt })
            .get();
          return row.createdAt;
        },
        { behavior: 'immediate' },
      );
      return {
        teamId: link.teamId,
        userId: link.userId,
        memberUrn: link.memberUrn,
        memberName: link.memberName,
        accessToken: link.accessToken,
        accessTokenExpiresAt: link.accessTokenExpiresAt,
        refreshToken: link.refreshToken,
        refreshTokenExpiresAt: link.refreshTokenExpiresAt,
        scopes: [...link.scopes],
        status: link.status,
        relinkNotifiedAt: link.relinkNotifiedAt,
        createdAt,
        updatedAt: at,
      };
    },

    updateTokens(key, tokens) {
      // Without a new refresh token LinkedIn's previous one stays valid, so it is kept.
      const refresh =
        tokens.refreshToken === undefined
          ? {}
          : {
              refreshTokenSealed: sealField(key, 'refresh_token', tokens.refreshToken),
              refreshTokenExpiresAt: tokens.refreshTokenExpiresAt ?? null,
            };
      db.update(linkedinLinks)
        .set({
          accessTokenSealed: sealField(key, 'access_token', tokens.accessToken),
          accessTokenExpiresAt: tokens.accessTokenExpiresAt,
          ...refresh,
          // Working tokens make the link healthy again; a later failure must be announced again.
          status: 'active',
          relinkNotifiedAt: null,
          updatedAt: now(),
        })
        .where(byKey(key))
        .run();
    },

    markNeedsRelink(key, notifiedAt) {
      db.update(linkedinLinks)
        .set({
          status: 'needs_relink',
          // Without a time, an earlier notification still counts.
          ...(notifiedAt === undefined ? {} : { relinkNotifiedAt: notifiedAt }),
          updatedAt: now(),
        })
        .where(byKey(key))
        .run();
    },

    delete(key) {
      return db.delete(linkedinLinks).where(byKey(key)).run().changes > 0;
    },

    count() {
      return db.select({ n: count() }).from(linkedinLinks).get()?.n ?? 0;
    },
  };
}

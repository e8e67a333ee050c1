import { and, eq } from 'drizzle-orm';
import { SealedTokenError } from '../crypto/errors.js';
import { createTokenSealer, keyIdOf } from '../crypto/sealer.js';
import { TokenRotationError } from './errors.js';
import { linkedinLinks } from './schema.js';
import { checkpointAndClose, openConnection, resolveDatabasePath, toDrizzle } from './sqlite/connection.js';
import { type TokenField, tokenContext } from './sqlite/links.js';

export interface RotationReport {
  /** Links with at least one token re-sealed under the new key. */
  resealedLinks: number;
  resealedTokens: number;
  /** Links whose tokens were all sealed with the new key already (e.g. a second run). */
  alreadyCurrentLinks: number;
  totalLinks: number;
}

/**
 * Re-seals every stored token from `oldKey` to `newKey` in one transaction: either all links move to the new key
 * or none does. Tokens already under the new key are left as they are, so an interrupted or repeated run is safe.
 * Run it while the bot is stopped, then start the bot with the new key: a bot still holding the old key would
 * keep sealing with it.
 */
export function rotateTokenKey(databaseUrl: string, oldKey: Buffer, newKey: Buffer): RotationReport {
  const sealer = createTokenSealer({ current: newKey, previous: [oldKey] });
  if (keyIdOf(oldKey) === sealer.currentKeyId)
    throw new TokenRotationError('The old and the new key are the same key.');
  const path = resolveDatabasePath(databaseUrl);
  if (path === ':memory:') throw new TokenRotationError('Key rotation works on a database file, not :memory:.');

  let client: ReturnType<typeof openConnection>;
  try {
    client = openConnection(path, { mustExist: true });
  } catch {
    throw new TokenRotationError(`There is no database at ${path}.`);
  }
  try {
    const hasLinks = client
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'linkedin_links'")
      .pluck()
      .get();
    if (!hasLinks)
      throw new TokenRotationError(`${path} has no linkedin_links table: start the bot once to create it.`);
    // Overwrite the freed bytes of the old ciphertexts instead of leaving them in free space.
    client.pragma('secure_delete = ON');

    const db = toDrizzle(client);
    return db.transaction(
      (tx) => {
        const report: RotationReport = { resealedLinks: 0, resealedTokens: 0, alreadyCurrentLinks: 0, totalLinks: 0 };
        const rows = tx
          .select({
            teamId: linkedinLinks.teamId,
            userId: linkedinLinks.userId,
            accessTokenSealed: linkedinLinks.accessTokenSealed,
            refreshTokenSealed: linkedinLinks.refreshTokenSealed,
          })
          .from(linkedinLinks)
          .all();
        for (const row of rows) {
          report.totalLinks += 1;
          const reseal = (field: TokenField, sealed: string) => {
            if (!sealer.needsReseal(sealed)) return undefined;
            const context = tokenContext(row, field);
            try {
              return sealer.seal(sealer.open(sealed, context), context);
            } catch (error) {
              if (error instanceof SealedTokenError) {
                throw new TokenRotationError(
                  `The ${field.replace('_', ' ')} of the link of ${row.teamId}/${row.userId} cannot be opened with ` +
                    `either key (${error.code}); nothing was changed.`,
                );
              }
              throw error;
            }
          };
          const access = reseal('access_token', row.accessTokenSealed);
          const refresh = row.refreshTokenSealed === null ? undefined : reseal('refresh_token', row.refreshTokenSealed);
          if (access === undefined && refresh === undefined) {
            report.alreadyCurrentLinks += 1;
            continue;
          }
          tx.update(linkedinLinks)
            .set({
              ...(access === undefined ? {} : { accessTokenSealed: access }),
              ...(refresh === undefined ? {} : { refreshTokenSealed: refresh }),
            })
            .where(and(eq(linkedinLinks.teamId, row.teamId), eq(linkedinLinks.userId, row.userId)))
            .run();
          report.resealedLinks += 1;
          report.resealedTokens += (access === undefined ? 0 : 1) + (refresh === undefined ? 0 : 1);
        }
        return report;
      },
      { behavior: 'immediate' },
    );
  } finally {
    checkpointAndClose(client);
  }
}

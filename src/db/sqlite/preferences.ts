import { and, eq } from 'drizzle-orm';
import { userPreferences, workspaceSettings } from '../schema.js';
import type { PreferencesRepo, SlackUserKey } from '../types.js';
import type { SqliteDb } from './connection.js';

const byUser = (key: SlackUserKey) =>
  and(eq(userPreferences.teamId, key.teamId), eq(userPreferences.userId, key.userId));

export function buildPreferencesRepo(db: SqliteDb, now: () => number): PreferencesRepo {
  const readUser = (key: SlackUserKey) => db.select().from(userPreferences).where(byUser(key)).get();

  const writeUser = (
    key: SlackUserKey,
    fields: Partial<
      Pick<typeof userPreferences.$inferInsert, 'defaultAccountUrn' | 'cachedAccounts' | 'cachedAccountsAt'>
    >,
  ) => {
    const updatedAt = now();
    db.insert(userPreferences)
      .values({ teamId: key.teamId, userId: key.userId, ...fields, updatedAt })
      .onConflictDoUpdate({ target: [userPreferences.teamId, userPreferences.userId], set: { ...fields, updatedAt } })
      .run();
  };

  return {
    getDefaultAccount(key) {
      return readUser(key)?.defaultAccountUrn ?? undefined;
    },
    setDefaultAccount(key, accountUrn) {
      writeUser(key, { defaultAccountUrn: accountUrn ?? null });
    },
    getCachedAccounts(key) {
      return readUser(key)?.cachedAccounts ?? undefined;
    },
    setCachedAccounts(key, accounts) {
      const at = now();
      writeUser(key, { cachedAccounts: accounts, cachedAccountsAt: at });
    },
    getWorkspaceChartStyle(teamId) {
      return (
        db.select().from(workspaceSettings).where(eq(workspaceSettings.teamId, teamId)).get()?.chartStyle ?? undefined
      );
    },
    setWorkspaceChartStyle(teamId, style) {
      const fields = { chartStyle: style ?? null, updatedAt: now() };
      db.insert(workspaceSettings)
        .values({ teamId, ...fields })
        .onConflictDoUpdate({ target: workspaceSettings.teamId, set: fields })
        .run();
    },
  };
}

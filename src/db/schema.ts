/**
 * SQLite tables behind the storage contract in types.ts. Times are epoch milliseconds in plain integers (as the
 * contract speaks them); JSON columns hold documents the bot only ever reads whole. Token columns hold sealed
 * values (crypto/sealer.ts), never the tokens themselves.
 */
import { type AnySQLiteColumn, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { AudienceInsight, MemberAdAccount } from '../linkedin/types.js';
import type { AudienceQuerySpec, QueryError } from './types.js';

export const linkedinLinks = sqliteTable(
  'linkedin_links',
  {
    teamId: text('team_id').notNull(),
    userId: text('user_id').notNull(),
    memberUrn: text('member_urn').notNull(),
    memberName: text('member_name').notNull(),
    accessTokenSealed: text('access_token_sealed').notNull(),
    accessTokenExpiresAt: integer('access_token_expires_at').notNull(),
    refreshTokenSealed: text('refresh_token_sealed'),
    refreshTokenExpiresAt: integer('refresh_token_expires_at'),
    scopes: text('scopes', { mode: 'json' }).$type<string[]>().notNull(),
    status: text('status', { enum: ['active', 'needs_relink'] })
      .notNull()
      .default('active'),
    relinkNotifiedAt: integer('relink_notified_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] }), index('linkedin_links_member_idx').on(t.memberUrn)],
);

/** Single-use, expiring values: link tickets handed out in Slack and OAuth `state` parameters. */
export const oauthStates = sqliteTable(
  'oauth_states',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: ['link_ticket', 'oauth_state'] }).notNull(),
    teamId: text('team_id').notNull(),
    userId: text('user_id').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    consumedAt: integer('consumed_at'),
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>(),
  },
  (t) => [index('oauth_states_expires_idx').on(t.expiresAt)],
);

export const savedQueries = sqliteTable(
  'saved_queries',
  {
    id: text('id').primaryKey(),
    teamId: text('team_id').notNull(),
    userId: text('user_id').notNull(),
    spec: text('spec', { mode: 'json' }).$type<AudienceQuerySpec>().notNull(),
    compareSpec: text('compare_spec', { mode: 'json' }).$type<AudienceQuerySpec>(),
    // A derived query (break down, edit) outlives the removal of the one it came from.
    parentId: text('parent_id').references((): AnySQLiteColumn => savedQueries.id, { onDelete: 'set null' }),
    status: text('status', { enum: ['pending', 'done', 'failed'] }).notNull(),
    result: text('result', { mode: 'json' }).$type<AudienceInsight>(),
    compareResult: text('compare_result', { mode: 'json' }).$type<AudienceInsight>(),
    names: text('names', { mode: 'json' }).$type<Record<string, string>>(),
    error: text('error', { mode: 'json' }).$type<QueryError>(),
    chartStyle: text('chart_style'),
    channelId: text('channel_id'),
    sharedChannelId: text('shared_channel_id'),
    sharedTs: text('shared_ts'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('saved_queries_owner_created_idx').on(t.teamId, t.userId, t.createdAt),
    index('saved_queries_parent_idx').on(t.parentId),
  ],
);

export const userPreferences = sqliteTable(
  'user_preferences',
  {
    teamId: text('team_id').notNull(),
    userId: text('user_id').notNull(),
    defaultAccountUrn: text('default_account_urn'),
    cachedAccounts: text('cached_accounts', { mode: 'json' }).$type<MemberAdAccount[]>(),
    cachedAccountsAt: integer('cached_accounts_at'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] })],
);

export const workspaceSettings = sqliteTable('workspace_settings', {
  teamId: text('team_id').primaryKey(),
  chartStyle: text('chart_style'),
  updatedAt: integer('updated_at').notNull(),
});

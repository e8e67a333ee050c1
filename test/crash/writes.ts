/**
 * The stream of writes a running bot makes, through the real repositories: links created, refreshed and re-linked,
 * saved queries created and completed with large results, OAuth states consumed, preferences set. The writer
 * process runs it until killed; the negative test runs it in-process.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Database, LinkStatus, SlackUserKey } from '../../src/db/types.js';
import {
  accessExpiryOf,
  accountsOf,
  CHART_STYLES,
  channelOf,
  checkLink,
  errorOf,
  failsOf,
  MAX_ACCOUNTS,
  makeToken,
  memberNameOf,
  memberUrnOf,
  namesOf,
  parentIdOf,
  queryId,
  refreshExpiryOf,
  resultOf,
  SCOPES,
  sharedTsOf,
  specOf,
  stateDataOf,
  TEAM_IDS,
} from './workload.js';

export interface KnownLink {
  key: SlackUserKey;
  accessGeneration: number;
  refreshGeneration: number;
  status: LinkStatus;
}

/** What the writer continues from: the rows earlier (killed) writers left behind. */
export interface WriterState {
  links: KnownLink[];
  /** Queries awaiting their result, oldest first. */
  pending: string[];
  /** Completed queries not yet shared to a channel. */
  unshared: string[];
}

/**
 * Counts of committed writes of this writer; a line with them is printed only after the writes it counts returned,
 * so whatever a printed line claims must be found in the database after the kill.
 */
export interface WriteCounts {
  writes: number;
  linksCreated: number;
  tokenUpdates: number;
  /** Sum of the access-token generations of all links: grows by one per committed refresh or re-link. */
  generationSum: number;
  queriesCreated: number;
  queriesFinished: number;
  queriesShared: number;
  statesConsumed: number;
}

export function readWriterState(db: Database, raw: BetterSqlite3.Database): WriterState {
  const keys = raw
    .prepare('SELECT team_id AS teamId, user_id AS userId FROM linkedin_links ORDER BY rowid')
    .all() as SlackUserKey[];
  const links = keys.map((key) => {
    const check = checkLink(db, key);
    if (check.problems.length > 0) throw new Error(`link ${key.teamId}/${key.userId} ${check.problems.join('; ')}`);
    return {
      key,
      accessGeneration: check.accessGeneration,
      refreshGeneration: check.refreshGeneration,
      status: check.status ?? 'active',
    };
  });
  const ids = (sql: string) => raw.prepare(sql).pluck().all() as string[];
  return {
    links,
    pending: ids("SELECT id FROM saved_queries WHERE status = 'pending' ORDER BY created_at, rowid"),
    unshared: ids("SELECT id FROM saved_queries WHERE status = 'done' AND shared_ts IS NULL ORDER BY rowid"),
  };
}

const QUERIES_IN_FLIGHT = 3;
const randomIndex = (length: number) => Math.floor(Math.random() * length);

export function buildWriter(db: Database, run: string, state: WriterState) {
  const { links, oauthStates, queries, preferences } = db.repos;
  const counts: WriteCounts = {
    writes: 0,
    linksCreated: 0,
    tokenUpdates: 0,
    generationSum: state.links.reduce((sum, link) => sum + link.accessGeneration, 0),
    queriesCreated: 0,
    queriesFinished: 0,
    queriesShared: 0,
    statesConsumed: 0,
  };
  let userSeq = 0;
  let querySeq = 0;
  let stateSeq = 0;
  const someLink = () => state.links[randomIndex(state.links.length)];

  const upsertGeneration = (key: SlackUserKey, generation: number) => {
    links.upsert({
      ...key,
      memberUrn: memberUrnOf(key),
      memberName: memberNameOf(key),
      accessToken: makeToken(key, 'access', generation),
      accessTokenExpiresAt: accessExpiryOf(generation),
      refreshToken: makeToken(key, 'refresh', generation),
      refreshTokenExpiresAt: refreshExpiryOf(generation),
      scopes: SCOPES,
      status: 'active',
    });
    counts.writes += 1;
  };

  const operations = {
    createLink() {
      const key = { teamId: TEAM_IDS[userSeq % TEAM_IDS.length]!, userId: `U${run}${userSeq}`.toUpperCase() };
      userSeq += 1;
      upsertGeneration(key, 1);
      state.links.push({ key, accessGeneration: 1, refreshGeneration: 1, status: 'active' });
      counts.linksCreated += 1;
      counts.generationSum += 1;
    },
    refreshTokens() {
      const link = someLink();
      if (!link) return;
      const generation = link.accessGeneration + 1;
      // LinkedIn does not always return a new refresh token; then the stored one is kept.
      const newRefresh = Math.random() < 0.75;
      links.updateTokens(link.key, {
        accessToken: makeToken(link.key, 'access', generation),
        accessTokenExpiresAt: accessExpiryOf(generation),
        ...(newRefresh
          ? {
              refreshToken: makeToken(link.key, 'refresh', generation),
              refreshTokenExpiresAt: refreshExpiryOf(generation),
            }
          : {}),
      });
      counts.writes += 1;
      link.accessGeneration = generation;
      if (newRefresh) link.refreshGeneration = generation;
      link.status = 'active';
      counts.tokenUpdates += 1;
      counts.generationSum += 1;
    },
    relink() {
      const link = someLink();
      if (!link) return;
      if (link.status === 'active' && Math.random() < 0.5) {
        links.markNeedsRelink(link.key, Date.now());
        counts.writes += 1;
        link.status = 'needs_relink';
        return;
      }
      const generation = link.accessGeneration + 1;
      upsertGeneration(link.key, generation);
      link.accessGeneration = generation;
      link.refreshGeneration = generation;
      link.status = 'active';
      counts.tokenUpdates += 1;
      counts.generationSum += 1;
    },
    createQuery() {
      const owner = someLink()?.key ?? { teamId: TEAM_IDS[0], userId: `U${run}`.toUpperCase() };
      const id = queryId(run, querySeq);
      querySeq += 1;
      queries.create({
        id,
        ...owner,
        spec: specOf(id),
        parentId: parentIdOf(id),
        status: 'pending',
        channelId: channelOf(id),
      });
      counts.writes += 1;
      state.pending.push(id);
      counts.queriesCreated += 1;
    },
    finishQuery() {
      // LinkedIn answers after a while: a few queries are always in flight, and a restart finds them pending.
      if (state.pending.length <= QUERIES_IN_FLIGHT) return;
      const id = state.pending.shift()!;
      if (failsOf(id)) {
        queries.update(id, { status: 'failed', error: errorOf(id) });
      } else {
        queries.update(id, { status: 'done', result: resultOf(id), names: namesOf(id), error: undefined });
        state.unshared.push(id);
      }
      counts.writes += 1;
      counts.queriesFinished += 1;
    },
    shareQuery() {
      const id = state.unshared.shift();
      if (id === undefined) return;
      queries.update(id, { sharedChannelId: channelOf(id), sharedTs: sharedTsOf(id) });
      counts.writes += 1;
      counts.queriesShared += 1;
    },
    consumeState() {
      const link = someLink();
      if (!link) return;
      const id = `st_${run}_${stateSeq}`;
      const kind = stateSeq % 2 === 0 ? 'link_ticket' : 'oauth_state';
      stateSeq += 1;
      const now = Date.now();
      oauthStates.create({ id, kind, ...link.key, createdAt: now, expiresAt: now + 600_000, data: stateDataOf(id) });
      counts.writes += 1;
      const consumed = oauthStates.consume(id, kind, now + 1);
      if (!consumed.ok) throw new Error(`a fresh state could not be consumed: ${consumed.reason}`);
      counts.writes += 1;
      counts.statesConsumed += 1;
    },
    setPreferences() {
      const link = someLink();
      if (!link) return;
      // Each write changes a value, not only a time, so a lost write always shows in the rows.
      const cachedCount = preferences.getCachedAccounts(link.key)?.length ?? 0;
      const count =
        cachedCount === 0
          ? 1 + randomIndex(MAX_ACCOUNTS)
          : ((cachedCount + randomIndex(MAX_ACCOUNTS - 1)) % MAX_ACCOUNTS) + 1;
      const accounts = accountsOf(link.key, count);
      preferences.setCachedAccounts(link.key, accounts);
      counts.writes += 1;
      const currentDefault = preferences.getDefaultAccount(link.key);
      const choices = accounts.filter((account) => account.urn !== currentDefault);
      if (choices.length === 0) return;
      preferences.setDefaultAccount(link.key, choices[randomIndex(choices.length)]!.urn);
      counts.writes += 1;
    },
    setWorkspaceStyle() {
      const teamId = TEAM_IDS[randomIndex(TEAM_IDS.length)]!;
      const current = preferences.getWorkspaceChartStyle(teamId);
      const choices = CHART_STYLES.filter((style) => style !== current);
      preferences.setWorkspaceChartStyle(teamId, choices[randomIndex(choices.length)]!);
      counts.writes += 1;
    },
  };

  // A fixed cycle, so any dozen writes include new links and new queries; the rows each touches are random.
  const cycle = [
    operations.createLink,
    operations.refreshTokens,
    operations.createQuery,
    operations.finishQuery,
    operations.refreshTokens,
    operations.consumeState,
    operations.createQuery,
    operations.finishQuery,
    operations.setPreferences,
    operations.shareQuery,
    operations.relink,
    operations.refreshTokens,
    operations.setWorkspaceStyle,
  ];
  let step = 0;

  return {
    counts,
    /** Performs the next operation of the cycle (one or two writes, each its own transaction). */
    step() {
      cycle[step % cycle.length]!();
      step += 1;
    },
  };
}

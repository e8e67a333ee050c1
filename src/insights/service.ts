/**
 * The audience-insights use cases, independent of Slack: run a query for a person, re-run it, break it down by
 * another facet, compare two audiences, list recent ones. Plain data in, `StoredQuery` out.
 *
 * Every LinkedIn call uses the token of the person acting (`actor`), never the token of whoever first asked:
 * LinkedIn decides per member which ad accounts they may see, so borrowing a token would leak data.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { AudienceQuerySpec, LinksRepo, QueriesRepo, SlackUserKey, StoredQuery } from '../db/types.js';
import { InvalidQueryError, QueryNotFoundError } from '../errors.js';
import type { LinkedInApi } from '../linkedin/api.js';
import { UnauthorizedError } from '../linkedin/errors.js';
import { findGroupByFacet, GROUP_BY_FACETS } from '../linkedin/facets.js';
import type { AudienceInsight } from '../linkedin/types.js';
import { QueryFailedError, toQueryError } from './errors.js';
import { canonicalSpecKey, insightsRequestFor, tidySpec, urnsToName } from './spec.js';
import { type CacheLookup, createTtlCache } from './ttlCache.js';

/** One broken rule, as the validator reports it; `message` is written for a marketer. */
export interface ValidationProblem {
  code: string;
  field: string;
  message: string;
}

/** `validateInsightsRequest` (linkedin/targeting.ts) fits: it reads a spec-shaped input. */
export type InsightsRequestValidator = (spec: AudienceQuerySpec) => ValidationProblem[];

export interface InsightsLinkedIn extends Pick<LinkedInApi, 'audienceInsights'> {
  /** URN → display name, batched and cached by the client. */
  resolveEntityNames(token: string, urns: readonly string[]): Promise<Map<string, string>>;
}

export interface InsightsServiceDeps {
  linkedin: InsightsLinkedIn;
  /** The acting person's valid access token (refreshed if needed); rejects NotLinkedError / RelinkRequiredError. */
  accessTokenFor: (key: SlackUserKey) => Promise<string>;
  repos: { queries: QueriesRepo; links: Pick<LinksRepo, 'get'> };
  now: () => number;
  newId?: () => string;
  validate: InsightsRequestValidator;
  /**
   * Told when LinkedIn answers 401 to a token `accessTokenFor` handed out, so the link is marked for re-linking
   * (the link service's `reportRejectedToken`).
   */
  reportRejectedToken?: (key: SlackUserKey) => Promise<void>;
  /** Identical queries of one LinkedIn member within `ttlMs` are answered without calling LinkedIn. */
  resultCache?: { ttlMs?: number; max?: number };
  /** Told how each query ended: answered, failed (stored as failed), or invalid (refused before running). */
  onQueryOutcome?: (outcome: 'answered' | 'failed' | 'invalid') => void;
  /** Told the result of every look-up in the result cache (one per audience asked). */
  onCacheEvent?: (cache: 'insights_results', result: CacheLookup) => void;
}

export interface RunContext {
  channelId?: string;
  parentId?: string;
  chartStyle?: string;
}

export interface FollowUpContext {
  channelId?: string;
  chartStyle?: string;
  /** Run on another ad account (e.g. after "you have no role on this account"). */
  accountUrn?: string;
}

/** The second audience of a comparison: its own criteria (and account); the breakdown is the first one's. */
export type CompareAudience = Pick<AudienceQuerySpec, 'criteria'> & Partial<AudienceQuerySpec>;

export interface InsightsService {
  run(key: SlackUserKey, spec: AudienceQuerySpec, ctx?: RunContext): Promise<StoredQuery>;
  rerun(actor: SlackUserKey, queryId: string, ctx?: FollowUpContext): Promise<StoredQuery>;
  regroup(actor: SlackUserKey, queryId: string, groupBy: string, ctx?: FollowUpContext): Promise<StoredQuery>;
  compare(actor: SlackUserKey, queryIdA: string, specB: CompareAudience, ctx?: FollowUpContext): Promise<StoredQuery>;
  recent(key: SlackUserKey, limit?: number): StoredQuery[];
  get(queryId: string): StoredQuery | undefined;
}

export const DEFAULT_RESULT_CACHE = { ttlMs: 10 * 60_000, max: 1_000 };
export const MAX_RECENT = 100;

interface CachedAnswer {
  result: AudienceInsight;
  /** Names for every URN of this answer that LinkedIn could name. */
  names: Record<string, string>;
}

const sameUser = (a: SlackUserKey, b: SlackUserKey) => a.teamId === b.teamId && a.userId === b.userId;

export function createInsightsService(deps: InsightsServiceDeps): InsightsService {
  const { linkedin, repos } = deps;
  const newId = deps.newId ?? randomUUID;
  const answers = createTtlCache<CachedAnswer>({
    max: deps.resultCache?.max ?? DEFAULT_RESULT_CACHE.max,
    ttlMs: deps.resultCache?.ttlMs ?? DEFAULT_RESULT_CACHE.ttlMs,
    now: deps.now,
    onLookup: (result) => deps.onCacheEvent?.('insights_results', result),
  });
  /** Insights calls in flight, so a double click makes one call. */
  const inflight = new Map<string, Promise<AudienceInsight>>();

  const assertValid = (specs: AudienceQuerySpec[]) => {
    const problems = specs.flatMap((spec, i) =>
      deps.validate(spec).map((p) => ({
        field: specs.length > 1 && i > 0 ? `compare.${p.field}` : p.field,
        message: specs.length > 1 ? `${i === 0 ? 'First' : 'Second'} audience: ${p.message}` : p.message,
      })),
    );
    if (problems.length > 0) {
      deps.onQueryOutcome?.('invalid');
      throw new InvalidQueryError(problems);
    }
  };

  /**
   * Whose cache an answer lives in: the LinkedIn member behind the link. Two Slack users linked to the same
   * member share it (LinkedIn would answer both the same); different members never do. Without a link record
   * (tests, or a token from elsewhere), a one-way hash of the token stands in for the member.
   */
  const memberIdentity = (actor: SlackUserKey, token: string): string => {
    const memberUrn = repos.links.get(actor)?.memberUrn;
    return memberUrn ? `member:${memberUrn}` : `token:${createHash('sha256').update(token).digest('hex')}`;
  };

  const fetchInsight = (cacheKey: string, token: string, spec: AudienceQuerySpec): Promise<AudienceInsight> => {
    const pending = inflight.get(cacheKey);
    if (pending) return pending;
    const call = linkedin.audienceInsights(token, insightsRequestFor(spec)).finally(() => inflight.delete(cacheKey));
    inflight.set(cacheKey, call);
    return call;
  };

  /**
   * Results for the specs, from the member's cache or from LinkedIn, and the names of every URN they mention,
   * with at most one names call for all of them.
   */
  const answer = async (token: string, identity: string, specs: AudienceQuerySpec[]) => {
    const keys = specs.map((spec) => `${identity}\u0000${canonicalSpecKey(spec)}`);
    const hits = keys.map((key) => answers.get(key));
    const fetched = await Promise.all(
      specs.map((spec, i) => (hits[i] ? undefined : fetchInsight(keys[i]!, token, spec))),
    );
    const results = specs.map((_, i) => (hits[i]?.result ?? fetched[i]) as AudienceInsight);

    const names: Record<string, string> = {};
    const covered = new Set<string>();
    hits.forEach((hit, i) => {
      if (!hit) return;
      Object.assign(names, hit.names);
      for (const urn of urnsToName(specs[i]!, hit.result)) covered.add(urn);
    });
    const needed = [...new Set(specs.flatMap((spec, i) => urnsToName(spec, results[i])))];
    const missing = needed.filter((urn) => !covered.has(urn));

    let namesComplete = true;
    if (missing.length > 0) {
      try {
        for (const [urn, name] of await linkedin.resolveEntityNames(token, missing)) names[urn] = name;
      } catch {
        // Names are cosmetic: the breakdown is still right, and the renderer falls back to readable labels.
        namesComplete = false;
      }
    }
    if (namesComplete) {
      specs.forEach((spec, i) => {
        if (hits[i]) return;
        const own: Record<string, string> = {};
        for (const urn of urnsToName(spec, results[i])) if (names[urn] !== undefined) own[urn] = names[urn];
        answers.set(keys[i]!, { result: results[i]!, names: own });
      });
    }
    const picked: Record<string, string> = {};
    for (const urn of needed) if (names[urn] !== undefined) picked[urn] = names[urn];
    return { results, names: picked };
  };

  /** Runs a stored (pending) query as `actor` and records the outcome on it. */
  const execute = async (actor: SlackUserKey, query: StoredQuery): Promise<StoredQuery> => {
    const specs = query.compareSpec ? [query.spec, query.compareSpec] : [query.spec];
    try {
      const token = await deps.accessTokenFor(actor);
      const { results, names } = await answer(token, memberIdentity(actor, token), specs);
      const done = repos.queries.update(query.id, {
        status: 'done',
        result: results[0],
        ...(query.compareSpec ? { compareResult: results[1] } : {}),
        names,
        error: undefined,
      });
      deps.onQueryOutcome?.('answered');
      return done ?? { ...query, status: 'done', result: results[0], compareResult: results[1], names };
    } catch (err) {
      if (err instanceof UnauthorizedError && deps.reportRejectedToken) {
        await deps.reportRejectedToken(actor).catch(() => undefined);
      }
      const error = toQueryError(err);
      deps.onQueryOutcome?.('failed');
      const failed = repos.queries.update(query.id, { status: 'failed', error }) ?? {
        ...query,
        status: 'failed',
        error,
      };
      throw new QueryFailedError(failed, err);
    }
  };

  const create = (
    owner: SlackUserKey,
    fields: Pick<StoredQuery, 'spec'> &
      Partial<Pick<StoredQuery, 'compareSpec' | 'parentId' | 'channelId' | 'chartStyle'>>,
  ): StoredQuery =>
    repos.queries.create({
      id: newId(),
      teamId: owner.teamId,
      userId: owner.userId,
      status: 'pending',
      ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
      spec: fields.spec,
    });

  const load = (queryId: string): StoredQuery => {
    const query = repos.queries.get(queryId);
    if (!query) throw new QueryNotFoundError(queryId);
    return query;
  };

  const onAccount = (spec: AudienceQuerySpec, accountUrn: string | undefined): AudienceQuerySpec =>
    accountUrn ? { ...spec, accountUrn } : spec;

  return {
    async run(key, spec, ctx = {}) {
      const tidy = tidySpec(spec);
      assertValid([tidy]);
      const query = create(key, {
        spec: tidy,
        parentId: ctx.parentId,
        channelId: ctx.channelId,
        chartStyle: ctx.chartStyle,
      });
      return execute(key, query);
    },

    async rerun(actor, queryId, ctx = {}) {
      const original = load(queryId);
      const spec = onAccount(original.spec, ctx.accountUrn);
      const compareSpec = original.compareSpec ? onAccount(original.compareSpec, ctx.accountUrn) : undefined;
      assertValid(compareSpec ? [spec, compareSpec] : [spec]);
      // The owner retrying a failed query retries that query (one record, the error cleared on success);
      // anyone else, or a re-run of a finished query, starts a new query of their own.
      if (original.status === 'failed' && sameUser(actor, original)) {
        const retried = repos.queries.update(original.id, {
          status: 'pending',
          spec,
          ...(compareSpec ? { compareSpec } : {}),
          error: undefined,
          ...(ctx.channelId ? { channelId: ctx.channelId } : {}),
          ...(ctx.chartStyle ? { chartStyle: ctx.chartStyle } : {}),
        });
        if (retried) return execute(actor, retried);
      }
      const query = create(actor, {
        spec,
        compareSpec,
        parentId: original.id,
        channelId: ctx.channelId ?? original.channelId,
        chartStyle: ctx.chartStyle ?? original.chartStyle,
      });
      return execute(actor, query);
    },

    async regroup(actor, queryId, groupBy, ctx = {}) {
      const facet = findGroupByFacet(groupBy);
      if (!facet) {
        deps.onQueryOutcome?.('invalid');
        throw new InvalidQueryError([
          {
            field: 'groupBy',
            message: `LinkedIn cannot break an audience down by “${groupBy}”. Choose one of: ${GROUP_BY_FACETS.map((f) => f.label).join(', ')}.`,
          },
        ]);
      }
      const original = load(queryId);
      const regrouped = (spec: AudienceQuerySpec): AudienceQuerySpec => ({
        ...onAccount(spec, ctx.accountUrn),
        groupBy: facet.urn,
        // HIERARCHICAL is only accepted for the low-cardinality facets with a natural order.
        orderBy: facet.hierarchical ? spec.orderBy : 'AUDIENCE_PERCENTAGE',
      });
      const spec = regrouped(original.spec);
      const compareSpec = original.compareSpec ? regrouped(original.compareSpec) : undefined;
      assertValid(compareSpec ? [spec, compareSpec] : [spec]);
      const query = create(actor, {
        spec,
        compareSpec,
        parentId: original.id,
        channelId: ctx.channelId ?? original.channelId,
        chartStyle: ctx.chartStyle ?? original.chartStyle,
      });
      return execute(actor, query);
    },

    async compare(actor, queryIdA, specB, ctx = {}) {
      const original = load(queryIdA);
      const spec = onAccount(original.spec, ctx.accountUrn);
      const compareSpec = tidySpec({
        accountUrn: specB.accountUrn ?? spec.accountUrn,
        criteria: specB.criteria,
        // Both audiences are broken down the same way, or the two breakdowns could not be set side by side.
        groupBy: spec.groupBy,
        orderBy: spec.orderBy,
        maxReturnCount: spec.maxReturnCount,
      });
      assertValid([spec, compareSpec]);
      const query = create(actor, {
        spec,
        compareSpec,
        parentId: original.id,
        channelId: ctx.channelId ?? original.channelId,
        chartStyle: ctx.chartStyle ?? original.chartStyle,
      });
      return execute(actor, query);
    },

    recent(key, limit = 10) {
      return repos.queries.listRecent(key, Math.min(MAX_RECENT, Math.max(1, Math.floor(limit))));
    },

    get: (queryId) => repos.queries.get(queryId),
  };
}

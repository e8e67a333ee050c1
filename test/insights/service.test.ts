import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/types.js';
import { InvalidQueryError, NotLinkedError, QueryNotFoundError, RelinkRequiredError } from '../../src/errors.js';
import { describeError, QueryFailedError } from '../../src/insights/errors.js';
import { createInsightsService, type InsightsServiceDeps } from '../../src/insights/service.js';
import {
  AccessDeniedError,
  RateLimitedError,
  ServerError,
  UnauthorizedError,
  UserNotAuthorizedError,
} from '../../src/linkedin/errors.js';
import { facetUrn } from '../../src/linkedin/facets.js';
import { validateInsightsRequest } from '../../src/linkedin/targeting.js';
import {
  ACCOUNT,
  ALICE,
  BOB,
  CAROL,
  type FakeLinkedIn,
  fakeLinkedIn,
  JAVA,
  linkUsers,
  manualClock,
  memoryDb,
  PYTHON,
  spec,
  tokensFromLinks,
  US,
} from './fakes.js';

let db: Database;
let li: FakeLinkedIn;
let clock: ReturnType<typeof manualClock>;
let ids: number;

const build = (overrides: Partial<InsightsServiceDeps> = {}) =>
  createInsightsService({
    linkedin: li.api,
    accessTokenFor: tokensFromLinks(db),
    repos: db.repos,
    now: clock.now,
    newId: () => `q${++ids}`,
    validate: validateInsightsRequest,
    ...overrides,
  });

beforeEach(() => {
  clock = manualClock();
  db = memoryDb(clock.now);
  li = fakeLinkedIn();
  ids = 0;
  linkUsers(db, [
    { key: ALICE, member: 'urn:li:person:alice', token: 'token-alice' },
    { key: BOB, member: 'urn:li:person:bob', token: 'token-bob' },
    // Carol's Slack account is linked to the same LinkedIn member as Alice.
    { key: CAROL, member: 'urn:li:person:alice', token: 'token-carol' },
  ]);
});
afterEach(() => db.close());

const failure = async (p: Promise<unknown>): Promise<QueryFailedError> => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(QueryFailedError);
  return err as QueryFailedError;
};

describe('run', () => {
  it('sends the documented body, resolves segment and criteria names in one call, and stores the result', async () => {
    const service = build();
    const query = await service.run(ALICE, spec(), { channelId: 'C1', chartStyle: 'native' });

    expect(li.calls.map((c) => c.method)).toEqual(['audienceInsights', 'resolveEntityNames']);
    expect(li.calls[0]!.args[0]).toEqual({
      request: {
        requestMetaData: { sponsoredAccount: ACCOUNT },
        targetingCriteria: spec().criteria,
        groupBy: facetUrn('jobFunctions'),
        segmentsOrderedBy: 'AUDIENCE_PERCENTAGE',
        maxReturnCount: 5,
      },
    });
    const askedNames = li.calls[1]!.args[0] as string[];
    expect(askedNames).toEqual(
      expect.arrayContaining(['urn:li:function:8', 'urn:li:function:13', US, PYTHON, JAVA, 'urn:li:seniority:1']),
    );

    expect(query).toMatchObject({ id: 'q1', ...ALICE, status: 'done', channelId: 'C1', chartStyle: 'native' });
    expect(query.result?.segments.map((s) => s.value)).toEqual([
      'urn:li:function:8',
      'urn:li:function:13',
      'urn:li:function:4',
    ]);
    expect(query.names).toMatchObject({
      'urn:li:function:8': 'Engineering',
      [US]: 'United States',
      [PYTHON]: 'Python',
      'urn:li:seniority:1': 'Unpaid',
    });
    expect(db.repos.queries.get('q1')).toEqual(query);
  });

  it('rejects an invalid audience before storing anything or calling LinkedIn', async () => {
    const service = build();
    const noLocation = spec({ criteria: { include: { and: [{ or: { [facetUrn('skills')]: [PYTHON] } }] } } });
    const err = await service.run(ALICE, noLocation).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(InvalidQueryError);
    expect((err as InvalidQueryError).problems.map((p) => p.field)).toContain('include');
    expect(describeError(err).message).toMatch(/location/i);
    expect(li.count()).toBe(0);
    expect(service.recent(ALICE)).toEqual([]);
  });

  it('drops empty groups and duplicate values before validating and storing', async () => {
    const service = build();
    const messy = spec({
      criteria: {
        include: {
          and: [{ or: { [facetUrn('locations')]: [US, US] } }, { or: {} }, { or: { [facetUrn('skills')]: [PYTHON] } }],
        },
        exclude: { or: {} },
      },
    });
    const query = await service.run(ALICE, messy);
    expect(query.spec.criteria).toEqual({
      include: { and: [{ or: { [facetUrn('locations')]: [US] } }, { or: { [facetUrn('skills')]: [PYTHON] } }] },
    });
  });

  it('stores LinkedIn failures with code and status, keeps the query, and rethrows a typed error', async () => {
    const service = build();
    li.answerInsightsWith(async () => {
      throw new UserNotAuthorizedError('Caller should have access to the Ad Account provided in the request', {
        linkedinCode: 'USER_NOT_AUTHORIZED',
        endpoint: 'targetingAudienceInsights.audienceInsights',
      });
    });
    const err = await failure(service.run(ALICE, spec()));

    expect(err.cause).toBeInstanceOf(UserNotAuthorizedError);
    expect(err.queryId).toBe('q1');
    const stored = db.repos.queries.get('q1');
    expect(stored).toMatchObject({ status: 'failed', error: { code: 'linkedin_user_not_authorized', status: 403 } });
    expect(stored?.result).toBeUndefined();
    expect(describeError(err)).toMatchObject({ code: 'no_account_role', retryable: false, relink: false });
    expect(describeError(stored!.error)).toMatchObject({ code: 'no_account_role' });
    // No names call after a failed insights call.
    expect(li.count('resolveEntityNames')).toBe(0);
  });

  it('records a missing link on the stored query without calling LinkedIn', async () => {
    const service = build({
      accessTokenFor: async () => {
        throw new NotLinkedError();
      },
    });
    const err = await failure(service.run(ALICE, spec()));
    expect(err.cause).toBeInstanceOf(NotLinkedError);
    expect(db.repos.queries.get('q1')).toMatchObject({ status: 'failed', error: { code: 'not_linked' } });
    expect(describeError(err)).toMatchObject({ code: 'not_linked', relink: true });
    expect(li.count()).toBe(0);
  });

  it('reports a 401 to the link service so the link is marked for re-linking', async () => {
    const reported: unknown[] = [];
    const service = build({ reportRejectedToken: async (key) => void reported.push(key) });
    li.answerInsightsWith(async () => {
      throw new UnauthorizedError('Invalid access token', 'invalid', { linkedinCode: 'INVALID_ACCESS_TOKEN' });
    });
    const err = await failure(service.run(BOB, spec()));
    expect(reported).toEqual([BOB]);
    expect(describeError(err)).toMatchObject({ code: 'relink_required', relink: true });
  });

  it('keeps a breakdown whose names could not be resolved, with readable fallbacks later, and does not cache it', async () => {
    const service = build();
    li.answerNamesWith(async () => {
      throw new ServerError('LinkedIn failed', { status: 503 });
    });
    const query = await service.run(ALICE, spec());
    expect(query.status).toBe('done');
    expect(query.result?.segments).toHaveLength(3);
    expect(query.names).toEqual({});

    li.answerNamesWith(async (_t, urns) => new Map(urns.map((u) => [u, `name of ${u}`])));
    li.reset();
    await service.run(ALICE, spec());
    expect(li.count('audienceInsights')).toBe(1);
  });
});

describe('result cache', () => {
  it('answers an identical query of the same member from the cache: 2 calls, then 0', async () => {
    const service = build();
    const first = await service.run(ALICE, spec());
    expect(li.count()).toBe(2);

    li.reset();
    // The same audience, spelled differently: groups and values in another order.
    const reordered = spec({
      criteria: {
        include: {
          and: [{ or: { [facetUrn('skills')]: [JAVA, PYTHON] } }, { or: { [facetUrn('locations')]: [US] } }],
        },
        exclude: { or: { [facetUrn('seniorities')]: ['urn:li:seniority:1'] } },
      },
    });
    const second = await service.run(ALICE, reordered);
    expect(li.count()).toBe(0);
    expect(second.id).not.toBe(first.id);
    expect(second).toMatchObject({ status: 'done', result: first.result, names: first.names });
  });

  it('never answers one member with another member’s result', async () => {
    const service = build();
    await service.run(ALICE, spec());
    li.reset();
    await service.run(BOB, spec());
    expect(li.tokensOf('audienceInsights')).toEqual(['token-bob']);
    expect(li.count()).toBe(2);
  });

  it('shares answers between Slack users linked to the same LinkedIn member', async () => {
    const service = build();
    await service.run(ALICE, spec());
    li.reset();
    const carol = await service.run(CAROL, spec());
    expect(li.count()).toBe(0);
    expect(carol).toMatchObject({ ...CAROL, status: 'done' });
  });

  it('asks LinkedIn again once the entry is older than the TTL', async () => {
    const service = build({ resultCache: { ttlMs: 60_000 } });
    await service.run(ALICE, spec());
    clock.advance(59_999);
    li.reset();
    await service.run(ALICE, spec());
    expect(li.count()).toBe(0);
    clock.advance(1);
    await service.run(ALICE, spec());
    expect(li.count('audienceInsights')).toBe(1);
  });

  it('does not cache failures', async () => {
    const service = build();
    let fail = true;
    li.answerInsightsWith(async (token, body) => {
      if (fail) throw new RateLimitedError('Resource level throttle limit for calls to this resource is reached.');
      const { defaultInsight } = await import('./fakes.js');
      return defaultInsight(token, body);
    });
    await failure(service.run(ALICE, spec()));
    fail = false;
    const query = await service.run(ALICE, spec());
    expect(query.status).toBe('done');
    expect(li.count('audienceInsights')).toBe(2);
  });

  it('makes one insights call for a double click', async () => {
    const service = build();
    const [a, b] = await Promise.all([service.run(ALICE, spec()), service.run(ALICE, spec())]);
    expect(li.count('audienceInsights')).toBe(1);
    expect(a.result).toEqual(b.result);
    expect(a.id).not.toBe(b.id);
  });

  it('can be turned off with a zero TTL', async () => {
    const service = build({ resultCache: { ttlMs: 0 } });
    await service.run(ALICE, spec());
    await service.run(ALICE, spec());
    expect(li.count('audienceInsights')).toBe(2);
  });

  it('does not serve a cached answer once the person’s link needs re-linking', async () => {
    let relink = false;
    const service = build({
      accessTokenFor: async (key) => {
        if (relink) throw new RelinkRequiredError();
        return tokensFromLinks(db)(key);
      },
    });
    await service.run(ALICE, spec());
    relink = true;
    const err = await failure(service.run(ALICE, spec()));
    expect(describeError(err)).toMatchObject({ code: 'relink_required', relink: true });
  });
});

describe('rerun', () => {
  it('runs another user’s query with the actor’s own token, as a new query owned by the actor', async () => {
    const service = build();
    const original = await service.run(ALICE, spec(), { channelId: 'C1' });
    li.reset();

    const rerun = await service.rerun(BOB, original.id);
    expect(li.tokensOf('audienceInsights')).toEqual(['token-bob']);
    expect(li.tokensOf('resolveEntityNames')).toEqual(['token-bob']);
    expect(rerun).toMatchObject({
      ...BOB,
      parentId: original.id,
      status: 'done',
      spec: original.spec,
      channelId: 'C1',
    });
    expect(rerun.id).not.toBe(original.id);
    expect(db.repos.queries.get(original.id)).toMatchObject({ ...ALICE, status: 'done' });
  });

  it('retries the owner’s failed query in place, clearing the error', async () => {
    const service = build();
    li.answerInsightsWith(async () => {
      throw new ServerError('Internal server error', { status: 500 });
    });
    const err = await failure(service.run(ALICE, spec()));
    expect(describeError(err)).toMatchObject({ code: 'linkedin_unavailable', retryable: true });

    const { defaultInsight } = await import('./fakes.js');
    li.answerInsightsWith(defaultInsight);
    const retried = await service.rerun(ALICE, err.queryId);
    expect(retried).toMatchObject({ id: err.queryId, status: 'done' });
    expect(retried.error).toBeUndefined();
    expect(service.recent(ALICE)).toHaveLength(1);
  });

  it('can move to another ad account', async () => {
    const service = build();
    const original = await service.run(ALICE, spec());
    const moved = await service.rerun(ALICE, original.id, { accountUrn: 'urn:li:sponsoredAccount:5002' });
    expect(moved.spec.accountUrn).toBe('urn:li:sponsoredAccount:5002');
    expect(li.calls.at(-2)?.args[0]).toMatchObject({
      request: { requestMetaData: { sponsoredAccount: 'urn:li:sponsoredAccount:5002' } },
    });
  });

  it('throws QueryNotFoundError for an unknown id', async () => {
    const service = build();
    const err = await service.rerun(ALICE, 'nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueryNotFoundError);
    expect(describeError(err).code).toBe('query_not_found');
  });
});

describe('regroup', () => {
  it('breaks the same audience down by another facet, resetting a hierarchical order it cannot use', async () => {
    const service = build();
    const original = await service.run(
      ALICE,
      spec({ groupBy: facetUrn('seniorities'), orderBy: 'HIERARCHICAL', maxReturnCount: 7 }),
    );
    const bySkill = await service.regroup(BOB, original.id, facetUrn('skills'));
    expect(bySkill).toMatchObject({ ...BOB, parentId: original.id, status: 'done' });
    expect(bySkill.spec).toEqual({
      ...original.spec,
      groupBy: facetUrn('skills'),
      orderBy: 'AUDIENCE_PERCENTAGE',
      maxReturnCount: 7,
    });
    expect(li.tokensOf('audienceInsights').at(-1)).toBe('token-bob');

    const bySize = await service.regroup(ALICE, original.id, 'staffCountRanges');
    expect(bySize.spec).toMatchObject({ groupBy: facetUrn('staffCountRanges'), orderBy: 'HIERARCHICAL' });
    expect(bySize.result?.segments[0]?.value).toBe('urn:li:staffCountRange:(51,200)');
  });

  it('refuses a facet LinkedIn cannot group by', async () => {
    const service = build();
    const original = await service.run(ALICE, spec());
    li.reset();
    const err = await service.regroup(ALICE, original.id, facetUrn('genders')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidQueryError);
    expect(describeError(err).message).toMatch(/Job Functions/);
    expect(li.count()).toBe(0);
  });
});

describe('compare', () => {
  it('stores both audiences, grouped the same way, in one query with one names call', async () => {
    const service = build({ resultCache: { ttlMs: 0 } });
    const a = await service.run(ALICE, spec({ maxReturnCount: 3 }));
    li.reset();

    const german = {
      criteria: {
        include: {
          and: [
            { or: { [facetUrn('locations')]: ['urn:li:geo:101282230'] } },
            { or: { [facetUrn('skills')]: [PYTHON] } },
          ],
        },
      },
    };
    const compared = await service.compare(BOB, a.id, { ...german, groupBy: facetUrn('skills'), maxReturnCount: 50 });

    expect(li.calls.map((c) => c.method).sort()).toEqual([
      'audienceInsights',
      'audienceInsights',
      'resolveEntityNames',
    ]);
    expect(new Set(li.calls.map((c) => c.token))).toEqual(new Set(['token-bob']));
    expect(compared).toMatchObject({ ...BOB, parentId: a.id, status: 'done', spec: a.spec });
    expect(compared.compareSpec).toEqual({
      accountUrn: ACCOUNT,
      criteria: german.criteria,
      groupBy: a.spec.groupBy,
      orderBy: a.spec.orderBy,
      maxReturnCount: 3,
    });
    expect(compared.result?.groupedBy).toBe(compared.compareResult?.groupedBy);
    expect(compared.names).toMatchObject({ 'urn:li:geo:101282230': 'Germany', [US]: 'United States' });
  });

  it('reuses the cached first audience: one insights call for the second only', async () => {
    const service = build();
    const a = await service.run(ALICE, spec());
    li.reset();
    const compared = await service.compare(ALICE, a.id, {
      criteria: {
        include: {
          and: [{ or: { [facetUrn('locations')]: [US] } }, { or: { [facetUrn('titles')]: ['urn:li:title:100'] } }],
        },
      },
    });
    expect(li.count('audienceInsights')).toBe(1);
    expect(li.count('resolveEntityNames')).toBe(1);
    // Only the URNs the cached answer did not already name are asked for.
    expect(li.calls.find((c) => c.method === 'resolveEntityNames')?.args[0]).toEqual(['urn:li:title:100']);
    expect(compared.names).toMatchObject({ 'urn:li:title:100': 'Data Engineer', [PYTHON]: 'Python' });
  });

  it('validates the second audience too', async () => {
    const service = build();
    const a = await service.run(ALICE, spec());
    const err = await service
      .compare(ALICE, a.id, { criteria: { include: { and: [{ or: { [facetUrn('skills')]: [PYTHON] } }] } } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidQueryError);
    expect((err as InvalidQueryError).problems[0]?.message).toMatch(/^Second audience:/);
  });

  it('regroups and re-runs a comparison as a comparison', async () => {
    const service = build();
    const a = await service.run(ALICE, spec());
    const compared = await service.compare(ALICE, a.id, {
      criteria: a.spec.criteria,
      accountUrn: 'urn:li:sponsoredAccount:5002',
    });
    const regrouped = await service.regroup(ALICE, compared.id, facetUrn('seniorities'));
    expect(regrouped.compareSpec).toMatchObject({
      groupBy: facetUrn('seniorities'),
      accountUrn: 'urn:li:sponsoredAccount:5002',
    });
    expect(regrouped.compareResult?.groupedBy).toBe(facetUrn('seniorities'));
    const rerun = await service.rerun(BOB, compared.id);
    expect(rerun.compareResult).toBeDefined();
  });
});

describe('recent', () => {
  it('lists the person’s latest queries, newest first, bounded', async () => {
    const service = build();
    for (let i = 1; i <= 4; i++) {
      await service.run(ALICE, spec({ maxReturnCount: i }));
      clock.advance(1000);
    }
    await service.run(BOB, spec());
    expect(service.recent(ALICE, 3).map((q) => q.spec.maxReturnCount)).toEqual([4, 3, 2]);
    expect(service.recent(BOB)).toHaveLength(1);
    expect(service.recent(ALICE, 0)).toHaveLength(1);
  });
});

describe('errors of every kind end up stored and described', () => {
  const cases = [
    [
      new AccessDeniedError('Not enough permissions to access: targetingAudienceInsights.ACTION.20260901', {
        linkedinCode: 'ACCESS_DENIED',
        endpoint: 'targetingAudienceInsights.audienceInsights',
      }),
      'app_not_provisioned',
      403,
    ],
    [new RateLimitedError('Resource level throttle limit for calls to this resource is reached.'), 'rate_limited', 429],
    [new ServerError('Internal server error', { status: 500 }), 'linkedin_unavailable', 500],
  ] as const;
  for (const [error, code, status] of cases) {
    it(`${error.name} → ${code}`, async () => {
      const service = build();
      li.answerInsightsWith(async () => {
        throw error;
      });
      const err = await failure(service.run(ALICE, spec()));
      expect(describeError(err).code).toBe(code);
      const stored = db.repos.queries.get(err.queryId)!;
      expect(stored.error).toMatchObject({ status });
      expect(describeError(stored.error).code).toBe(code);
    });
  }
});

/**
 * The pieces below the composition root on their own: the cache look-up callbacks, the insights use cases'
 * outcome callback, and the LinkedIn failure logger's contract (one line, same error rethrown, arguments never
 * logged).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/types.js';
import { InvalidQueryError } from '../../src/errors.js';
import { QueryFailedError } from '../../src/insights/errors.js';
import { createInsightsService } from '../../src/insights/service.js';
import { type CacheLookup, createTtlCache } from '../../src/insights/ttlCache.js';
import { ServerError, UnauthorizedError } from '../../src/linkedin/errors.js';
import { facetUrn } from '../../src/linkedin/facets.js';
import { validateInsightsRequest } from '../../src/linkedin/targeting.js';
import { serializeError } from '../../src/logging.js';
import { logLinkedInFailures } from '../../src/observability/linkedinErrors.js';
import {
  ALICE,
  fakeLinkedIn,
  linkUsers,
  manualClock,
  memoryDb,
  PYTHON,
  spec,
  tokensFromLinks,
} from '../insights/fakes.js';
import { capturingLogger } from '../support/capturedLogs.js';

describe('cache look-up callbacks', () => {
  it('reports hits, misses and loads joined while in flight, without changing what the cache returns', async () => {
    const seen: CacheLookup[] = [];
    let now = 0;
    const cache = createTtlCache<string>({ max: 10, ttlMs: 1_000, now: () => now, onLookup: (r) => seen.push(r) });
    expect(cache.get('a')).toBeUndefined();
    cache.set('a', 'A');
    expect(cache.get('a')).toBe('A');
    let release: (v: string) => void = () => {};
    const slow = new Promise<string>((resolve) => {
      release = resolve;
    });
    const first = cache.getOrLoad('b', () => slow);
    const second = cache.getOrLoad('b', () => Promise.resolve('other'));
    release('B');
    expect(await Promise.all([first, second])).toEqual(['B', 'B']);
    expect(await cache.getOrLoad('b', () => Promise.resolve('other'))).toBe('B');
    now = 2_000;
    expect(cache.get('a')).toBeUndefined();
    expect(seen).toEqual(['miss', 'hit', 'miss', 'coalesced', 'hit', 'miss']);
  });
});

describe('insights outcome callback', () => {
  let db: Database;
  beforeEach(() => {
    const clock = manualClock();
    db = memoryDb(clock.now);
    linkUsers(db, [{ key: ALICE, member: 'urn:li:person:alice', token: 'token-alice' }]);
  });
  afterEach(() => db.close());

  it('tells answered, failed and invalid apart, and every result-cache look-up', async () => {
    const outcomes: string[] = [];
    const lookups: string[] = [];
    const li = fakeLinkedIn();
    const service = createInsightsService({
      linkedin: li.api,
      accessTokenFor: tokensFromLinks(db),
      repos: db.repos,
      now: () => 0,
      validate: validateInsightsRequest,
      onQueryOutcome: (o) => outcomes.push(o),
      onCacheEvent: (cache, result) => lookups.push(`${cache}:${result}`),
    });
    const first = await service.run(ALICE, spec());
    await service.rerun(ALICE, first.id);
    await expect(service.regroup(ALICE, first.id, 'favourite colour')).rejects.toBeInstanceOf(InvalidQueryError);
    const skillsOnly = { include: { and: [{ or: { [facetUrn('skills')]: [PYTHON] } }] } };
    await expect(service.run(ALICE, spec({ criteria: skillsOnly }))).rejects.toBeInstanceOf(InvalidQueryError);
    li.answerInsightsWith(async () => {
      throw new ServerError('LinkedIn answered HTTP 500', { status: 500 });
    });
    await expect(service.run(ALICE, spec({ maxReturnCount: 6 }))).rejects.toBeInstanceOf(QueryFailedError);
    expect(outcomes).toEqual(['answered', 'answered', 'invalid', 'invalid', 'failed']);
    expect(lookups).toEqual(['insights_results:miss', 'insights_results:hit', 'insights_results:miss']);
    // The callbacks changed nothing: the failure is stored like any other.
    expect(service.recent(ALICE).map((q) => q.status)).toEqual(expect.arrayContaining(['done', 'failed']));
  });
});

describe('LinkedIn failure logging', () => {
  const capture = () => capturingLogger('debug');

  it('logs a LinkedIn error once, rethrows it unchanged, and leaves everything else alone', async () => {
    const { logger, lines } = capture();
    const failure = new UnauthorizedError('The token used in the request has been revoked by the user', 'revoked', {
      linkedinCode: 'REVOKED_ACCESS_TOKEN',
      endpoint: 'adAccountUsers.authenticatedUser',
      requestId: 'li-req-1',
    });
    const client = logLinkedInFailures(
      {
        version: '202609',
        label: (x: string) => `label:${x}`,
        adAccounts: async (_token: string) => {
          throw failure;
        },
        broken: async (_token: string) => {
          throw new TypeError('a bug, not LinkedIn');
        },
        fine: async (token: string) => token.length,
      },
      { logger },
    );
    expect(client.version).toBe('202609');
    expect(client.label('x')).toBe('label:x');
    expect(await client.fine('abc')).toBe(3);
    const caught = await client.adAccounts('AQV-secret-token').catch((e: unknown) => e);
    expect(caught).toBe(failure);
    // The same error passing through a second time (a shared in-flight call) is not logged again.
    await client.adAccounts('AQV-secret-token').catch(() => undefined);
    await expect(client.broken('t')).rejects.toBeInstanceOf(TypeError);

    const logged = lines();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      msg: 'LinkedIn call failed',
      linkedinCode: 'REVOKED_ACCESS_TOKEN',
      status: 401,
      endpoint: 'adAccountUsers.authenticatedUser',
      requestId: 'li-req-1',
      code: 'linkedin_unauthorized',
      method: 'adAccounts',
    });
    expect(JSON.stringify(logged)).not.toContain('AQV-secret-token');
    // Later lines that carry it point back instead of repeating it.
    expect(serializeError(failure)).toEqual({ type: 'UnauthorizedError', alreadyLogged: true });
  });
});

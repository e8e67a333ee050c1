/**
 * `GET /metrics` on the real bot (createTestApp): signed Slack requests, a linked person's LinkedIn calls, the
 * caches and the insights use cases, read back from the Prometheus text exposition as exact series values.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AudienceQuerySpec, SlackUserKey } from '../../src/db/types.js';
import { InvalidQueryError } from '../../src/errors.js';
import { QueryFailedError } from '../../src/insights/errors.js';
import { createFacetOptions } from '../../src/insights/facetOptions.js';
import { createInsightsService } from '../../src/insights/service.js';
import { facetUrn } from '../../src/linkedin/facets.js';
import { validateInsightsRequest } from '../../src/linkedin/targeting.js';
import type { AppContext, SlackExtensionFactory } from '../../src/main.js';
import { appHomeOpened, retryOf, signCommand, signedRequest, slashCommand } from '../support/slackRequests.js';
import { createTestApp, type TestApp } from '../support/testApp.js';
import { readExposition } from './exposition.js';

const SLACK = 'audience_bot_slack_requests_total';
const CALLS = 'audience_bot_linkedin_calls_total';
const LATENCY = 'audience_bot_linkedin_call_seconds';
const CACHE = 'audience_bot_cache_events_total';
const QUERIES = 'audience_bot_queries_total';

const apps: TestApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((t) => t.close()));
});

async function app(options: Parameters<typeof createTestApp>[0] = {}): Promise<TestApp> {
  const t = await createTestApp(options);
  apps.push(t);
  return t;
}

async function scrape(t: TestApp, headers: Record<string, string> = {}) {
  const res = await t.server.inject({ method: 'GET', url: '/metrics', headers });
  expect(res.statusCode).toBe(200);
  return readExposition(res.body);
}

describe('GET /metrics', () => {
  it('serves Prometheus text, per app instance, without process metrics in tests', async () => {
    const a = await app();
    const b = await app();
    await a.command('help');
    const res = await a.server.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toContain('# TYPE audience_bot_slack_requests_total counter');
    expect(res.body).toContain('# TYPE audience_bot_linkedin_call_seconds histogram');
    expect(res.body).not.toContain('process_cpu');
    expect(readExposition(res.body).value(SLACK, { type: 'command', outcome: 'ok' })).toBe(1);
    // The second app counted nothing: registries are not shared.
    expect((await scrape(b)).value(SLACK, { type: 'command', outcome: 'ok' })).toBeUndefined();
  });

  it('counts Slack requests by payload type and outcome', async () => {
    const t = await app();
    await t.command('help');
    await t.command('status', { userId: 'U2' });
    // Forged, and too old: both fail the signature check.
    expect((await t.command('help', {}, { forgeWithSecret: 'not-the-secret' })).statusCode).toBe(401);
    expect((await t.command('help', {}, { ageSeconds: 600 })).statusCode).toBe(401);
    // A delivery and Slack's retry of it: the retry is acknowledged, not processed.
    const first = signCommand(slashCommand({ text: 'help' }), t.sign());
    expect((await t.server.inject(first)).statusCode).toBe(200);
    expect((await t.server.inject(retryOf(first, t.sign()))).statusCode).toBe(200);
    await t.event(appHomeOpened({ userId: 'U1' }));
    await t.event({ type: 'url_verification', challenge: 'c-123', token: 'x' });
    await t.server.inject({
      method: 'POST',
      url: '/slack/events',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'ssl_check=1&token=x',
    });
    // Signed, but not a Slack payload.
    await t.server.inject(signedRequest('hello', 'text/plain', t.sign()));
    // An action nobody listens to.
    expect((await t.action({ actionId: 'nobody_listens' })).statusCode).toBe(404);

    const m = await scrape(t);
    expect(m.value(SLACK, { type: 'command', outcome: 'ok' })).toBe(3);
    expect(m.value(SLACK, { type: 'command', outcome: 'rejected_signature' })).toBe(2);
    expect(m.value(SLACK, { type: 'command', outcome: 'retry_skipped' })).toBe(1);
    expect(m.value(SLACK, { type: 'event', outcome: 'ok' })).toBe(1);
    expect(m.value(SLACK, { type: 'url_verification', outcome: 'ok' })).toBe(1);
    expect(m.value(SLACK, { type: 'ssl_check', outcome: 'ok' })).toBe(1);
    expect(m.value(SLACK, { type: 'unknown', outcome: 'bad_request' })).toBe(1);
    expect(m.value(SLACK, { type: 'block_actions', outcome: 'unhandled' })).toBe(1);
    expect(m.sum(SLACK)).toBe(11);
  });

  it('counts a listener that fails before acknowledging as an error', async () => {
    const failing: SlackExtensionFactory = () => ({
      name: 'failing',
      register(bolt) {
        bolt.action('explode', async () => {
          throw new Error('listener bug');
        });
      },
    });
    const t = await app({ extensions: [failing] });
    expect((await t.action({ actionId: 'explode' })).statusCode).toBe(500);
    expect((await scrape(t)).value(SLACK, { type: 'block_actions', outcome: 'error' })).toBe(1);
  });

  it('counts a linked person’s LinkedIn calls by endpoint and status, each with a latency sample', async () => {
    const t = await app();
    await t.linkUser({ userId: 'U1' });
    const m = await scrape(t);
    // The link: code exchange, userinfo, then the member's ad accounts (two calls).
    const linking = {
      'oauth.accessToken.authorizationCode': 1,
      userinfo: 1,
      'adAccountUsers.authenticatedUser': 1,
      'adAccounts.batchGet': 1,
    };
    for (const [endpoint, count] of Object.entries(linking)) {
      expect(m.value(CALLS, { endpoint, status: '200' }), endpoint).toBe(count);
      expect(m.value(`${LATENCY}_count`, { endpoint }), endpoint).toBe(count);
      expect(m.value(`${LATENCY}_bucket`, { endpoint, le: '+Inf' }), endpoint).toBe(count);
    }
    expect(m.sum(CALLS)).toBe(4);

    // Failures are counted per attempt, retries included, by status.
    t.sandbox.knobs.rate500 = 1;
    await t.action({ actionId: 'linkedin_accounts_refresh', userId: 'U1', container: 'home' });
    const after = await scrape(t);
    expect(after.value(CALLS, { endpoint: 'adAccountUsers.authenticatedUser', status: '500' })).toBe(4);
    expect(after.value(`${LATENCY}_count`, { endpoint: 'adAccountUsers.authenticatedUser' })).toBe(5);
  });

  it('counts look-ups in the name cache, the result cache and the facet option caches, and queries by outcome', async () => {
    let context: AppContext | undefined;
    // How a feature builds its insights service and facet options: with the app's observers spread in.
    const capture: SlackExtensionFactory = (ctx) => {
      context = ctx;
      return { name: 'capture' };
    };
    const t = await app({ extensions: [capture] });
    const { userId, teamId } = await t.linkUser({ userId: 'U1' });
    const key: SlackUserKey = { teamId, userId };
    const ctx = context!;
    const insights = createInsightsService({
      linkedin: ctx.linkedin,
      accessTokenFor: (k) => ctx.linking.accessTokenFor(k),
      repos: { queries: ctx.db.repos.queries, links: ctx.db.repos.links },
      now: () => ctx.clock.now(),
      validate: validateInsightsRequest,
      ...ctx.observe.insights,
    });
    const facetOptions = createFacetOptions({
      linkedin: ctx.linkedin,
      now: () => ctx.clock.now(),
      ...ctx.observe.facetOptions,
    });

    const spec: AudienceQuerySpec = {
      accountUrn: 'urn:li:sponsoredAccount:123',
      criteria: {
        include: {
          and: [
            { or: { [facetUrn('locations')]: ['urn:li:geo:103644278'] } },
            { or: { [facetUrn('skills')]: ['urn:li:skill:107'] } },
          ],
        },
      },
      groupBy: facetUrn('jobFunctions'),
      orderBy: 'AUDIENCE_PERCENTAGE',
      maxReturnCount: 5,
    };
    // Answered from LinkedIn, then from the result cache.
    expect((await insights.run(key, spec)).status).toBe('done');
    expect((await insights.run(key, spec)).status).toBe('done');
    // Refused before running: no location.
    await expect(
      insights.run(key, {
        ...spec,
        criteria: { include: { and: [{ or: { [facetUrn('skills')]: ['urn:li:skill:107'] } }] } },
      }),
    ).rejects.toBeInstanceOf(InvalidQueryError);
    // LinkedIn refuses (the app is not provisioned): stored as failed.
    t.sandbox.knobs.provisioned = false;
    await expect(insights.run(key, { ...spec, maxReturnCount: 6 })).rejects.toBeInstanceOf(QueryFailedError);
    t.sandbox.knobs.provisioned = true;

    const token = await ctx.linking.accessTokenFor(key);
    const seniorities = facetUrn('seniorities');
    await facetOptions.suggest(token, seniorities, 'sen');
    await facetOptions.suggest(token, seniorities, 'dir');
    await facetOptions.suggest(token, facetUrn('titles'), 'data');
    await facetOptions.suggest(token, facetUrn('titles'), 'data');

    const m = await scrape(t);
    expect(m.value(QUERIES, { outcome: 'answered' })).toBe(2);
    expect(m.value(QUERIES, { outcome: 'invalid' })).toBe(1);
    expect(m.value(QUERIES, { outcome: 'failed' })).toBe(1);
    expect(m.value(CACHE, { cache: 'insights_results', result: 'miss' })).toBe(2);
    expect(m.value(CACHE, { cache: 'insights_results', result: 'hit' })).toBe(1);
    expect(m.value(CACHE, { cache: 'facet_lists', result: 'miss' })).toBe(1);
    expect(m.value(CACHE, { cache: 'facet_lists', result: 'hit' })).toBe(1);
    expect(m.value(CACHE, { cache: 'facet_typeahead', result: 'miss' })).toBe(1);
    expect(m.value(CACHE, { cache: 'facet_typeahead', result: 'hit' })).toBe(1);
    // The first answer's job functions were named by LinkedIn (misses); the cached answer needed no names.
    const nameMisses = m.value(CACHE, { cache: 'entity_names', result: 'miss' }) ?? 0;
    expect(nameMisses).toBeGreaterThan(0);
    expect(m.value(CALLS, { endpoint: 'targetingAudienceInsights.audienceInsights', status: '200' })).toBe(1);
    expect(m.value(CALLS, { endpoint: 'targetingAudienceInsights.audienceInsights', status: '403' })).toBe(1);

    // Asking for the same names again is answered by the name cache, one hit per URN.
    const urns = ['urn:li:function:8', 'urn:li:function:13'];
    await ctx.linkedin.resolveEntityNames(token, urns);
    const before = (await scrape(t)).value(CACHE, { cache: 'entity_names', result: 'hit' }) ?? 0;
    await ctx.linkedin.resolveEntityNames(token, urns);
    expect((await scrape(t)).value(CACHE, { cache: 'entity_names', result: 'hit' })).toBe(before + urns.length);
  });

  it('asks for a bearer token when METRICS_TOKEN is set', async () => {
    const t = await app({ env: { METRICS_TOKEN: 'scrape-secret-1' } });
    const bare = await t.server.inject({ method: 'GET', url: '/metrics' });
    expect(bare.statusCode).toBe(401);
    expect(bare.headers['www-authenticate']).toContain('Bearer');
    expect(bare.body).not.toContain('audience_bot_');
    const wrong = await t.server.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: 'Bearer scrape-secret-2' },
    });
    expect(wrong.statusCode).toBe(401);
    const m = await scrape(t, { authorization: 'Bearer scrape-secret-1' });
    expect(m.series(SLACK)).toEqual([]);
    // Health stays open for the orchestrator.
    expect((await t.server.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});

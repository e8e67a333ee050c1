/**
 * What the bot writes to its log, on the real app with every line captured (level debug): one structured line
 * per request with a request id the caller can follow, nothing secret across a whole link flow, and a LinkedIn
 * failure written once with LinkedIn's code however many retries and layers it went through.
 */
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { requestLogging, requestServerOptions } from '../../src/observability/requestLogging.js';
import { capturingLogger } from '../support/capturedLogs.js';
import { TEST_TEAM_ID } from '../support/slackRequests.js';
import { createTestApp, findButtonUrl, type TestApp } from '../support/testApp.js';
import { readExposition } from './exposition.js';

interface LogLine {
  level: number;
  msg?: string;
  reqId?: string;
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTimeMs?: number;
  err?: Record<string, unknown>;
  [field: string]: unknown;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

/** Every captured line, parsed: each must be one JSON object. */
const lines = (): LogLine[] =>
  t.logs.flatMap((chunk) => chunk.split('\n').filter((l) => l !== '')).map((l) => JSON.parse(l));
const requestLines = (reqId?: string) =>
  lines().filter((l) => l.msg === 'request completed' && (reqId === undefined || l.reqId === reqId));

describe('request ids and request lines', () => {
  it('honours an incoming x-request-id, returns it, and writes one line for the request', async () => {
    t = await createTestApp({ captureLogs: true });
    const res = await t.server.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'lb-7f3a.42' } });
    expect(res.headers['x-request-id']).toBe('lb-7f3a.42');
    const mine = lines().filter((l) => l.reqId === 'lb-7f3a.42');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      msg: 'request completed',
      req: { method: 'GET', url: '/healthz' },
      res: { statusCode: 200 },
    });
    expect(typeof mine[0]!.responseTimeMs).toBe('number');
    // Fastify's own "incoming request" line is gone.
    expect(lines().some((l) => l.msg === 'incoming request')).toBe(false);
  });

  it('generates an id when there is none, or when the incoming one is not a plain token', async () => {
    t = await createTestApp({ captureLogs: true });
    const none = await t.server.inject({ method: 'GET', url: '/healthz' });
    expect(none.headers['x-request-id']).toMatch(UUID);
    for (const bad of ['has spaces in it', '"quoted"', 'x'.repeat(129), 'semi;colon']) {
      const res = await t.server.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': bad } });
      expect(res.headers['x-request-id']).toMatch(UUID);
      expect(t.logs.join('')).not.toContain(bad);
    }
    // Two requests, two ids.
    const again = await t.server.inject({ method: 'GET', url: '/healthz' });
    expect(again.headers['x-request-id']).not.toBe(none.headers['x-request-id']);
  });

  it('gives Slack requests, unknown routes and errors one line each, with the id returned to the caller', async () => {
    t = await createTestApp({ captureLogs: true });
    const command = await t.command('help', {}, { headers: { 'x-request-id': 'slack-cmd-1' } });
    expect(command.headers['x-request-id']).toBe('slack-cmd-1');
    expect(requestLines('slack-cmd-1')).toHaveLength(1);
    expect(requestLines('slack-cmd-1')[0]).toMatchObject({
      req: { method: 'POST', url: '/slack/events' },
      res: { statusCode: 200 },
    });

    const forged = await t.command(
      'help',
      {},
      { forgeWithSecret: 'nope', headers: { 'x-request-id': 'slack-forged' } },
    );
    expect(forged.statusCode).toBe(401);
    // The receiver's warning and the request line share the id.
    const forgedLines = lines().filter((l) => l.reqId === 'slack-forged');
    expect(forgedLines.map((l) => l.msg)).toEqual([
      'rejected a Slack request: signature check failed',
      'request completed',
    ]);

    const missing = await t.server.inject({
      method: 'GET',
      url: '/oauth/nowhere?code=abc-code-1&state=abc-state-1',
      headers: { 'x-request-id': 'not-found-1' },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['x-request-id']).toBe('not-found-1');
    const notFound = lines().filter((l) => l.reqId === 'not-found-1');
    expect(notFound).toHaveLength(1);
    expect(notFound[0]).toMatchObject({ res: { statusCode: 404 }, req: { url: '/oauth/nowhere?[redacted]' } });
    expect(t.logs.join('')).not.toContain('abc-code-1');
    expect(t.logs.join('')).not.toContain('abc-state-1');
  });
});

describe('request loggers', () => {
  it('builds no child logger per request while the level is silent, and does again once the level is raised', async () => {
    const { logger, written, lines } = capturingLogger('silent');
    const server = Fastify({ loggerInstance: logger, ...requestServerOptions() });
    await server.register(requestLogging);
    let requestLogger: unknown;
    server.get('/probe', async (request) => {
      requestLogger = request.log;
      request.log.info('from the handler');
      return 'ok';
    });
    try {
      const silent = await server.inject({ method: 'GET', url: '/probe', headers: { 'x-request-id': 'quiet-1' } });
      expect(silent.headers['x-request-id']).toBe('quiet-1');
      expect(requestLogger).toBe(server.log);
      expect(written).toEqual([]);

      server.log.level = 'info';
      await server.inject({ method: 'GET', url: '/probe', headers: { 'x-request-id': 'loud-1' } });
      expect(requestLogger).not.toBe(server.log);
      const logged = lines<LogLine>();
      expect(logged.map((l) => [l.msg, l.reqId])).toEqual([
        ['from the handler', 'loud-1'],
        ['request completed', 'loud-1'],
      ]);
    } finally {
      await server.close();
    }
  });
});

describe('secrets in logs', () => {
  it('writes no token, code, state, ticket, cookie or secret anywhere across a full link flow and an unlink', async () => {
    t = await createTestApp({ captureLogs: true });
    const reply = await t.command('link', { userId: 'U1' });
    const startUrl = findButtonUrl(reply.json())!;
    const ticket = new URL(startUrl).searchParams.get('ticket')!;
    const browser = t.browser();
    const start = await browser.get(startUrl);
    const consent = new URL(start.headers.location as string);
    const state = consent.searchParams.get('state')!;
    const cookies = browser.cookies().map((c) => c.value);
    expect(cookies.length).toBeGreaterThan(0);
    const approved = await browser.get(`${consent.pathname}${consent.search}&member=maya-chen`);
    const callback = approved.headers.location as string;
    const code = new URL(callback).searchParams.get('code')!;
    expect((await browser.get(callback)).statusCode).toBe(200);
    const link = t.app.db.repos.links.get({ teamId: TEST_TEAM_ID, userId: 'U1' })!;
    // A request carrying credentials in headers, as a scraper or a proxy might send them.
    await t.server.inject({
      method: 'GET',
      url: '/healthz',
      headers: { authorization: 'Bearer header-secret-9', cookie: 'session=cookie-secret-9' },
    });
    await t.command('unlink', { userId: 'U1' });

    const all = lines();
    expect(all.length).toBeGreaterThan(10);
    const text = t.logs.join('');
    const secrets = {
      accessToken: link.accessToken,
      refreshToken: link.refreshToken!,
      code,
      state,
      ticket,
      botToken: t.config.slack.botToken!,
      signingSecret: t.signingSecret,
      linkedinClientSecret: t.sandbox.clientSecret,
      tokenKey: t.config.tokenEncryptionKey!,
      headerSecret: 'header-secret-9',
      cookieSecret: 'cookie-secret-9',
    };
    for (const [name, secret] of Object.entries(secrets)) expect(text.includes(secret), name).toBe(false);
    for (const cookie of cookies) expect(text).not.toContain(cookie);

    // Each OAuth hop has its request line, with the query string withheld.
    const oauthUrls = requestLines()
      .map((l) => l.req?.url ?? '')
      .filter((url) => url.includes('oauth'));
    expect(oauthUrls).toEqual([
      '/oauth/linkedin/start?[redacted]',
      '/linkedin-sandbox/oauth/v2/authorization?[redacted]',
      '/oauth/linkedin/callback?[redacted]',
    ]);
    // Every request line carries a request id.
    for (const line of requestLines()) expect(line.reqId).toBeTruthy();
  });
});

describe('a LinkedIn failure', () => {
  it('is logged once, with its code, the endpoint and both request ids, after the retries and through every layer', async () => {
    t = await createTestApp({ captureLogs: true });
    const reply = await t.command('link', { userId: 'U1' });
    const browser = t.browser();
    const start = await browser.get(findButtonUrl(reply.json())!);
    const consent = new URL(start.headers.location as string);
    const approved = await browser.get(`${consent.pathname}${consent.search}&member=maya-chen`);
    // LinkedIn's REST API now answers 500 to everything: the ad accounts look-up of the link fails.
    t.sandbox.knobs.rate500 = 1;
    const callback = await browser.get(approved.headers.location as string);
    expect(callback.statusCode).toBe(502);
    const reqId = callback.headers['x-request-id'] as string;

    // The client tried four times…
    const metrics = readExposition((await t.server.inject({ method: 'GET', url: '/metrics' })).body);
    expect(
      metrics.value('audience_bot_linkedin_calls_total', {
        endpoint: 'adAccountUsers.authenticatedUser',
        status: '500',
      }),
    ).toBe(4);

    // …and the failure is one line, tied to the callback request.
    const failures = lines().filter((l) => l.linkedinCode !== undefined);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      msg: 'LinkedIn call failed',
      level: 40,
      reqId,
      linkedinCode: 'INTERNAL_SERVER_ERROR',
      status: 500,
      endpoint: 'adAccountUsers.authenticatedUser',
      code: 'linkedin_server_error',
      method: 'adAccounts',
    });
    expect(failures[0]!.requestId).toEqual(expect.any(String));
    expect(t.logs.join('').split('INTERNAL_SERVER_ERROR')).toHaveLength(2);

    // The route still says what it was doing, pointing at the line above instead of repeating it.
    const context = lines().filter((l) => l.msg === 'completing the LinkedIn link failed');
    expect(context).toHaveLength(1);
    expect(context[0]).toMatchObject({ reqId, err: { type: 'ServerError', alreadyLogged: true } });
    expect(JSON.stringify(context[0])).not.toContain('adAccountUsers');
  });
});

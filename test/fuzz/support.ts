import fc from 'fast-check';
/**
 * The fuzz tests' app and checks: the real bot with the query flow, a few linked people and a finished query of
 * Maya's, raw signed requests of any shape, and the verdict on one request — its HTTP status, anything thrown
 * (process guard and listener failures in the log), and what reached the person, read for leaks.
 */
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { SlackUserKey, StoredQuery } from '../../src/db/types.js';
import { queryFlowExtension } from '../../src/slack/query/index.js';
import { entityNamed, linkAs, openModal, submitModal } from '../query/support.js';
import { installProcessGuard, leaksIn, type ProcessGuard, readableText } from '../soak/harness.js';
import { addressedTo } from '../soak/world.js';
import type { ResponseUrlPost, SlackCall } from '../support/fakeSlack.js';
import { signedRequest, TEST_TEAM_ID } from '../support/slackRequests.js';
import { createTestApp, type TestApp } from '../support/testApp.js';

export const MAYA: SlackUserKey = { teamId: TEST_TEAM_ID, userId: 'UMAYA' };
export const LIAM: SlackUserKey = { teamId: TEST_TEAM_ID, userId: 'ULIAM' };
export const SOFIA: SlackUserKey = { teamId: TEST_TEAM_ID, userId: 'USOFIA' };
export const ACCOUNT_123 = 'urn:li:sponsoredAccount:123';
export const US = 'urn:li:geo:103644278';
export const FORM = 'application/x-www-form-urlencoded';

/** fast-check runs per property: enough variety to find a crash, few enough to keep the suite quick. */
export const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
/** A property's runs together, on a slow machine. */
export const PROPERTY_TIMEOUT_MS = 90_000;

/**
 * Names of Object.prototype's members: Bolt 5.1 keys a plain object by team ids (its client pool), so these as a
 * team id once crashed it. Mixed into every arbitrary string that can land in an id.
 */
export const PROTOTYPE_NAMES = ['valueOf', 'constructor', 'toString', 'hasOwnProperty', '__proto__'] as const;

/** `strings`, and now and then the name of an Object.prototype member. */
export const withPrototypeNames = (strings: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.oneof({ weight: 5, arbitrary: strings }, { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_NAMES) });

export interface FuzzWorld {
  t: TestApp;
  guard: ProcessGuard;
  /** A finished query of Maya's (account 123, where Liam has no role). */
  mayaQuery: StoredQuery;
  /** Credentials and secrets no person may ever read. */
  secrets: string[];
  close(): Promise<void>;
}

export async function buildFuzzWorld(): Promise<FuzzWorld> {
  const guard = installProcessGuard();
  const t = await createTestApp({ extensions: [queryFlowExtension()], captureLogs: true });
  for (const [key, member] of [
    [MAYA, 'maya-chen'],
    [LIAM, 'liam-okafor'],
    [SOFIA, 'sofia-rossi'],
  ] as const) {
    t.slack.addUser({ id: key.userId, name: key.userId.toLowerCase() });
    await linkAs(t, key, member);
  }
  const { view } = await openModal(t, MAYA);
  await submitModal(t, MAYA, view, {
    account: ACCOUNT_123,
    include: [
      [{ facet: 'locations', values: [{ urn: US, name: 'United States' }] }],
      [{ facet: 'skills', values: [entityNamed(t, 'skills', 'Python')] }],
    ],
    groupBy: 'jobFunctions',
  });
  const mayaQuery = t.app.db.repos.queries.listRecent(MAYA, 1)[0];
  if (mayaQuery?.status !== 'done') throw new Error('the fuzz world needs a finished query of Maya’s');
  const secrets = [
    t.signingSecret,
    t.config.slack.botToken!,
    t.sandbox.clientSecret,
    ...[MAYA, LIAM, SOFIA].flatMap((k) => {
      const link = t.app.db.repos.links.get(k)!;
      return [link.accessToken, link.refreshToken ?? ''];
    }),
  ];
  t.slack.reset();
  t.logs.length = 0;
  return {
    t,
    guard,
    mayaQuery,
    secrets,
    async close() {
      guard.uninstall();
      await t.close();
    },
  };
}

/** Any body, signed like Slack signs: the receiver accepts the signature and must cope with the content. */
export function sendRaw(t: TestApp, body: string, contentType: string): Promise<LightMyRequestResponse> {
  return t.server.inject(signedRequest(body, contentType, t.sign()));
}

export const sendPayload = (t: TestApp, payload: unknown): Promise<LightMyRequestResponse> =>
  sendRaw(t, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM);

export const sendForm = (t: TestApp, fields: Record<string, string>): Promise<LightMyRequestResponse> =>
  sendRaw(t, new URLSearchParams(fields).toString(), FORM);

export interface Exchange {
  res: LightMyRequestResponse;
  /** Web API calls the bot made for this request. */
  calls: SlackCall[];
  /** respond() posts it made. */
  responses: ResponseUrlPost[];
  /** Listener failures and errors logged while it ran. */
  errors: string[];
}

/** Sends one request and collects what it caused (requests run one at a time in a property). */
export async function exchange(world: FuzzWorld, send: () => Promise<LightMyRequestResponse>): Promise<Exchange> {
  const { t } = world;
  const from = t.slack.calls.length;
  const responsesFrom = t.slack.responses.length;
  const logFrom = t.logs.length;
  const res = await send();
  const errors: string[] = [];
  for (const line of t.logs
    .slice(logFrom)
    .flatMap((chunk) => chunk.split('\n'))
    .filter(Boolean)) {
    const entry = JSON.parse(line) as { level: number; msg?: string; err?: { type?: string; message?: string } };
    if (entry.level >= 50) errors.push(`${entry.msg}: ${entry.err?.type ?? ''} ${entry.err?.message ?? ''}`);
  }
  return { res, calls: t.slack.calls.slice(from), responses: t.slack.responses.slice(responsesFrom), errors };
}

export interface Person {
  userId: string;
  responseUrl?: string;
}

/** Everything the person got: the ack body, respond() posts to their response_url, calls addressed to them. */
export function whatReached(ex: Exchange, person: Person): string[] {
  const texts: string[] = [];
  if (ex.res.body.length > 0) texts.push(ex.res.body);
  for (const r of ex.responses) if (r.url === person.responseUrl) texts.push(readableText(r.body));
  // One request at a time: a modal opened during it was opened for its sender, whatever trigger_id it carried.
  const triggers = new Set(ex.calls.filter((c) => c.method === 'views.open').map((c) => String(c.args.trigger_id)));
  const views = new Set(
    ex.calls.filter((c) => c.method === 'views.open' && c.response.ok).map((c) => String(c.response.view.id)),
  );
  for (const c of ex.calls) {
    if (c.response.ok && addressedTo(c, person.userId, views, triggers)) {
      texts.push(readableText(c.args.blocks ?? c.args.view ?? c.args.text));
    }
  }
  return texts;
}

/**
 * The verdict every fuzzed request must pass: answered 2xx/4xx, nothing thrown, nothing leaked in what any
 * person could read (the ack, respond() posts, and every message or view the bot sent).
 */
export function problemsWith(world: FuzzWorld, ex: Exchange): string[] {
  const problems: string[] = [];
  if (ex.res.statusCode >= 500 || ex.res.statusCode < 200) problems.push(`HTTP ${ex.res.statusCode}`);
  problems.push(...ex.errors.map((e) => `logged error: ${e}`));
  problems.push(...world.guard.errors.splice(0).map((e) => `process: ${e}`));
  const readable = [
    ex.res.body,
    ...ex.calls.map((c) => readableText([c.args.text, c.args.blocks, c.args.view, c.args.attachments])),
    ...ex.responses.map((r) => readableText(r.body)),
  ];
  for (const text of readable) problems.push(...leaksIn(text, world.secrets).map((l) => `leak: ${l}`));
  if (world.t.slack.unexpected.length > 0) problems.push(`unexpected URLs: ${world.t.slack.unexpected.splice(0)}`);
  return problems;
}

/** The bar every malformed request must clear: a 2xx/4xx, nothing thrown or logged as an error, nothing leaked. */
export function expectClean(world: FuzzWorld, ex: Exchange): void {
  expect(problemsWith(world, ex)).toEqual([]);
  expect(ex.res.statusCode).toBeLessThan(500);
}

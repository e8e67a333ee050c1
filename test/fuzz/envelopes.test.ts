/**
 * Signed request bodies that are not what they claim to be: Events API envelopes with unknown or malformed
 * events, url_verification without a usable challenge, JSON that is not an object, bodies in other content
 * types, and random objects. The bot answers 2xx/4xx and throws nothing.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_APP_ID, TEST_TEAM_ID } from '../support/slackRequests.js';
import {
  buildFuzzWorld,
  exchange,
  expectClean,
  FORM,
  type FuzzWorld,
  LIAM,
  MAYA,
  PROPERTY_TIMEOUT_MS,
  problemsWith,
  RUNS,
  sendRaw,
  withPrototypeNames,
} from './support.js';

const EVENT_TYPES = [
  'app_home_opened',
  'app_mention',
  'message',
  'member_joined_channel',
  'tokens_revoked',
  'app_uninstalled',
  'team_join',
  'user_change',
];

const scalar = fc.oneof(
  withPrototypeNames(fc.string({ maxLength: 20 })),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);

describe('envelopes, malformed', () => {
  let world: FuzzWorld;
  beforeAll(async () => {
    world = await buildFuzzWorld();
  }, 60_000);
  afterAll(async () => {
    await world?.close();
  });

  it(
    'event_callback with unknown or malformed events: 2xx/4xx, nothing thrown',
    async () => {
      const { t } = world;
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(fc.constantFrom(...EVENT_TYPES), fc.string({ maxLength: 20 }), scalar),
          // (`user: null` crashes inside Bolt: a known bug, see bugs.test.ts.)
          fc
            .oneof(fc.constantFrom(MAYA.userId, LIAM.userId, 'UNOBODY'), scalar, fc.constant(undefined))
            .filter((u) => u !== null),
          fc.oneof(fc.constantFrom('home', 'messages'), scalar, fc.constant(undefined)),
          fc.dictionary(fc.string({ maxLength: 8 }), scalar, { maxKeys: 3 }),
          fc.oneof(fc.constant('valid'), fc.constant(undefined), fc.constant(null), fc.constant([]), scalar),
          async (type, user, tab, extra, authorizations) => {
            const envelope: Record<string, unknown> = {
              token: 'deprecated-verification-token',
              team_id: TEST_TEAM_ID,
              api_app_id: TEST_APP_ID,
              type: 'event_callback',
              event_id: `Ev${randomUUID().replaceAll('-', '').slice(0, 12)}`,
              event_time: Math.floor(t.clock.now() / 1000),
              event: { ...extra, type, user, tab, channel: 'DMAYA', event_ts: '1700000000.000100' },
              authorizations:
                authorizations === 'valid'
                  ? [{ team_id: TEST_TEAM_ID, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }]
                  : authorizations,
            };
            const ex = await exchange(world, () => sendRaw(t, JSON.stringify(envelope), 'application/json'));
            expectClean(world, ex);
          },
        ),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'url_verification and app_rate_limited with any challenge: the challenge echoed or a 400, nothing thrown',
    async () => {
      const { t } = world;
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('url_verification', 'app_rate_limited'),
          fc.oneof(fc.string({ maxLength: 100 }), scalar, fc.constant(undefined), fc.constant('x'.repeat(100 * 1024))),
          async (type, challenge) => {
            const ex = await exchange(world, () => sendRaw(t, JSON.stringify({ type, challenge }), 'application/json'));
            expect(problemsWith(world, ex)).toEqual([]);
            if (type === 'url_verification' && typeof challenge === 'string') {
              expect(ex.res.statusCode).toBe(200);
              expect(ex.res.json()).toEqual({ challenge });
            } else {
              expect(ex.res.statusCode).toBeLessThan(500);
            }
          },
        ),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'JSON that is not an object, and bodies that are not JSON: 4xx, nothing thrown',
    async () => {
      const { t } = world;
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.json().filter((j) => !j.trim().startsWith('{')),
            fc.string({ maxLength: 200 }),
            fc.constantFrom('', '{', '{"type":"event_callback"', 'null', '[]', '"event_callback"', '\u0000'),
          ),
          async (body) => {
            const ex = await exchange(world, () => sendRaw(t, body, 'application/json'));
            expect(problemsWith(world, ex)).toEqual([]);
            expect(ex.res.statusCode).toBeGreaterThanOrEqual(400);
            expect(ex.res.statusCode).toBeLessThan(500);
          },
        ),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'any JSON object, in any content type: 2xx/4xx, nothing thrown',
    async () => {
      const { t } = world;
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.object({ maxDepth: 2, key: withPrototypeNames(fc.string({ maxLength: 10 })) }),
            fc.record({
              type: fc.constantFrom('event_callback', 'block_actions', 'view_submission', 'block_suggestion'),
            }),
          ),
          fc.constantFrom(
            'application/json',
            'application/json; charset=utf-8',
            'text/plain',
            FORM,
            'multipart/form-data',
            '',
          ),
          async (body, contentType) => {
            const raw =
              contentType === FORM
                ? new URLSearchParams({ payload: JSON.stringify(body) }).toString()
                : JSON.stringify(body);
            const ex = await exchange(world, () => sendRaw(t, raw, contentType));
            expectClean(world, ex);
          },
        ),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'a form that is not a Slack form (no payload, odd fields, ssl_check): 2xx/4xx, nothing thrown',
    async () => {
      const { t } = world;
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(
            fc.oneof(
              fc.constantFrom('payload', 'command', 'ssl_check', 'type', 'team_id', 'user_id'),
              fc.string({ maxLength: 8 }),
            ),
            withPrototypeNames(fc.string({ maxLength: 50 })),
            { maxKeys: 5 },
          ),
          async (fields) => {
            const ex = await exchange(world, () => sendRaw(t, new URLSearchParams(fields).toString(), FORM));
            expectClean(world, ex);
          },
        ),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

/**
 * Signed but malformed slash commands: any text (quick-query fragments, unicode, control characters, 100 KB),
 * fields missing or of the wrong shape, repeated fields, and JSON bodies with non-string values. The bot answers
 * 2xx/4xx, throws nothing, leaks nothing, and whoever Slack would show the answer to gets a clear one.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { triggerId } from '../support/slackRequests.js';
import {
  buildFuzzWorld,
  exchange,
  expectClean,
  type FuzzWorld,
  LIAM,
  MAYA,
  PROPERTY_TIMEOUT_MS,
  problemsWith,
  RUNS,
  sendRaw,
  whatReached,
  withPrototypeNames,
} from './support.js';

const KB100 = 100 * 1024;

/** Pieces of the quick-query language, glued together in any order. */
const quickQueryish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        'by:',
        'by:jobFunctions',
        'by:nothing',
        'location:"United States"',
        'location:',
        'skill:Python',
        'skill:"',
        'skil:Pythn',
        'top:0',
        'top:5',
        'top:-1',
        'top:1e9',
        'top:NaN',
        'not:skill:Java',
        '-seniority:Unpaid',
        '-',
        'account:123',
        'account:999999999',
        'account:',
        '"',
        '“',
        '”',
        ':',
        '::',
        'segment:x',
        'order:hierarchical',
      ),
      fc.string({ maxLength: 20 }),
      fc.string({ unit: 'grapheme', maxLength: 20 }),
    ),
    { maxLength: 14 },
  )
  .map((parts) => parts.join(' '));

const controlChars = fc
  .array(fc.integer({ min: 0, max: 31 }), { minLength: 1, maxLength: 40 })
  .map((codes) => String.fromCharCode(...codes));

const huge = fc.constantFrom(
  'a'.repeat(KB100),
  `skill:${'x'.repeat(KB100)}`,
  `location:"${'United States '.repeat(KB100 / 14)}`,
  'skill:Python '.repeat(KB100 / 13),
  '"'.repeat(KB100),
  '🙂'.repeat(KB100 / 4),
  `by:${'jobFunctions'.repeat(KB100 / 12)}`,
);

const commandText = fc.oneof(
  { weight: 4, arbitrary: quickQueryish },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: controlChars },
  { weight: 1, arbitrary: huge },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', 'status', 'help', '?', 'link', 'HELP me', 'status\u0000', '\n\n') },
);

interface Field {
  value: string | undefined;
  /** As Slack would send it. */
  valid: boolean;
}

/**
 * A field as Slack sends it, missing, empty, or something else entirely (names of Object.prototype's members
 * included: as a team id they once crashed Bolt).
 */
const field = (valid: fc.Arbitrary<string>): fc.Arbitrary<Field> =>
  fc.oneof(
    { weight: 6, arbitrary: valid.map((v) => ({ value: v, valid: true })) },
    { weight: 1, arbitrary: fc.constant({ value: undefined, valid: false }) },
    { weight: 1, arbitrary: fc.constant({ value: '', valid: false }) },
    {
      weight: 1,
      arbitrary: withPrototypeNames(fc.string({ unit: 'grapheme', maxLength: 30 })).map((v) => ({
        value: v,
        valid: false,
      })),
    },
  );

describe('slash commands, malformed', () => {
  let world: FuzzWorld;
  beforeAll(async () => {
    world = await buildFuzzWorld();
  }, 60_000);
  afterAll(async () => {
    await world?.close();
  });

  it(
    'any text from a linked or unlinked person: 2xx, nothing thrown, a clear answer',
    async () => {
      const { t } = world;
      await fc.assert(
        fc.asyncProperty(
          commandText,
          fc.constantFrom(MAYA.userId, LIAM.userId, 'UNOBODY'),
          fc.constantFrom('C0TEST', 'DMAYA', 'G0PRIVATE'),
          async (text, userId, channelId) => {
            // Unlinking would change who is linked for the runs after this one; it is tested elsewhere.
            if (/^\s*unlink\b/i.test(text)) return;
            const responseUrl = t.slack.responseUrl();
            const trigger = triggerId();
            const ex = await exchange(world, () =>
              t.command(text, { userId, channelId, responseUrl, triggerId: trigger }),
            );
            expect(problemsWith(world, ex)).toEqual([]);
            expect(ex.res.statusCode).toBe(200);
            expect(whatReached(ex, { userId, responseUrl })).not.toEqual([]);
          },
        ),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'fields missing, empty, repeated or garbage: 2xx/4xx, nothing thrown, an answer when the sender is known',
    async () => {
      const { t } = world;
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            team_id: field(fc.constant(MAYA.teamId)),
            user_id: field(fc.constantFrom(MAYA.userId, LIAM.userId, 'UNOBODY')),
            channel_id: field(fc.constant('C0TEST')),
            command: field(fc.constantFrom('/audience', '/AUDIENCE', '/other')),
            text: field(commandText),
            // A fresh trigger_id per request (FRESH): a repeated one is a duplicate delivery, dropped by design.
            trigger_id: field(fc.constant('FRESH')),
            response_url: field(fc.constant(t.slack.responseUrl())),
          }),
          fc.boolean(),
          fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 20 }), { maxKeys: 3 }),
          async (fields, repeatText, extra) => {
            const form = new URLSearchParams();
            if (fields.trigger_id.value === 'FRESH') fields.trigger_id.value = triggerId();
            for (const [name, { value }] of Object.entries(fields)) if (value !== undefined) form.append(name, value);
            if (repeatText) form.append('text', 'status');
            for (const [name, value] of Object.entries(extra)) form.append(name, value);
            if (/^\s*unlink\b/i.test(form.get('text') ?? '')) return;
            const ex = await exchange(world, () => sendRaw(t, form.toString(), 'application/x-www-form-urlencoded'));
            expectClean(world, ex);
            // Slack shows the answer to a known sender of /audience through the response_url it gave.
            const waiting =
              fields.team_id.valid &&
              fields.user_id.valid &&
              fields.response_url.valid &&
              fields.command.value === '/audience';
            if (waiting && ex.res.statusCode === 200) {
              const person = {
                userId: fields.user_id.value!,
                responseUrl: fields.response_url.value!,
              };
              expect(whatReached(ex, person)).not.toEqual([]);
            }
          },
        ),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'a JSON body with values of the wrong types: 2xx/4xx and nothing thrown',
    async () => {
      const { t } = world;
      const anyValue = fc.oneof(
        withPrototypeNames(fc.string({ maxLength: 20 })),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
        fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.record(
            {
              team_id: fc.oneof(fc.constant(MAYA.teamId), anyValue),
              user_id: fc.oneof(fc.constant(MAYA.userId), anyValue),
              channel_id: anyValue,
              command: fc.oneof(fc.constant('/audience'), anyValue),
              text: fc.oneof(commandText, anyValue),
              trigger_id: fc.oneof(fc.constant('FRESH'), anyValue),
              response_url: fc.oneof(fc.constant(t.slack.responseUrl()), anyValue),
            },
            { requiredKeys: ['command'] },
          ),
          async (body) => {
            if (typeof body.text === 'string' && /^\s*unlink\b/i.test(body.text)) return;
            if (body.trigger_id === 'FRESH') body.trigger_id = triggerId();
            const ex = await exchange(world, () => sendRaw(t, JSON.stringify(body), 'application/json'));
            expectClean(world, ex);
          },
        ),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

/**
 * Signed but malformed interactivity payloads: block_actions with unknown action ids, missing or odd `actions`,
 * wrong `type`, stale or unknown views, garbage or forged values and private_metadata; view_submission with
 * malformed `state.values`; block_suggestion with huge values. The bot answers 2xx/4xx, throws nothing, leaks
 * nothing, and a person who clicked a result's button or submitted our form gets a clear answer.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GROUP_BY_FACETS } from '../../src/linkedin/facets.js';
import { ACTION, parseBreakDownValue } from '../../src/slack/blocks/actions.js';
import { LINK_ACTION_IDS } from '../../src/slack/blocks/linking.js';
import { TEMPLATE_MODAL_CALLBACK_ID } from '../../src/slack/query/views.js';
import {
  AUDIENCE_MODAL_CALLBACK_ID,
  encodeModalMetadata,
  MODAL_ACTION,
  MODAL_BLOCK,
} from '../../src/slack/views/audienceModal.js';
import { blockActions, blockSuggestion, TEST_APP_ID, TEST_TEAM_ID, triggerId } from '../support/slackRequests.js';
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
  SOFIA,
  sendPayload,
  sendRaw,
  whatReached,
  withPrototypeNames,
} from './support.js';

/** Buttons and menus on answers, the App Home and link prompts: a person clicked and waits for something. */
const ANSWERING_ACTIONS = [
  ACTION.shareToChannel,
  ACTION.breakDownBy,
  ACTION.editQuery,
  ACTION.saveTemplate,
  ACTION.compareWith,
  ACTION.queryRerun,
  ACTION.linkLinkedIn,
  LINK_ACTION_IDS.startLink,
  LINK_ACTION_IDS.defaultAccount,
  LINK_ACTION_IDS.refreshAccounts,
  'workspace_chart_style',
] as const;

/** Controls inside the open modal: they only update it, and only when it is our modal. */
const MODAL_ACTIONS = Object.values(MODAL_ACTION);

const users = fc.constantFrom(MAYA.userId, LIAM.userId, SOFIA.userId, 'UNOBODY');

const hugeString = fc.constantFrom('x'.repeat(100 * 1024), '🙂'.repeat(30_000), `${randomUUID()}|`.repeat(3000));

/**
 * A value a button or menu might carry: a real query id (Maya's), "id|facet", garbage, huge. (Values that are not
 * strings reach the database and fail there: a known bug, see bugs.test.ts.)
 */
const actionValue = (world: () => FuzzWorld) =>
  fc
    .oneof(
      fc.constant(undefined),
      fc.constant('MAYA_QUERY'),
      fc.constantFrom(...GROUP_BY_FACETS.map((f) => `MAYA_QUERY|${f.name}`), 'MAYA_QUERY|nothing', 'MAYA_QUERY|'),
      fc.uuid(),
      fc.uuid().map((id) => `${id}|seniorities`),
      fc.string({ maxLength: 40 }),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      hugeString,
    )
    .map((v) => (typeof v === 'string' ? v.replaceAll('MAYA_QUERY', world().mayaQuery.id) : v));

/** private_metadata: ours (in any mode, naming Maya's query or a stale one), JSON of the wrong shape, or junk. */
const privateMetadata = (world: () => FuzzWorld) =>
  fc.oneof(
    fc
      .record({
        mode: fc.constantFrom('new', 'edit', 'compare') as fc.Arbitrary<'new' | 'edit' | 'compare'>,
        baseQueryId: fc.oneof(fc.constant('MAYA_QUERY'), fc.uuid(), fc.constant(undefined)),
        includeRows: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }),
        excludeRows: fc.integer({ min: 0, max: 2 }),
        channelId: fc.constantFrom('C0TEST', 'DMAYA', undefined),
        fixedGroupBy: fc.constantFrom(undefined, GROUP_BY_FACETS[0]!.urn, 'urn:li:adTargetingFacet:nothing'),
      })
      .map((m) =>
        encodeModalMetadata({
          ...m,
          ...(m.baseQueryId === 'MAYA_QUERY' ? { baseQueryId: world().mayaQuery.id } : {}),
        } as Parameters<typeof encodeModalMetadata>[0]),
      ),
    fc.constantFrom('', 'null', '[]', '{}', '{"v":1}', '{"v":1,"m":"new","g":[1e9],"x":-1}', '{"q":"nope"}'),
    fc.constant('MAYA_TEMPLATE').map(() => JSON.stringify({ q: world().mayaQuery.id })),
    fc.json({ maxDepth: 2 }),
    fc.string({ maxLength: 3000 }),
  );

/** One element state as Slack sends it, or not. */
const elementState = fc.oneof(
  fc.record({
    type: fc.constantFrom('static_select', 'external_select'),
    selected_option: fc.oneof(
      fc.constant(null),
      fc.record({ text: fc.record({ type: fc.constant('plain_text'), text: fc.string() }), value: fc.string() }),
      fc.anything({ maxDepth: 1 }),
    ),
  }),
  fc.record({
    type: fc.constant('multi_external_select'),
    selected_options: fc.oneof(
      fc.array(fc.record({ text: fc.record({ text: fc.string() }), value: fc.string() }), { maxLength: 5 }),
      fc.array(fc.anything({ maxDepth: 1 }), { maxLength: 3 }),
      fc.anything({ maxDepth: 1 }),
    ),
  }),
  fc.record({
    type: fc.constantFrom('number_input', 'plain_text_input'),
    value: fc.oneof(fc.string(), fc.anything({ maxDepth: 1 })),
  }),
  fc.anything({ maxDepth: 2 }),
);

const blockIds = fc.oneof(
  fc.constantFrom(
    ...Object.values(MODAL_BLOCK),
    'inc:0:0:facet',
    'inc:0:0:values:skills',
    'exc:0:facet',
    'template_name',
  ),
  fc.string({ maxLength: 20 }),
);
const actionIds = fc.oneof(
  fc.constantFrom(
    ...MODAL_ACTIONS,
    'facet_values:skills',
    'facet_values:locations',
    'template_name_input',
    'include_facet',
  ),
  fc.string({ maxLength: 20 }),
);

/** What someone might type as a template name. */
const templateName = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.constantFrom('', '   ', 'x'.repeat(100 * 1024), '\u0000\u0001', '<!channel> *bold* `code`'),
);

/** `view.state.values`: block id → action id → state, or not even that. */
const stateValues = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.dictionary(blockIds, fc.dictionary(actionIds, elementState, { maxKeys: 3 }), { maxKeys: 8 }),
  },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) },
);

describe('interactivity, malformed', () => {
  let world: FuzzWorld;
  const getWorld = () => world;
  beforeAll(async () => {
    world = await buildFuzzWorld();
  }, 60_000);
  afterAll(async () => {
    await world?.close();
  });

  it(
    'block_actions with any action id, value, type and container: 2xx/4xx, nothing thrown, an answer to a click',
    async () => {
      const { t } = world;
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            { weight: 4, arbitrary: fc.constantFrom(...ANSWERING_ACTIONS) },
            { weight: 2, arbitrary: fc.constantFrom(...MODAL_ACTIONS) },
            { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
          ),
          actionValue(getWorld),
          fc.constantFrom('button', 'static_select', 'external_select', 'overflow', 'datepicker', 'bogus'),
          fc.constantFrom('message', 'home', 'modal'),
          users,
          privateMetadata(getWorld),
          fc.constantFrom('VMODAL', 'VSTALE', ''),
          async (actionId, value, type, container, userId, metadata, viewId) => {
            const base = blockActions({
              actionId,
              userId,
              container,
              triggerId: triggerId(),
              responseUrl: t.slack.responseUrl(),
              ...(container !== 'message'
                ? {
                    view: {
                      id: viewId,
                      type: container,
                      hash: 'h1',
                      callback_id: AUDIENCE_MODAL_CALLBACK_ID,
                      private_metadata: metadata,
                      blocks: [],
                      state: { values: {} },
                    },
                  }
                : {}),
            });
            const action = (base.actions as Array<Record<string, unknown>>)[0]!;
            action.type = type;
            delete action.value;
            if (type === 'button') action.value = value;
            else action.selected_option = { text: { type: 'plain_text', text: 'x' }, value };
            const ex = await exchange(world, () => sendPayload(t, base));
            expectClean(world, ex);
            // Someone who clicked one of the bot's buttons (as the bot renders them: a button's value, a menu's
            // selected option) is answered. (The "Link" URL button, which opens the browser itself, is not listed.)
            // A "Break down by" value that names no facet is not answered: a known bug (bugs.test.ts).
            // (The menu's choice is read from selected_option: a "button" carries none.)
            const unreadableBreakDown =
              actionId === ACTION.breakDownBy &&
              (type === 'button' || !(typeof value === 'string' && parseBreakDownValue(value)));
            const rendered = (ANSWERING_ACTIONS as readonly string[]).includes(actionId) && !unreadableBreakDown;
            if (rendered && ex.res.statusCode === 200) {
              const person = {
                userId,
                responseUrl: String(base.response_url ?? ''),
              };
              expect(whatReached(ex, person), `${actionId} ${type} ${String(value).slice(0, 60)}`).not.toEqual([]);
            }
          },
        ),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'block_actions missing actions, with odd actions, a wrong type or no user: 2xx/4xx and nothing thrown',
    async () => {
      const { t } = world;
      const oddActions = fc.oneof(
        fc.constant(undefined),
        fc.constant([]),
        fc.anything({ maxDepth: 1 }),
        fc.array(fc.anything({ maxDepth: 0 }), { minLength: 1, maxLength: 2 }),
        fc.array(
          fc.record(
            {
              action_id: fc.oneof(
                fc.constantFrom(...ANSWERING_ACTIONS, ...MODAL_ACTIONS),
                fc.anything({ maxDepth: 0 }),
              ),
              type: fc.anything({ maxDepth: 0 }),
              value: fc.string({ maxLength: 40 }),
              selected_option: fc.oneof(
                fc.anything({ maxDepth: 1 }),
                fc.record({ value: fc.string({ maxLength: 40 }) }),
              ),
            },
            { requiredKeys: [] },
          ),
          { minLength: 1, maxLength: 2 },
        ),
      );
      await fc.assert(
        fc.asyncProperty(
          oddActions,
          fc.oneof(
            fc.constantFrom(
              'block_actions',
              'interactive_message',
              'message_action',
              'shortcut',
              'dialog_submission',
              'view_closed',
              'view_submission',
            ),
            fc.string({ maxLength: 20 }),
            fc.anything({ maxDepth: 0 }),
          ),
          fc.oneof(
            fc.constant('keep'),
            fc.constant(undefined),
            fc.constant(null),
            fc.string(),
            fc.constant({ id: 'UMAYA' }),
            fc.record({ id: fc.oneof(fc.constant(''), fc.anything({ maxDepth: 0 })) }),
          ),
          fc.oneof(
            fc.constant('keep'),
            fc.constant(undefined),
            fc.constant(null),
            fc.record({ id: fc.oneof(withPrototypeNames(fc.string({ maxLength: 12 })), fc.anything({ maxDepth: 0 })) }),
          ),
          async (actions, type, user, team) => {
            const payload: Record<string, unknown> = blockActions({
              actionId: ACTION.queryRerun,
              value: world.mayaQuery.id,
              userId: MAYA.userId,
              responseUrl: t.slack.responseUrl(),
            });
            payload.actions = actions;
            payload.type = type;
            if (user !== 'keep') payload.user = user;
            if (team !== 'keep') payload.team = team;
            const ex = await exchange(world, () => sendPayload(t, payload));
            expectClean(world, ex);
          },
        ),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'view_submission with malformed state, garbage or forged metadata, unknown or stale views: 2xx/4xx, nothing thrown, an answer',
    async () => {
      const { t } = world;
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            { weight: 4, arbitrary: fc.constant(AUDIENCE_MODAL_CALLBACK_ID) },
            { weight: 2, arbitrary: fc.constant(TEMPLATE_MODAL_CALLBACK_ID) },
            { weight: 1, arbitrary: fc.constantFrom('audience_query_loading', 'unknown_form', '') },
          ),
          privateMetadata(getWorld),
          stateValues,
          users,
          fc.constantFrom('state', 'no-state', 'state-null', 'no-view-id'),
          templateName,
          async (callbackId, metadata, anyValues, userId, shape, name) => {
            // The template form fails (500) on a state of the wrong shape, a known bug (bugs.test.ts): it gets
            // its one input with any text instead.
            const template = callbackId === TEMPLATE_MODAL_CALLBACK_ID;
            if (template && shape !== 'state') return;
            const values = template
              ? { template_name: { template_name_input: { type: 'plain_text_input', value: name } } }
              : anyValues;
            const view: Record<string, unknown> = {
              id: shape === 'no-view-id' ? undefined : `V${randomUUID().slice(0, 8)}`,
              type: 'modal',
              callback_id: callbackId,
              private_metadata: metadata,
              hash: 'h1',
              blocks: [],
              state: shape === 'state-null' ? null : { values },
            };
            if (shape === 'no-state') delete view.state;
            const payload = {
              type: 'view_submission',
              team: { id: TEST_TEAM_ID, domain: 'testteam' },
              user: { id: userId, username: 'tester', name: 'tester', team_id: TEST_TEAM_ID },
              api_app_id: TEST_APP_ID,
              token: 'deprecated-verification-token',
              trigger_id: triggerId(),
              view,
              response_urls: [],
              is_enterprise_install: false,
            };
            const ex = await exchange(world, () => sendPayload(t, payload));
            expectClean(world, ex);
            // Our forms are answered: errors beside the inputs, a new view, or the answer in the person's DM.
            const ours = callbackId === AUDIENCE_MODAL_CALLBACK_ID || callbackId === TEMPLATE_MODAL_CALLBACK_ID;
            if (ours && ex.res.statusCode === 200) {
              expect(whatReached(ex, { userId }), `${callbackId} ${shape} ${metadata.slice(0, 80)}`).not.toEqual([]);
            }
          },
        ),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'a block_suggestion of 100 KB: a list of options (none match), nothing thrown',
    async () => {
      const { t } = world;
      for (const value of ['x'.repeat(100 * 1024), '🙂'.repeat(25_000)]) {
        const ex = await exchange(world, () =>
          sendPayload(t, blockSuggestion({ actionId: 'facet_values:skills', value, userId: MAYA.userId })),
        );
        expect(problemsWith(world, ex)).toEqual([]);
        expect(ex.res.statusCode).toBe(200);
        expect(ex.res.json()).toEqual({ options: [] });
      }
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'block_suggestion with odd text, any facet, forged metadata: a list of options, nothing thrown',
    async () => {
      const { t } = world;
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.constantFrom('skills', 'titles', 'locations', 'employers', 'audienceMatchingSegments', 'seniorities'),
            fc.string({ maxLength: 30 }),
          ),
          // (A 100 KB value has its own test below: the sandbox takes seconds over one.)
          fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 200 }), fc.constant('')),
          users,
          fc.oneof(
            privateMetadata(getWorld),
            fc
              .constantFrom(
                'urn:li:sponsoredAccount:123',
                'urn:li:sponsoredAccount:516413367',
                'urn:li:sponsoredAccount:1',
                'x',
              )
              .map((a) => encodeModalMetadata({ mode: 'new', includeRows: [1], excludeRows: 1, extra: { a } })),
          ),
          async (facet, value, userId, metadata) => {
            const ex = await exchange(world, () =>
              sendPayload(
                t,
                blockSuggestion({ actionId: `facet_values:${facet}`, value, userId, privateMetadata: metadata }),
              ),
            );
            expect(problemsWith(world, ex)).toEqual([]);
            expect(ex.res.statusCode).toBe(200);
            const { options } = ex.res.json() as { options: Array<{ text: { text: string }; value: string }> };
            expect(Array.isArray(options)).toBe(true);
            expect(options.length).toBeLessThanOrEqual(100);
            for (const o of options) {
              expect(o.text.text.length).toBeLessThanOrEqual(75);
              expect(o.value.length).toBeLessThanOrEqual(150);
            }
          },
        ),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'a block_suggestion whose value or action id is not a string: 2xx/4xx and nothing thrown',
    async () => {
      const { t } = world;
      await fc.assert(
        fc.asyncProperty(fc.anything({ maxDepth: 1 }), fc.anything({ maxDepth: 1 }), async (value, actionId) => {
          const payload = blockSuggestion({ actionId: 'facet_values:skills', value: '', userId: MAYA.userId });
          payload.value = value;
          if (typeof actionId !== 'string') payload.action_id = actionId;
          const ex = await exchange(world, () => sendPayload(t, payload));
          expectClean(world, ex);
        }),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'a payload field that is not JSON, or JSON that is not an object: 4xx, nothing thrown',
    async () => {
      const { t } = world;
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.string({ maxLength: 200 }),
            fc.json().filter((j) => !j.trim().startsWith('{')),
            fc.constantFrom('{', '{"type":', 'undefined', 'NaN', '{"type":"block_actions"', '\u0000'),
          ),
          async (payload) => {
            const ex = await exchange(world, () =>
              sendRaw(t, new URLSearchParams({ payload }).toString(), 'application/x-www-form-urlencoded'),
            );
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
});

/**
 * Another person's query id, presented by someone else: in a button's value, a "Break down by" choice, the
 * modal's private_metadata (edit / compare), the template form's metadata, or the typeahead's account. Whoever
 * presents it acts with their own LinkedIn token or is refused: the owner's token is never used, the owner's
 * stored query is never changed, and the owner's numbers never reach anyone else. The clicker is answered.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackUserKey } from '../../src/db/types.js';
import { GROUP_BY_FACETS } from '../../src/linkedin/facets.js';
import { ACTION } from '../../src/slack/blocks/actions.js';
import { formatApproxCount } from '../../src/slack/blocks/segments.js';
import { TEMPLATE_MODAL_CALLBACK_ID, TEMPLATE_NAME_ACTION, TEMPLATE_NAME_BLOCK } from '../../src/slack/query/views.js';
import { AUDIENCE_MODAL_CALLBACK_ID, encodeModalMetadata } from '../../src/slack/views/audienceModal.js';
import { type LinkedInCallRecord, messageAction, modalValues, recordLinkedIn, submitView } from '../query/support.js';
import { blockSuggestion } from '../support/slackRequests.js';
import {
  ACCOUNT_123,
  buildFuzzWorld,
  exchange,
  type FuzzWorld,
  LIAM,
  MAYA,
  PROPERTY_TIMEOUT_MS,
  problemsWith,
  RUNS,
  SOFIA,
  sendPayload,
  US,
  whatReached,
} from './support.js';

type Forgery =
  | 'rerun'
  | 'breakDown'
  | 'edit'
  | 'compare'
  | 'share'
  | 'saveTemplate'
  | 'editForm'
  | 'compareForm'
  | 'templateForm';

/** Where the clicker's own click happens: a channel message, their App Home, or their DM with the bot. */
type Place = 'channel' | 'home' | 'dm';

describe('another person’s query id, forged', () => {
  let world: FuzzWorld;
  let linkedin: LinkedInCallRecord[];
  beforeAll(async () => {
    world = await buildFuzzWorld();
    linkedin = recordLinkedIn(world.t);
  }, 60_000);
  afterAll(async () => {
    await world?.close();
  });

  const tokenOf = (key: SlackUserKey) => world.t.app.db.repos.links.get(key)!.accessToken;

  /** A submitted audience form on Maya's account (where neither Liam nor Sofia has a role). */
  const formValues = () =>
    modalValues({
      account: ACCOUNT_123,
      include: [
        [{ facet: 'locations', values: [{ urn: US, name: 'United States' }] }],
        [{ facet: 'skills', values: [{ urn: 'urn:li:skill:17', name: 'Skill 17' }] }],
      ],
      groupBy: 'seniorities',
    });

  async function forge(kind: Forgery, clicker: SlackUserKey, place: Place) {
    const { t, mayaQuery } = world;
    const id = mayaQuery.id;
    const at =
      place === 'dm'
        ? { channel: `D${clicker.userId.slice(1)}`, ts: '1700000000.000300' }
        : { channel: 'C0TEST', ts: '1700000000.000400' };
    const click = (action: Parameters<typeof messageAction>[3]) =>
      place === 'home'
        ? t.action({
            actionId: action.actionId,
            userId: clicker.userId,
            container: 'home',
            ...(action.value ? { value: action.value } : {}),
            ...(action.selected ? { type: 'static_select' as const, selectedValue: action.selected } : {}),
          })
        : messageAction(t, clicker, at, action);
    const layout = { includeRows: [1, 1], excludeRows: 1 };
    switch (kind) {
      case 'rerun':
        return click({ actionId: ACTION.queryRerun, value: id });
      case 'breakDown':
        return click({ actionId: ACTION.breakDownBy, selected: `${id}|${GROUP_BY_FACETS[1]!.name}` });
      case 'edit':
        return click({ actionId: ACTION.editQuery, value: id });
      case 'compare':
        return click({ actionId: ACTION.compareWith, value: id });
      case 'share':
        return click({ actionId: ACTION.shareToChannel, value: id });
      case 'saveTemplate':
        return click({ actionId: ACTION.saveTemplate, value: id });
      case 'editForm':
      case 'compareForm': {
        const mode = kind === 'editForm' ? 'edit' : 'compare';
        const metadata = encodeModalMetadata({
          mode,
          baseQueryId: id,
          channelId: 'C0TEST',
          ...layout,
          ...(mode === 'compare' ? { fixedGroupBy: mayaQuery.spec.groupBy } : {}),
        });
        const view = { id: 'VFORGED', callback_id: AUDIENCE_MODAL_CALLBACK_ID, private_metadata: metadata, blocks: [] };
        return submitView(t, clicker, view, formValues());
      }
      case 'templateForm': {
        const view = {
          id: 'VFORGED',
          callback_id: TEMPLATE_MODAL_CALLBACK_ID,
          private_metadata: JSON.stringify({ q: id }),
          blocks: [],
        };
        return submitView(t, clicker, view, {
          [TEMPLATE_NAME_BLOCK]: { [TEMPLATE_NAME_ACTION]: { type: 'plain_text_input', value: 'Borrowed audience' } },
        });
      }
    }
  }

  it(
    'acts with the presenter’s own token or refuses; the owner’s token, record and numbers stay theirs',
    async () => {
      const { t, mayaQuery } = world;
      const before = JSON.stringify(t.app.db.repos.queries.get(mayaQuery.id));
      const mayaNumbers = formatApproxCount(mayaQuery.result!.totalAudienceCount);
      const mayaToken = tokenOf(MAYA);
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom<Forgery>(
            'rerun',
            'breakDown',
            'edit',
            'compare',
            'share',
            'saveTemplate',
            'editForm',
            'compareForm',
            'templateForm',
          ),
          fc.constantFrom(LIAM, SOFIA),
          fc.constantFrom<Place>('channel', 'home', 'dm'),
          async (kind, clicker, place) => {
            const calls = linkedin.length;
            const existing = new Set(t.app.db.repos.queries.listRecent(clicker, 1000).map((q) => q.id));
            const ex = await exchange(world, () => forge(kind, clicker, place));
            expect(problemsWith(world, ex)).toEqual([]);
            expect(ex.res.statusCode).toBe(200);

            // LinkedIn was asked with the presenter's token only.
            const tokens = new Set(
              linkedin
                .slice(calls)
                .map((c) => c.token)
                .filter(Boolean),
            );
            expect(tokens.has(mayaToken)).toBe(false);
            expect([...tokens].every((token) => token === tokenOf(clicker))).toBe(true);
            // Anything stored is the presenter's; Maya's query is as it was.
            for (const q of t.app.db.repos.queries.listRecent(clicker, 1000)) {
              if (!existing.has(q.id)) expect(q.userId).toBe(clicker.userId);
            }
            expect(JSON.stringify(t.app.db.repos.queries.get(mayaQuery.id))).toBe(before);
            // Neither has a role on Maya's account: her numbers could only come from her access.
            for (const c of ex.calls) expect(JSON.stringify(c.args)).not.toContain(mayaNumbers);
            expect(ex.res.body).not.toContain(mayaNumbers);
            // Nothing was posted to Maya, nor in her DM.
            expect(ex.calls.filter((c) => c.args.channel === MAYA.userId || c.args.channel === 'DMAYA')).toEqual([]);
            // And the presenter hears back (an answer, an error that names the problem, or a form).
            expect(whatReached(ex, { userId: clicker.userId }), `${kind} from ${place}`).not.toEqual([]);
          },
        ),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it('typeahead with another person’s ad account in the metadata lists only what the asker may see', async () => {
    const { t } = world;
    const mayaSegments = (await t.app.linkedin.adSegments(tokenOf(MAYA), ACCOUNT_123)).map(
      (s) => `urn:li:adSegment:${s.id}`,
    );
    expect(mayaSegments.length).toBeGreaterThan(0);
    // Maya's own typeahead fills the per-person cache first: it must not serve anyone else.
    const metadata = encodeModalMetadata({ mode: 'new', includeRows: [1], excludeRows: 1, extra: { a: ACCOUNT_123 } });
    const own = await sendPayload(
      t,
      blockSuggestion({
        actionId: 'facet_values:audienceMatchingSegments',
        value: '',
        userId: MAYA.userId,
        privateMetadata: metadata,
      }),
    );
    expect((own.json().options as Array<{ value: string }>).length).toBeGreaterThan(0);
    for (const clicker of [LIAM, SOFIA]) {
      const calls = linkedin.length;
      const ex = await exchange(world, () =>
        sendPayload(
          t,
          blockSuggestion({
            actionId: 'facet_values:audienceMatchingSegments',
            value: '',
            userId: clicker.userId,
            privateMetadata: metadata,
          }),
        ),
      );
      expect(problemsWith(world, ex)).toEqual([]);
      const values = (ex.res.json().options as Array<{ value: string }>).map((o) => o.value);
      expect(values.filter((v) => mayaSegments.includes(v))).toEqual([]);
      expect(linkedin.slice(calls).every((c) => c.token === '' || c.token === tokenOf(clicker))).toBe(true);
    }
  });
});

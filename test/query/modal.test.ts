/**
 * Asking: `/audience` opens the modal at once (trigger_id first, LinkedIn after), the modal follows the person's
 * choices with views.update, the typeahead answers with the asker's token, and problems are shown on the right
 * blocks without anything reaching LinkedIn.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { facetUrn, GROUP_BY_FACETS } from '../../src/linkedin/facets.js';
import {
  decodeModalMetadata,
  encodeModalMetadata,
  MODAL_ACTION,
  MODAL_BLOCK,
  valuesActionId,
} from '../../src/slack/views/audienceModal.js';
import { checkOptionsResponse, checkView } from '../support/blockKitLimits.js';
import { blockSuggestion, signInteraction, triggerId } from '../support/slackRequests.js';
import { closeCheckingFakes, findButtonUrl, type TestApp } from '../support/testApp.js';
import {
  ACCOUNT_123,
  currentModal,
  entityNamed,
  LIAM,
  layoutOf,
  linkAs,
  MAYA,
  type ModalInput,
  modalAction,
  modalValues,
  NOAH,
  openModal,
  queryFlowApp,
  recordLinkedIn,
  submitModal,
  submitView,
  textOf,
  tokenOf,
  US,
} from './support.js';

let t: TestApp;
afterEach(() => closeCheckingFakes(t));

const inputIds = (view: Record<string, any>) =>
  (view.blocks as any[]).filter((b) => b.type === 'input').map((b) => b.block_id as string);
const blockById = (view: Record<string, any>, id: string) => (view.blocks as any[]).find((b) => b.block_id === id);

describe('/audience opens the modal', () => {
  it('offers an unlinked person a private link prompt instead of a modal', async () => {
    t = await queryFlowApp();
    const res = await t.command('', { userId: NOAH.userId });
    expect(res.json().response_type).toBe('ephemeral');
    expect(findButtonUrl(res.json())).toMatch(/\/oauth\/linkedin\/start\?ticket=/);
    expect(t.slack.callsTo('views.open')).toHaveLength(0);
  });

  it('opens the whole form with the trigger_id when the accounts are cached: no LinkedIn call at all', async () => {
    t = await queryFlowApp();
    await linkAs(t, MAYA, 'maya-chen');
    const linkedin = recordLinkedIn(t);
    const trigger = triggerId();
    const { res, view } = await openModal(t, MAYA, trigger);

    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
    expect(t.slack.lastCall('views.open')!.args.trigger_id).toBe(trigger);
    expect(t.slack.callsTo('views.update')).toHaveLength(0);
    expect(linkedin).toEqual([]);
    expect(checkView(view)).toEqual([]);

    // The member's accounts with their roles, the default one pre-selected.
    const account = blockById(view, MODAL_BLOCK.account).element;
    expect(account.options.map((o: any) => o.text.text)).toEqual([
      'Northwind Traders – Global (ACCOUNT_MANAGER)',
      'Northwind Traders – EMEA (ACCOUNT_MANAGER)',
      'Contoso Agency – Client Pitches (VIEWER)',
    ]);
    expect(account.initial_option.value).toBe(ACCOUNT_123);
    // Include groups with "add a group", an exclusion, the 15 breakdowns by name, ordering and 1–100 (5).
    expect(inputIds(view)).toEqual(
      expect.arrayContaining(['inc:0:0:facet', 'inc:0:0:values:locations', 'exc:0:facet', 'group_by', 'order_by']),
    );
    expect(textOf(view)).toContain('Add a group');
    expect(blockById(view, MODAL_BLOCK.groupBy).element.options.map((o: any) => o.text.text)).toEqual(
      GROUP_BY_FACETS.map((f) => f.label),
    );
    expect(blockById(view, MODAL_BLOCK.orderBy).element.options.map((o: any) => o.value)).toEqual([
      'AUDIENCE_PERCENTAGE',
      'HIERARCHICAL',
    ]);
    const count = blockById(view, MODAL_BLOCK.maxReturnCount).element;
    expect([count.min_value, count.max_value, count.initial_value]).toEqual(['1', '100', '5']);
    // The typeahead's account lives in private_metadata, with the channel to answer about.
    const meta = decodeModalMetadata(view.private_metadata);
    expect(meta.extra?.a).toBe(ACCOUNT_123);
    expect(meta.channelId).toBe('C0TEST');
  });

  it('opens a loading view before any LinkedIn call, then fills it with views.update (view id and hash)', async () => {
    t = await queryFlowApp();
    await linkAs(t, MAYA, 'maya-chen');
    t.app.db.repos.preferences.setCachedAccounts(MAYA, []);
    const linkedin = recordLinkedIn(t);
    const before = t.slack.calls.length;
    await openModal(t, MAYA);

    const open = t.slack.lastCall('views.open')!;
    const openIndex = t.slack.calls.indexOf(open);
    expect(openIndex).toBe(before);
    expect(linkedin.map((c) => c.method)).toEqual(['adAccounts']);
    expect(linkedin[0]!.slackCallsBefore).toBeGreaterThan(openIndex);
    expect(linkedin[0]!.token).toBe(tokenOf(t, MAYA));

    const update = t.slack.lastCall('views.update')!;
    expect(update.args.view_id).toBe(open.response.view.id);
    expect(update.args.hash).toBe(open.response.view.hash);
    expect(update.response.ok).toBe(true);
    expect(textOf(update.args.view)).toContain('Northwind Traders – Global');
  });

  it('tells the person when Slack would not open the modal (expired trigger_id)', async () => {
    t = await queryFlowApp();
    await linkAs(t, MAYA, 'maya-chen');
    t.slack.failNext('views.open', 'expired_trigger_id');
    const res = await t.command('', { userId: MAYA.userId });
    expect(res.statusCode).toBe(200);
    const reply = t.slack.responses.at(-1)!.body;
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toContain('could not open in time');
  });

  it('explains in the modal when the member has no ad account', async () => {
    t = await queryFlowApp();
    await linkAs(t, NOAH, 'noah-berg');
    await openModal(t, NOAH);
    const view = currentModal(t);
    expect(textOf(view)).toContain('no LinkedIn ad account');
    expect(view.submit).toBeUndefined();
  });
});

describe('the modal follows the choices', () => {
  const base: ModalInput = {
    account: ACCOUNT_123,
    include: [[{ facet: 'locations', values: [] }]],
    groupBy: 'jobFunctions',
  };

  it('lists a small facet’s values from LinkedIn’s listing when it is picked, keeping the form', async () => {
    t = await queryFlowApp();
    await linkAs(t, MAYA, 'maya-chen');
    const { view } = await openModal(t, MAYA);
    const linkedin = recordLinkedIn(t);
    const values = modalValues({ ...base, include: [[{ facet: 'jobFunctions', values: [] }]] });
    await modalAction(t, MAYA, view, { actionId: MODAL_ACTION.includeFacet, selected: 'jobFunctions' }, values);

    const update = t.slack.lastCall('views.update')!;
    expect(update.response.ok).toBe(true);
    expect(update.args.view_id).toBe(view.id);
    expect(update.args.hash).toBe(view.hash);
    const picker = blockById(update.args.view, 'inc:0:0:values:jobFunctions').element;
    expect(picker.type).toBe('multi_static_select');
    expect(picker.options.length).toBeGreaterThan(10);
    expect(picker.options.map((o: any) => o.text.text)).toContain('Engineering');
    expect(linkedin.map((c) => c.method)).toEqual(['facetEntities']);

    // The listing is cached: the next update does not ask LinkedIn again.
    await modalAction(t, MAYA, currentModal(t), { actionId: MODAL_ACTION.addIncludeGroup, value: '1' }, values);
    expect(linkedin).toHaveLength(1);
    const grown = currentModal(t);
    expect(decodeModalMetadata(grown.private_metadata).includeRows).toEqual([1, 1]);
    expect(inputIds(grown)).toContain('inc:1:0:facet');
    expect(checkView(grown)).toEqual([]);
  });

  it('moves the account into private_metadata and lists that account’s matched audiences', async () => {
    t = await queryFlowApp();
    await linkAs(t, MAYA, 'maya-chen');
    const { view } = await openModal(t, MAYA);
    const emea = 'urn:li:sponsoredAccount:508915158';
    const values = modalValues({
      ...base,
      account: emea,
      include: [[{ facet: 'audienceMatchingSegments', values: [] }]],
    });
    await modalAction(t, MAYA, view, { actionId: MODAL_ACTION.account, selected: emea }, values);
    const next = currentModal(t);
    expect(decodeModalMetadata(next.private_metadata).extra?.a).toBe(emea);
    // Its own block id (per account), so values picked for another account are dropped.
    const picker = (next.blocks as any[]).find(
      (b) => b.block_id === 'inc:0:0:values:audienceMatchingSegments:508915158',
    );
    // The expired list is left out; the building one would say so.
    expect(picker.element.options.map((o: any) => o.text.text)).toEqual(['EMEA website visitors']);
    expect(checkView(next)).toEqual([]);
  });
});

describe('typeahead', () => {
  it('answers with LinkedIn’s typeahead through the asker’s own token, within Slack’s option limits', async () => {
    t = await queryFlowApp();
    await linkAs(t, MAYA, 'maya-chen');
    await linkAs(t, LIAM, 'liam-okafor');
    const linkedin = recordLinkedIn(t);
    const res = await t.suggest({ actionId: valuesActionId('skills'), value: 'pyth', userId: LIAM.userId });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(checkOptionsResponse(body)).toEqual([]);
    expect(body.options.length).toBeGreaterThan(0);
    expect(body.options.length).toBeLessThanOrEqual(100);
    expect(body.options.map((o: any) => o.text.text).join(' ')).toMatch(/Python/);
    expect(body.options.every((o: any) => /^urn:li:skill:\d+$/.test(o.value))).toBe(true);
    expect(linkedin.map((c) => [c.method, c.token])).toEqual([['typeahead', tokenOf(t, LIAM)]]);
  });

  it('filters a small facet’s full list locally, and locations by name', async () => {
    t = await queryFlowApp();
    await linkAs(t, MAYA, 'maya-chen');
    const fn = (
      await t.suggest({ actionId: valuesActionId('jobFunctions'), value: 'eng', userId: MAYA.userId })
    ).json();
    expect(fn.options.map((o: any) => o.text.text)).toContain('Engineering');
    const geo = (
      await t.suggest({ actionId: valuesActionId('locations'), value: 'United', userId: MAYA.userId })
    ).json();
    expect(geo.options.map((o: any) => o.value)).toContain(US);
    expect(checkOptionsResponse(geo)).toEqual([]);
  });

  it('reads the account for matched audiences from private_metadata, never from the view state', async () => {
    t = await queryFlowApp();
    await linkAs(t, MAYA, 'maya-chen');
    const { view } = await openModal(t, MAYA);
    const emea = 'urn:li:sponsoredAccount:508915158';
    const meta = decodeModalMetadata(view.private_metadata);
    const linkedin = recordLinkedIn(t);
    const res = await t.server.inject(
      signInteraction(
        {
          ...blockSuggestion({
            actionId: valuesActionId('audienceMatchingSegments'),
            value: 'web',
            userId: MAYA.userId,
            privateMetadata: encodeModalMetadata({ ...meta, extra: { a: emea } }),
          }),
          // A stale state naming another account must not be what the options are read from.
          view: {
            id: view.id,
            type: 'modal',
            private_metadata: encodeModalMetadata({ ...meta, extra: { a: emea } }),
            state: { values: modalValues({ account: ACCOUNT_123 }) },
            blocks: [],
          },
        },
        t.sign(),
      ),
    );
    expect(res.json().options.map((o: any) => o.text.text)).toEqual(['EMEA website visitors']);
    expect(linkedin.filter((c) => c.method === 'adSegments').map((c) => c.args[0])).toEqual([emea]);

    // Without an account in the metadata there is nothing to list (and nothing is asked).
    const none = await t.suggest({
      actionId: valuesActionId('audienceMatchingSegments'),
      value: '',
      userId: MAYA.userId,
    });
    expect(none.json()).toEqual({ options: [] });
    expect(linkedin.filter((c) => c.method === 'adSegments')).toHaveLength(1);
  });

  it('answers an empty list for an unlinked person, and in time when LinkedIn is slow', async () => {
    t = await queryFlowApp({ flow: { optionsTimeoutMs: 50 } });
    const none = await t.suggest({ actionId: valuesActionId('skills'), value: 'java', userId: NOAH.userId });
    expect(none.json()).toEqual({ options: [] });
    await linkAs(t, MAYA, 'maya-chen');
    t.sandbox.knobs.latencyMs = 1_000;
    const started = Date.now();
    const slow = await t.suggest({ actionId: valuesActionId('skills'), value: 'java', userId: MAYA.userId });
    expect(slow.json()).toEqual({ options: [] });
    expect(Date.now() - started).toBeLessThan(1_000);
    t.sandbox.knobs.latencyMs = 0;
  });
});

describe('submitting', () => {
  it('shows the missing parts on their own blocks and sends nothing to LinkedIn', async () => {
    t = await queryFlowApp();
    await linkAs(t, MAYA, 'maya-chen');
    const { view } = await openModal(t, MAYA);
    const linkedin = recordLinkedIn(t);
    const values = modalValues({ account: ACCOUNT_123, include: [[{ facet: 'locations', values: [] }]], count: '0' });
    const res = await submitView(t, MAYA, view, values);
    const body = res.json();
    expect(body.response_action).toBe('errors');
    expect(Object.keys(body.errors).sort()).toEqual(['group_by', 'inc:0:0:values:locations', 'max_return_count']);
    expect(body.errors['inc:0:0:values:locations']).toMatch(/at least one facet and a value/);
    expect(linkedin).toEqual([]);
    expect(t.app.db.repos.queries.listRecent(MAYA, 5)).toEqual([]);
  });

  it('shows LinkedIn’s targeting rules in words a marketer understands, on the right rows', async () => {
    t = await queryFlowApp();
    await linkAs(t, MAYA, 'maya-chen');
    const { view } = await openModal(t, MAYA);
    const linkedin = recordLinkedIn(t);
    const input: ModalInput = {
      account: ACCOUNT_123,
      include: [[{ facet: 'skills', values: [entityNamed(t, 'skills', 'Java')] }]],
      groupBy: 'jobFunctions',
      orderBy: 'HIERARCHICAL',
    };
    const layout = layoutOf(input);
    expect(layout.includeRows).toEqual([1]);
    const res = await submitView(t, MAYA, view, modalValues(input));
    const { errors } = res.json();
    expect(errors.order_by).toMatch(/natural order|hierarch/i);
    expect(Object.values(errors).join(' ')).toMatch(/location/i);
    expect(linkedin).toEqual([]);
    expect(t.app.db.repos.queries.listRecent(MAYA, 5)).toEqual([]);
  });

  it('runs a complete audience and closes the modal', async () => {
    t = await queryFlowApp();
    await linkAs(t, MAYA, 'maya-chen');
    const { view } = await openModal(t, MAYA);
    const res = await submitModal(t, MAYA, view, {
      account: ACCOUNT_123,
      include: [
        [{ facet: 'locations', values: [{ urn: US, name: 'United States' }] }],
        [{ facet: 'skills', values: [entityNamed(t, 'skills', 'Java')] }],
      ],
      groupBy: 'seniorities',
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
    const [query] = t.app.db.repos.queries.listRecent(MAYA, 1);
    expect(query!.status).toBe('done');
    expect(query!.spec.groupBy).toBe(facetUrn('seniorities'));
    expect(query!.channelId).toBe('C0TEST');
  });
});

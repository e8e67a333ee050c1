/**
 * Sharing and threads: Share to channel (joining public channels, or saying what to do), Break down by… in the
 * shared message's thread, clicks by other people acting with their own LinkedIn link, Edit query, Save as
 * audience template, Compare with… and the App Home's Re-run.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { facetUrn } from '../../src/linkedin/facets.js';
import { ACTION } from '../../src/slack/blocks/actions.js';
import { TEMPLATE_NAME_ACTION, TEMPLATE_NAME_BLOCK } from '../../src/slack/query/views.js';
import { decodeModalMetadata, MODAL_BLOCK } from '../../src/slack/views/audienceModal.js';
import { checkMessageBlocks, checkView } from '../support/blockKitLimits.js';
import { triggerId } from '../support/slackRequests.js';
import type { TestApp } from '../support/testApp.js';
import { closeCheckingFakes } from '../support/testApp.js';
import {
  ACCOUNT_123,
  actionsOf,
  CHANNEL,
  currentModal,
  dmAnswer,
  entityNamed,
  LIAM,
  linkAs,
  MAYA,
  type ModalInput,
  messageAction,
  NOAH,
  openModal,
  queryFlowApp,
  recordLinkedIn,
  SHARED_ACCOUNT,
  submitModal,
  submitView,
  textOf,
  tokenOf,
  US,
} from './support.js';

let t: TestApp;
afterEach(() => closeCheckingFakes(t));

const audience = (account = ACCOUNT_123, groupBy = 'jobFunctions'): ModalInput => ({
  account,
  include: [
    [{ facet: 'locations', values: [{ urn: US, name: 'United States' }] }],
    [{ facet: 'skills', values: [entityNamed(t, 'skills', 'Python')] }],
  ],
  groupBy,
});

/** Asks through the modal; the private answer and its stored query. */
async function ask(input: ModalInput, key = MAYA) {
  const { view } = await openModal(t, key);
  await submitModal(t, key, view, input);
  const dm = dmAnswer(t, key);
  const query = t.app.db.repos.queries.listRecent(key, 1)[0]!;
  expect(query.status).toBe('done');
  return { dm, query };
}

async function askAndShare(input: ModalInput, key = MAYA) {
  const { dm, query } = await ask(input, key);
  await messageAction(t, key, dm, { actionId: ACTION.shareToChannel, value: query.id });
  const shared = t.app.db.repos.queries.get(query.id)!;
  expect(shared.sharedTs).toBeDefined();
  return { dm, query: shared, at: { channel: shared.sharedChannelId!, ts: shared.sharedTs! } };
}

const threadReplies = (channel: string, ts: string) =>
  t.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === channel && c.args.thread_ts === ts);

describe('Share to channel', () => {
  it('posts the answer in the channel it was asked in, records where, and updates the private copy', async () => {
    t = await queryFlowApp();
    await linkAs(t, MAYA, 'maya-chen');
    const { dm, query } = await ask(audience());
    await messageAction(t, MAYA, dm, { actionId: ACTION.shareToChannel, value: query.id });

    const post = t.slack.callsTo('chat.postMessage').find((c) => c.args.channel === CHANNEL)!;
    expect(post.response.ok).toBe(true);
    expect(checkMessageBlocks(post.args.blocks)).toEqual([]);
    expect(textOf(post.args.blocks)).toContain('Asked by <@UMAYA>');
    expect(textOf(post.args.blocks)).toContain('Audience breakdown by Job Functions');
    expect(actionsOf(post.args.blocks)[ACTION.shareToChannel]).toBeUndefined();
    expect(actionsOf(post.args.blocks)[ACTION.breakDownBy]).toBeDefined();

    const stored = t.app.db.repos.queries.get(query.id)!;
    expect([stored.sharedChannelId, stored.sharedTs]).toEqual([post.response.channel, post.response.ts]);
    const copy = t.slack.lastCall('chat.update')!;
    expect([copy.args.channel, copy.args.ts]).toEqual([dm.channel, dm.ts]);
    expect(textOf(copy.args.blocks)).toContain(`Shared in <#${CHANNEL}>`);
    expect(actionsOf(copy.args.blocks)[ACTION.shareToChannel]).toBeUndefined();
  });

  it('joins a public channel it is not in (not_in_channel) and posts again', async () => {
    t = await queryFlowApp();
    await linkAs(t, MAYA, 'maya-chen');
    const { dm, query } = await ask(audience());
    t.slack.failNext('chat.postMessage', 'not_in_channel');
    await messageAction(t, MAYA, dm, { actionId: ACTION.shareToChannel, value: query.id });
    expect(t.slack.lastCall('conversations.join')!.args.channel).toBe(CHANNEL);
    const posts = t.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === CHANNEL);
    expect(posts.map((p) => (p.response.ok ? 'ok' : p.response.error))).toEqual(['not_in_channel', 'ok']);
    expect(t.app.db.repos.queries.get(query.id)!.sharedTs).toBe(posts[1]!.response.ts);
  });

  it('tells the person to invite the bot when it cannot join (private channel)', async () => {
    t = await queryFlowApp();
    await linkAs(t, MAYA, 'maya-chen');
    const { dm, query } = await ask(audience());
    t.slack.failNext('chat.postMessage', 'not_in_channel');
    t.slack.failNext('conversations.join', 'method_not_supported_for_channel_type');
    await messageAction(t, MAYA, dm, { actionId: ACTION.shareToChannel, value: query.id });
    const note = t.slack.callsTo('chat.postMessage').at(-1)!;
    expect(note.args.channel).toBe(MAYA.userId);
    expect(note.args.text).toContain('/invite <@UBOT>');
    expect(t.app.db.repos.queries.get(query.id)!.sharedTs).toBeUndefined();
  });

  it('lets only the asker share their answer', async () => {
    t = await queryFlowApp();
    await linkAs(t, MAYA, 'maya-chen');
    await linkAs(t, LIAM, 'liam-okafor');
    const { query } = await ask(audience());
    await messageAction(
      t,
      LIAM,
      { channel: CHANNEL, ts: '1700000001.000100' },
      { actionId: ACTION.shareToChannel, value: query.id },
    );
    const told = t.slack.lastCall('chat.postEphemeral')!;
    expect(told.args.user).toBe(LIAM.userId);
    expect(told.args.text).toContain('Only the person who asked can share');
    expect(t.app.db.repos.queries.get(query.id)!.sharedTs).toBeUndefined();
  });
});

describe('Break down by… and threads', () => {
  it('posts a new breakdown as a reply in the shared message’s thread, from the message or from a reply', async () => {
    t = await queryFlowApp();
    await linkAs(t, MAYA, 'maya-chen');
    const { query, at, dm } = await askAndShare(audience());

    await messageAction(t, MAYA, at, { actionId: ACTION.breakDownBy, selected: `${query.id}|seniorities` });
    let replies = threadReplies(at.channel, at.ts);
    expect(replies).toHaveLength(1);
    const reply = replies[0]!;
    expect(reply.response.ok).toBe(true);
    expect(checkMessageBlocks(reply.args.blocks)).toEqual([]);
    expect(textOf(reply.args.blocks)).toContain('*By Job Seniorities*');
    expect(textOf(reply.args.blocks)).toContain('asked by <@UMAYA>');
    const regrouped = t.app.db.repos.queries.listRecent(MAYA, 1)[0]!;
    expect(regrouped.parentId).toBe(query.id);
    expect(regrouped.spec.groupBy).toBe(facetUrn('seniorities'));

    // From the reply itself (a thread message): still the shared message's thread, never a reply's ts.
    const value = `${regrouped.id}|staffCountRanges`;
    await messageAction(
      t,
      MAYA,
      { channel: at.channel, ts: reply.response.ts, threadTs: at.ts },
      { actionId: ACTION.breakDownBy, selected: value },
    );
    // And from the private copy of the shared answer.
    await messageAction(t, MAYA, dm, { actionId: ACTION.breakDownBy, selected: `${query.id}|bingCountry` });
    replies = threadReplies(at.channel, at.ts);
    expect(replies.map((r) => textOf(r.args.blocks).split('\n')[0])).toEqual([
      expect.stringContaining('By Job Seniorities'),
      expect.stringContaining('By Company Size'),
      expect.stringContaining('By Countries/Regions'),
    ]);
  });

  it('keeps a breakdown of a private answer private: a reply in the DM thread', async () => {
    t = await queryFlowApp();
    await linkAs(t, MAYA, 'maya-chen');
    const { dm, query } = await ask(audience());
    await messageAction(t, MAYA, dm, { actionId: ACTION.breakDownBy, selected: `${query.id}|seniorities` });
    const placeholder = t.slack.callsTo('chat.postMessage').at(-1)!;
    expect([placeholder.args.channel, placeholder.args.thread_ts]).toEqual([dm.channel, dm.ts]);
    const result = t.slack.lastCall('chat.update')!;
    expect(result.args.ts).toBe(placeholder.response.ts);
    expect(textOf(result.args.blocks)).toContain('Audience breakdown by Job Seniorities');
    expect(t.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === CHANNEL)).toHaveLength(0);
  });

  it('a click by another member uses THEIR token: no role on the account → told to them only', async () => {
    t = await queryFlowApp();
    await linkAs(t, MAYA, 'maya-chen');
    await linkAs(t, LIAM, 'liam-okafor');
    const { query, at } = await askAndShare(audience());
    const linkedin = recordLinkedIn(t);
    await messageAction(t, LIAM, at, { actionId: ACTION.breakDownBy, selected: `${query.id}|seniorities` });

    const insights = linkedin.filter((c) => c.method === 'audienceInsights');
    expect(insights.map((c) => c.token)).toEqual([tokenOf(t, LIAM)]);
    expect(linkedin.every((c) => c.token !== tokenOf(t, MAYA))).toBe(true);
    const told = t.slack.lastCall('chat.postEphemeral')!;
    expect([told.args.channel, told.args.user]).toEqual([CHANNEL, LIAM.userId]);
    expect(textOf(told.args.blocks)).toContain('You have no role on this ad account');
    expect(threadReplies(at.channel, at.ts)).toHaveLength(0);
    const failed = t.app.db.repos.queries.listRecent(LIAM, 1)[0]!;
    expect([failed.status, failed.parentId]).toEqual(['failed', query.id]);
  });

  it('a click by another member with a role answers in the thread with their own access', async () => {
    t = await queryFlowApp();
    await linkAs(t, MAYA, 'maya-chen');
    await linkAs(t, LIAM, 'liam-okafor');
    const { query, at } = await askAndShare(audience(SHARED_ACCOUNT));
    const linkedin = recordLinkedIn(t);
    await messageAction(t, LIAM, at, { actionId: ACTION.breakDownBy, selected: `${query.id}|seniorities` });
    expect(linkedin.filter((c) => c.method === 'audienceInsights').map((c) => c.token)).toEqual([tokenOf(t, LIAM)]);
    const [reply] = threadReplies(at.channel, at.ts);
    expect(textOf(reply!.args.blocks)).toContain('asked by <@ULIAM>');
    expect(t.app.db.repos.queries.listRecent(LIAM, 1)[0]!.userId).toBe(LIAM.userId);
  });

  it('offers someone without a LinkedIn link to link, privately, and asks LinkedIn nothing', async () => {
    t = await queryFlowApp();
    await linkAs(t, MAYA, 'maya-chen');
    const { query, at } = await askAndShare(audience());
    const linkedin = recordLinkedIn(t);
    await messageAction(t, NOAH, at, { actionId: ACTION.breakDownBy, selected: `${query.id}|seniorities` });
    const told = t.slack.lastCall('chat.postEphemeral')!;
    expect(told.args.user).toBe(NOAH.userId);
    expect(actionsOf(told.args.blocks).linkedin_link_open.url).toMatch(/\/oauth\/linkedin\/start\?ticket=/);
    expect(linkedin).toEqual([]);
    expect(threadReplies(at.channel, at.ts)).toHaveLength(0);
  });
});

describe('Edit query, Compare with… and Re-run', () => {
  it('opens the modal pre-filled with the query, and the edited query is a new one', async () => {
    t = await queryFlowApp();
    await linkAs(t, MAYA, 'maya-chen');
    const { dm, query } = await ask(audience(ACCOUNT_123, 'seniorities'));
    const trigger = triggerId();
    await messageAction(t, MAYA, dm, { actionId: ACTION.editQuery, value: query.id }, trigger);
    expect(t.slack.lastCall('views.open')!.args.trigger_id).toBe(trigger);
    const view = currentModal(t);
    expect(checkView(view)).toEqual([]);
    const block = (id: string) => (view.blocks as any[]).find((b) => b.block_id === id);
    expect(block(MODAL_BLOCK.account).element.initial_option.value).toBe(ACCOUNT_123);
    expect(block('inc:0:0:values:locations').element.initial_options).toEqual([
      expect.objectContaining({ value: US, text: expect.objectContaining({ text: 'United States' }) }),
    ]);
    expect(block('inc:1:0:values:skills').element.initial_options[0].text.text).toBe('Python');
    expect(block(MODAL_BLOCK.groupBy).element.initial_option.value).toBe(facetUrn('seniorities'));
    const meta = decodeModalMetadata(view.private_metadata);
    expect([meta.mode, meta.baseQueryId, meta.channelId]).toEqual(['edit', query.id, CHANNEL]);

    await submitModal(t, MAYA, view, { ...audience(ACCOUNT_123, 'industries') });
    const edited = t.app.db.repos.queries.listRecent(MAYA, 1)[0]!;
    expect(edited.id).not.toBe(query.id);
    expect(edited.parentId).toBe(query.id);
    expect(edited.spec.groupBy).toBe(facetUrn('industries'));
  });

  it('fills small facets’ lists after opening, with the chosen values selected', async () => {
    t = await queryFlowApp();
    await linkAs(t, MAYA, 'maya-chen');
    const senior = { urn: 'urn:li:seniority:5', name: 'Senior' };
    const { dm, query } = await ask({
      ...audience(),
      include: [...audience().include!, [{ facet: 'seniorities', values: [senior] }]],
    });
    await messageAction(t, MAYA, dm, { actionId: ACTION.editQuery, value: query.id });
    const opened = t.slack.lastCall('views.open')!;
    expect(textOf(opened.args.view)).toContain('Loading');
    const view = currentModal(t);
    const picker = (view.blocks as any[]).find((b) => b.block_id === 'inc:2:0:values:seniorities').element;
    expect(picker.type).toBe('multi_static_select');
    expect(picker.initial_options.map((o: any) => o.value)).toEqual([senior.urn]);
    expect(picker.options.map((o: any) => o.value)).toContain(senior.urn);
  });

  it('compares with a second audience, broken down the same way', async () => {
    t = await queryFlowApp();
    await linkAs(t, MAYA, 'maya-chen');
    const { dm, query } = await ask(audience());
    await messageAction(t, MAYA, dm, { actionId: ACTION.compareWith, value: query.id });
    const view = currentModal(t);
    expect(decodeModalMetadata(view.private_metadata)).toMatchObject({ mode: 'compare', baseQueryId: query.id });
    const second = audience();
    second.include![1] = [{ facet: 'skills', values: [entityNamed(t, 'skills', 'Java')] }];
    await submitModal(t, MAYA, view, second);
    const answer = dmAnswer(t, MAYA);
    expect(textOf(answer.final!.args.blocks)).toContain('Audience comparison by Job Functions');
    expect(checkMessageBlocks(answer.final!.args.blocks)).toEqual([]);
    const compared = t.app.db.repos.queries.listRecent(MAYA, 1)[0]!;
    expect(compared.compareSpec!.groupBy).toBe(query.spec.groupBy);
  });

  it('re-runs a query from the App Home as the person who clicks, answering in their DM', async () => {
    t = await queryFlowApp();
    await linkAs(t, MAYA, 'maya-chen');
    const { query } = await ask(audience());
    const linkedin = recordLinkedIn(t);
    await t.action({ actionId: ACTION.queryRerun, value: query.id, userId: MAYA.userId, container: 'home' });
    const rerun = t.app.db.repos.queries.listRecent(MAYA, 1)[0]!;
    expect(rerun.id).not.toBe(query.id);
    expect(rerun.parentId).toBe(query.id);
    expect(rerun.status).toBe('done');
    const answer = dmAnswer(t, MAYA);
    expect(textOf(answer.final!.args.blocks)).toContain('Audience breakdown by Job Functions');
    // A repeated query is answered from the cache: no LinkedIn call.
    expect(linkedin.filter((c) => c.method === 'audienceInsights')).toHaveLength(0);
  });
});

describe('Link LinkedIn on an error', () => {
  it('sends a fresh private link when the button carries none', async () => {
    t = await queryFlowApp();
    await messageAction(t, NOAH, { channel: CHANNEL, ts: '1700000001.000100' }, { actionId: ACTION.linkLinkedIn });
    const told = t.slack.lastCall('chat.postEphemeral')!;
    expect(told.args.user).toBe(NOAH.userId);
    expect(actionsOf(told.args.blocks).linkedin_link_open.url).toMatch(/\/oauth\/linkedin\/start\?ticket=/);
  });
});

describe('Save as audience template', () => {
  it('asks for a name, saves the template at LinkedIn with the clicker’s token, and confirms', async () => {
    t = await queryFlowApp();
    await linkAs(t, MAYA, 'maya-chen');
    const { dm, query } = await ask(audience());
    await messageAction(t, MAYA, dm, { actionId: ACTION.saveTemplate, value: query.id });
    const modal = currentModal(t);
    expect(checkView(modal)).toEqual([]);
    const input = (modal.blocks as any[]).find((b) => b.block_id === TEMPLATE_NAME_BLOCK);
    expect(input.element.initial_value).toContain('United States');

    const empty = await submitView(t, MAYA, modal, {
      [TEMPLATE_NAME_BLOCK]: { [TEMPLATE_NAME_ACTION]: { type: 'plain_text_input', value: '  ' } },
    });
    expect(empty.json().errors[TEMPLATE_NAME_BLOCK]).toMatch(/name/);

    const res = await submitView(t, MAYA, modal, {
      [TEMPLATE_NAME_BLOCK]: { [TEMPLATE_NAME_ACTION]: { type: 'plain_text_input', value: 'US Python people' } },
    });
    expect(res.json().response_action).toBe('update');
    const confirmed = t.slack.lastCall('views.update')!;
    expect(confirmed.args.view_id).toBe(modal.id);
    expect(textOf(confirmed.args.view)).toContain('Saved *US Python people* as an audience template');
    const templates = await t.app.linkedin.listTargetTemplates(tokenOf(t, MAYA), ACCOUNT_123);
    const saved = templates.find((x) => x.name === 'US Python people')!;
    expect(saved.targetingCriteria).toEqual(query.spec.criteria);
    expect(textOf(confirmed.args.view)).toContain(`template ${saved.id}`);
  });

  it('tells a Viewer clearly that their role cannot save templates', async () => {
    t = await queryFlowApp();
    await linkAs(t, MAYA, 'maya-chen');
    await linkAs(t, LIAM, 'liam-okafor');
    const { at, query } = await askAndShare(audience(SHARED_ACCOUNT));
    const linkedin = recordLinkedIn(t);
    await messageAction(t, LIAM, at, { actionId: ACTION.saveTemplate, value: query.id });
    const view = currentModal(t);
    expect(textOf(view)).toContain('is *Viewer*, which can look at audiences but not save them');
    expect(view.submit).toBeUndefined();
    expect(linkedin.filter((c) => c.method === 'createTargetTemplate')).toHaveLength(0);
  });
});

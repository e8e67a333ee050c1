/**
 * The workspace's chart style: set from the App Home by workspace admins and owners only (Slack's users.info
 * says who they are), overriding CHART_STYLE; every stored query — first answers, re-runs, breakdowns,
 * comparisons, quick queries — records the style it was answered in.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ACTION } from '../../src/slack/blocks/actions.js';
import { CHART_STYLE_ACTION_ID, HOME_BLOCK_IDS, SERVER_DEFAULT_STYLE } from '../../src/slack/blocks/home.js';
import {
  CHANNEL,
  currentModal,
  dmAnswer,
  linkAs,
  MAYA,
  messageAction,
  queryFlowApp,
  submitModal,
  textOf,
} from '../query/support.js';
import { checkView } from '../support/blockKitLimits.js';
import { type FakeQuickChart, startFakeQuickChart } from '../support/fakeQuickChart.js';
import { appHomeOpened, TEST_TEAM_ID } from '../support/slackRequests.js';
import type { TestApp } from '../support/testApp.js';
import { closeCheckingFakes } from '../support/testApp.js';
import { ask, blocksOfType, usWithSkill } from './support.js';

let t: TestApp | undefined;
let quickchart: FakeQuickChart | undefined;
afterEach(async () => {
  const [app, chart] = [t, quickchart];
  t = undefined;
  quickchart = undefined;
  await closeCheckingFakes(app, chart);
});

const ADMIN = 'UADMIN';
const OWNER = 'UOWNER';

/** The app with three people (an admin, an owner, Maya) and a local QuickChart at QUICKCHART_URL. */
async function workspace(env: Record<string, string> = {}) {
  quickchart = await startFakeQuickChart();
  t = await queryFlowApp({ env: { QUICKCHART_URL: quickchart.url, ...env } });
  t.slack.addUser({ id: ADMIN, name: 'ada', is_admin: true });
  t.slack.addUser({ id: OWNER, name: 'olu', is_owner: true });
  t.slack.addUser({ id: MAYA.userId, name: 'maya' });
  return t;
}

const homeOf = async (app: TestApp, userId: string) => {
  await app.event(appHomeOpened({ userId }));
  const publish = app.slack.lastCall('views.publish')!;
  expect(publish.args.user_id).toBe(userId);
  expect(checkView(publish.args.view)).toEqual([]);
  return publish.args.view as Record<string, any>;
};
const picker = (view: Record<string, any>) =>
  (view.blocks as any[]).find((b) => b.block_id === HOME_BLOCK_IDS.chartStyle)?.accessory;

const choose = (app: TestApp, userId: string, value: string) =>
  app.action({
    actionId: CHART_STYLE_ACTION_ID,
    type: 'static_select',
    selectedValue: value,
    userId,
    teamId: TEST_TEAM_ID,
    container: 'home',
  });

const stored = (app: TestApp) => app.app.db.repos.preferences.getWorkspaceChartStyle(TEST_TEAM_ID);

describe('the App Home chart style setting', () => {
  it('is offered to workspace admins and owners only, as Slack’s users.info says', async () => {
    const app = await workspace();
    const admin = await homeOf(app, ADMIN);
    expect(app.slack.lastCall('users.info')!.args.user).toBe(ADMIN);
    const select = picker(admin);
    expect(select.action_id).toBe(CHART_STYLE_ACTION_ID);
    expect(select.options.map((o: any) => o.value)).toEqual([SERVER_DEFAULT_STYLE, 'quickchart', 'native', 'upload']);
    expect(select.initial_option.value).toBe(SERVER_DEFAULT_STYLE);
    expect(textOf(admin.blocks)).toContain('Chart style for this workspace');

    expect(picker(await homeOf(app, OWNER))).toBeDefined();

    const member = await homeOf(app, MAYA.userId);
    expect(picker(member)).toBeUndefined();
    expect(JSON.stringify(member)).not.toContain(CHART_STYLE_ACTION_ID);
    expect(textOf(member.blocks)).toContain('*Charts in this workspace:* QuickChart image (the server default)');
  });

  it('lets an admin choose a style that overrides CHART_STYLE for everyone’s new answers', async () => {
    const app = await workspace({ CHART_STYLE: 'quickchart' });
    await linkAs(app, MAYA, 'maya-chen');
    await choose(app, ADMIN, 'native');
    expect(stored(app)).toBe('native');
    // The Home is republished with the choice selected.
    const republished = app.slack.lastCall('views.publish')!;
    expect(republished.args.user_id).toBe(ADMIN);
    expect(picker(republished.args.view).initial_option.value).toBe('native');

    // Maya (not an admin) asks: Slack's own table and chart, no QuickChart image, and the query says so.
    const { final, query } = await ask(app, usWithSkill(app, 'Java'));
    expect(query.chartStyle).toBe('native');
    expect(blocksOfType(final, 'data_visualization')).toHaveLength(1);
    expect(blocksOfType(final, 'image')).toEqual([]);
    expect(textOf((await homeOf(app, MAYA.userId)).blocks)).toContain(
      'Slack-native chart (chosen by a workspace admin)',
    );

    // An owner may change it too; back to the server default, CHART_STYLE applies again.
    await choose(app, OWNER, 'upload');
    expect(stored(app)).toBe('upload');
    await choose(app, ADMIN, SERVER_DEFAULT_STYLE);
    expect(stored(app)).toBeUndefined();
    const after = await ask(app, usWithSkill(app, 'Python'));
    expect(after.query.chartStyle).toBe('quickchart');
    expect(blocksOfType(after.final, 'image')).toHaveLength(1);
  });

  it('refuses a change from someone who is not an admin, and says so', async () => {
    const app = await workspace();
    await choose(app, ADMIN, 'native');
    await choose(app, MAYA.userId, 'quickchart');
    expect(stored(app)).toBe('native');
    const told = app.slack.callsTo('chat.postMessage').at(-1)!;
    expect(told.args.channel).toBe(MAYA.userId);
    expect(told.args.text).toContain('Only workspace admins and owners can change the chart style');
    // Their Home is republished without a picker.
    const republished = app.slack.lastCall('views.publish')!;
    expect(republished.args.user_id).toBe(MAYA.userId);
    expect(picker(republished.args.view)).toBeUndefined();
  });

  it('treats a users.info failure (e.g. no users:read scope) as "not an admin"', async () => {
    const app = await workspace();
    app.slack.failAlways('users.info', 'missing_scope');
    expect(picker(await homeOf(app, ADMIN))).toBeUndefined();
    await choose(app, ADMIN, 'upload');
    expect(stored(app)).toBeUndefined();
  });

  it('ignores a value that is not a chart style', async () => {
    const app = await workspace();
    await choose(app, ADMIN, 'native');
    await choose(app, ADMIN, 'sparkles');
    expect(stored(app)).toBe('native');
  });
});

describe('every stored query records the style it was answered in', () => {
  it('first answers, re-runs, breakdowns, comparisons and quick queries alike; new ones follow the workspace', async () => {
    const app = await workspace({ CHART_STYLE: 'quickchart' });
    await linkAs(app, MAYA, 'maya-chen');
    const first = await ask(app, usWithSkill(app, 'Java'));
    expect(first.query.chartStyle).toBe('quickchart');

    await choose(app, ADMIN, 'native');
    const latest = () => app.app.db.repos.queries.listRecent(MAYA, 1)[0]!;

    await messageAction(app, MAYA, first, { actionId: ACTION.queryRerun, value: first.query.id });
    expect([latest().parentId, latest().chartStyle]).toEqual([first.query.id, 'native']);

    await messageAction(app, MAYA, first, { actionId: ACTION.breakDownBy, selected: `${first.query.id}|seniorities` });
    expect([latest().parentId, latest().spec.groupBy, latest().chartStyle]).toEqual([
      first.query.id,
      'urn:li:adTargetingFacet:seniorities',
      'native',
    ]);

    await messageAction(app, MAYA, first, { actionId: ACTION.compareWith, value: first.query.id });
    await submitModal(app, MAYA, currentModal(app), usWithSkill(app, 'Python'));
    expect(latest().compareSpec).toBeDefined();
    expect(latest().chartStyle).toBe('native');

    await choose(app, ADMIN, 'upload');
    await app.command('by:seniorities location:"United States" skill:Java', { userId: MAYA.userId });
    expect([latest().spec.groupBy, latest().chartStyle]).toEqual(['urn:li:adTargetingFacet:seniorities', 'upload']);

    const all = app.app.db.repos.queries.listRecent(MAYA, 100);
    expect(all.length).toBeGreaterThanOrEqual(5);
    for (const query of all) expect(['quickchart', 'native', 'upload']).toContain(query.chartStyle);
  });

  it('a shared copy keeps its answer’s style, but never sends a QuickChart URL once the workspace stopped', async () => {
    const app = await workspace({ CHART_STYLE: 'quickchart' });
    await linkAs(app, MAYA, 'maya-chen');
    const old = await ask(app, usWithSkill(app, 'Java'));
    expect(blocksOfType(old.final, 'image')).toHaveLength(1);

    await choose(app, ADMIN, 'native');
    const native = await ask(app, usWithSkill(app, 'Python'));
    await choose(app, ADMIN, 'upload');

    // The native answer is shared as it was answered: Slack's chart, no upload.
    await messageAction(app, MAYA, native, { actionId: ACTION.shareToChannel, value: native.query.id });
    const sharedNative = app.slack
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === CHANNEL)
      .at(-1)!;
    expect(blocksOfType(sharedNative, 'data_visualization')).toHaveLength(1);
    expect(app.slack.callsTo('files.completeUploadExternal')).toEqual([]);

    // The old QuickChart answer is shared the workspace's current way (upload): no image URL leaves; the PNG
    // goes into the shared message's thread instead.
    await messageAction(app, MAYA, old, { actionId: ACTION.shareToChannel, value: old.query.id });
    const sharedOld = app.slack
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === CHANNEL && !c.args.thread_ts)
      .at(-1)!;
    expect(sharedOld.response.ts).toBe(app.app.db.repos.queries.get(old.query.id)!.sharedTs);
    expect(sharedOld.response.ok).toBe(true);
    expect(JSON.stringify(sharedOld.args)).not.toContain('image_url');
    expect(blocksOfType(sharedOld, 'table')).toHaveLength(1);
    const upload = app.slack.lastCall('files.completeUploadExternal')!;
    expect([upload.args.channel_id, upload.args.thread_ts]).toEqual([CHANNEL, sharedOld.response.ts]);
    // Its private copy, updated to say where it went, no longer carries the image either.
    const privateCopy = dmAnswer(app, MAYA);
    expect(privateCopy.final).toBeDefined();
    const updated = app.slack.lastCall('chat.update')!;
    expect(updated.args.ts).toBe(old.ts);
    expect(JSON.stringify(updated.args)).not.toContain('image_url');
  });
});

/**
 * Answering: a placeholder in the asker's DM replaced by the result (names, counts, shares, bars, the chart,
 * the notes and LinkedIn's notice), the documentation's sample numbers, the edge cases, every LinkedIn error
 * with a next step and a working re-run, and answers that stay inside Block Kit's limits.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ANTI_DISCRIMINATION_NOTICE, facetUrn } from '../../src/linkedin/facets.js';
import { ACTION } from '../../src/slack/blocks/actions.js';
import { scriptInsights } from '../styles/support.js';
import { checkMessageBlocks } from '../support/blockKitLimits.js';
import type { TestApp } from '../support/testApp.js';
import { closeCheckingFakes } from '../support/testApp.js';
import { edgeCaseAudiences } from './criteria.js';
import {
  ACCOUNT_123,
  actionsOf,
  dmAnswer,
  entityNamed,
  LIAM,
  linkAs,
  MAYA,
  type ModalInput,
  messageAction,
  openModal,
  QUICKCHART_TEST_URL,
  queryFlowApp,
  recordLinkedIn,
  submitModal,
  textOf,
  tokenOf,
  US,
} from './support.js';

let t: TestApp;
afterEach(() => closeCheckingFakes(t));

const usJava = (groupBy = 'jobFunctions', count = '5'): ModalInput => ({
  account: ACCOUNT_123,
  include: [
    [{ facet: 'locations', values: [{ urn: US, name: 'United States' }] }],
    [{ facet: 'skills', values: [entityNamed(t, 'skills', 'Java')] }],
  ],
  groupBy,
  count,
});

async function ask(input: ModalInput, key = MAYA) {
  const { view } = await openModal(t, key);
  const res = await submitModal(t, key, view, input);
  expect(res.statusCode).toBe(200);
  return dmAnswer(t, key);
}

/** The shares drawn by the chart (quickchart-js writes the config as a JavaScript object literal). */
const chartData = (blocks: any[]): number[] => {
  const image = blocks.find((b) => b.type === 'image');
  const config = new URL(image.image_url).searchParams.get('c')!;
  return /datasets:\[\{label:'% of audience',data:\[([\d.,]*)\]/.exec(config)![1]!.split(',').map(Number);
};

describe('a query from the modal', () => {
  it('shows a placeholder privately at once, then replaces it with the result', async () => {
    t = await queryFlowApp();
    await linkAs(t, MAYA, 'maya-chen');
    const { placeholder, final, channel, ts } = await ask(usJava());

    expect(placeholder.args.channel).toBe(MAYA.userId);
    expect(textOf(placeholder.args.blocks)).toContain('Fetching your audience breakdown');
    expect(textOf(placeholder.args.blocks)).toContain('Locations: United States');
    expect(final).toBeDefined();
    expect([final!.args.channel, final!.args.ts]).toEqual([channel, ts]);
    expect(final!.response.ok).toBe(true);
    expect(checkMessageBlocks(final!.args.blocks)).toEqual([]);

    const [query] = t.app.db.repos.queries.listRecent(MAYA, 1);
    expect(query!.status).toBe('done');
    const text = textOf(final!.args.blocks);
    // The audience in words, the total, and one line per segment with its name, count, share and a bar.
    expect(text).toContain('Northwind Traders – Global (123)');
    expect(text).toContain('Skills: Java');
    expect(text).toContain(`≈${query!.result!.totalAudienceCount.toLocaleString('en-US')} members`);
    const functions = new Map(t.sandbox.catalog.functions.map((f) => [f.urn, f.name]));
    for (const s of query!.result!.segments) {
      const name = functions.get(s.value)!;
      expect(text).toMatch(
        new RegExp(`\`[█░]{10} +${s.entityPercentage}%\` ${name} — ${s.entityCount.toLocaleString('en-US')}`),
      );
    }
    // The chart: QuickChart at QUICKCHART_URL, Chart.js 4, explicit size and pixel ratio, the same shares.
    const image = final!.args.blocks.find((b: any) => b.type === 'image');
    const url = new URL(image.image_url);
    expect(url.origin).toBe(QUICKCHART_TEST_URL);
    expect(url.searchParams.get('v')).toBe('4');
    expect(url.searchParams.get('w')).toBe('800');
    expect(url.searchParams.get('devicePixelRatio')).toBe('2');
    expect(chartData(final!.args.blocks)).toEqual(query!.result!.segments.map((s) => s.entityPercentage));
    expect(text).toContain('Counts are approximate');
    expect(text).toContain(ANTI_DISCRIMINATION_NOTICE);
    // Buttons carry only the stored query's id.
    const actions = actionsOf(final!.args.blocks);
    expect(actions[ACTION.shareToChannel].value).toBe(query!.id);
    expect(actions[ACTION.editQuery].value).toBe(query!.id);
    expect(actions[ACTION.saveTemplate].value).toBe(query!.id);
    expect(actions[ACTION.breakDownBy].options[0].value).toBe(`${query!.id}|seniorities`);
  });

  it('renders the documentation’s sample answer: 23%, 15%, 13%, 10% and 7% of 420,000', async () => {
    t = await queryFlowApp();
    await linkAs(t, MAYA, 'maya-chen');
    // LinkedIn is scripted for the insights call only (the sandbox computes its own numbers); the client that
    // parses the answer is the real one, and the request must be the documentation's sample request.
    const requests = scriptInsights(t, () => ({
      total: 420000,
      segments: [
        { entityCount: 96000, entityPercentage: 23, value: 'urn:li:function:4' },
        { entityCount: 61000, entityPercentage: 15, value: 'urn:li:function:20' },
        { entityCount: 55000, entityPercentage: 13, value: 'urn:li:function:18' },
        { entityCount: 40000, entityPercentage: 10, value: 'urn:li:function:13' },
        { entityCount: 31000, entityPercentage: 7, value: 'urn:li:function:5' },
      ],
    }));

    const skill = (urn: string) => ({ urn, name: urn });
    const { final } = await ask({
      account: ACCOUNT_123,
      include: [
        [{ facet: 'locations', values: [{ urn: 'urn:li:geo:105080838', name: 'New York' }] }],
        [{ facet: 'interfaceLocales', values: [{ urn: 'urn:li:locale:en_US', name: 'English (US)' }] }],
        [{ facet: 'skills', values: ['urn:li:skill:236', 'urn:li:skill:242', 'urn:li:skill:252'].map(skill) }],
      ],
      groupBy: 'jobFunctions',
      count: '5',
    });
    expect(requests).toHaveLength(1);
    expect(requests[0].request).toMatchObject({
      requestMetaData: { sponsoredAccount: ACCOUNT_123 },
      targetingCriteria: {
        include: {
          and: [
            { or: { [facetUrn('locations')]: ['urn:li:geo:105080838'] } },
            { or: { [facetUrn('interfaceLocales')]: ['urn:li:locale:en_US'] } },
            { or: { [facetUrn('skills')]: ['urn:li:skill:236', 'urn:li:skill:242', 'urn:li:skill:252'] } },
          ],
        },
      },
      groupBy: facetUrn('jobFunctions'),
      maxReturnCount: 5,
    });

    const name = (urn: string) => t.sandbox.catalog.functions.find((f) => f.urn === urn)!.name;
    const text = textOf(final!.args.blocks);
    expect(text).toContain('*Total audience:* ≈420,000 members');
    expect(text).toContain(`\`██████████ 23%\` ${name('urn:li:function:4')} — 96,000`);
    expect(text).toContain(`\`███████░░░ 15%\` ${name('urn:li:function:20')} — 61,000`);
    expect(text).toContain(`\`██████░░░░ 13%\` ${name('urn:li:function:18')} — 55,000`);
    expect(text).toContain(`\`████░░░░░░ 10%\` ${name('urn:li:function:13')} — 40,000`);
    expect(text).toContain(`\`███░░░░░░░  7%\` ${name('urn:li:function:5')} — 31,000`);
    expect(text).toContain('Top 5 segments by share of audience');
    // The skills are named by LinkedIn too (one batched call), not shown as URNs.
    expect(text).not.toContain('urn:li:skill:236');
    expect(chartData(final!.args.blocks)).toEqual([23, 15, 13, 10, 7]);
    expect(final!.args.text).toContain('≈420,000 members');
  });
});

describe('the documentation’s edge cases', () => {
  it('reads well under 300 members, over 100M, and when every segment is under 30', async () => {
    t = await queryFlowApp();
    await linkAs(t, MAYA, 'maya-chen');
    const { tooSmall, noTitleSegment } = edgeCaseAudiences(t.sandbox);
    const cityAndSkill = (a: typeof tooSmall, groupBy: string): ModalInput => ({
      account: ACCOUNT_123,
      include: [[{ facet: 'locations', values: [a.city] }], [{ facet: 'skills', values: [a.skill] }]],
      groupBy,
    });

    const small = textOf((await ask(cityAndSkill(tooSmall, 'seniorities'))).final!.args.blocks);
    expect(small).toContain('too small to show (under 300 members)');
    expect(small).toContain(`Add more locations (now ${tooSmall.city.name})`);

    const years = t.sandbox.catalog.years.map((y) => ({ urn: y.urn, name: y.name }));
    const broad = await ask({
      account: ACCOUNT_123,
      include: [
        [{ facet: 'locations', values: [{ urn: US, name: 'United States' }] }],
        [{ facet: 'yearsOfExperienceRanges', values: years }],
      ],
      groupBy: 'jobFunctions',
    });
    const broadText = textOf(broad.final!.args.blocks);
    expect(broadText).toMatch(/≈ [\d,]+ members — too broad to break down/);
    expect(broadText).toContain('Narrow it');
    const broadQuery = t.app.db.repos.queries.listRecent(MAYA, 1)[0]!;
    expect(broadQuery.result!.totalAudienceCount).toBeGreaterThan(100_000_000);

    const none = textOf((await ask(cityAndSkill(noTitleSegment, 'titles'))).final!.args.blocks);
    expect(none).toContain('but no Job Titles segment has 30 or more of them');
    expect(none).toContain('LinkedIn hides segments under 30 members');
    for (const text of [small, broadText, none]) expect(text).toContain(ANTI_DISCRIMINATION_NOTICE);
  });
});

describe('every LinkedIn error has a next step, a kept query and a working re-run', () => {
  const retry = async (key = MAYA) => {
    const { final, channel, ts } = dmAnswer(t, key);
    const button = actionsOf(final!.args.blocks)[ACTION.queryRerun];
    expect(button).toBeDefined();
    await messageAction(t, key, { channel, ts }, { actionId: ACTION.queryRerun, value: button.value });
    return dmAnswer(t, key);
  };

  it('app not provisioned (403 ACCESS_DENIED): says so, and Try again works once it is', async () => {
    t = await queryFlowApp();
    await linkAs(t, MAYA, 'maya-chen');
    t.sandbox.knobs.provisioned = false;
    const { final } = await ask(usJava());
    const text = textOf(final!.args.blocks);
    expect(text).toContain('This app is not approved for Audience Insights');
    expect(text).toContain('ask your Slack admin');
    const [failed] = t.app.db.repos.queries.listRecent(MAYA, 1);
    expect(failed!.status).toBe('failed');
    expect(failed!.error!.code).toBe('linkedin_access_denied');

    t.sandbox.knobs.provisioned = true;
    const again = await retry();
    // The same DM message now holds the result, and the same stored query is done.
    expect(textOf(again.final!.args.blocks)).toContain('Audience breakdown by Job Functions');
    expect(t.app.db.repos.queries.get(failed!.id)!.status).toBe('done');
  });

  it('rate limited (429) and LinkedIn failing (500): try again later, then it works', async () => {
    t = await queryFlowApp();
    await linkAs(t, MAYA, 'maya-chen');
    t.sandbox.knobs.rate429 = 1;
    expect(textOf((await ask(usJava())).final!.args.blocks)).toContain('LinkedIn’s rate limit was reached');
    t.sandbox.knobs.rate429 = 0;
    t.sandbox.knobs.rate500 = 1;
    const failing = await retry();
    expect(textOf(failing.final!.args.blocks)).toContain('LinkedIn had a problem');
    t.sandbox.knobs.rate500 = 0;
    const ok = await retry();
    expect(textOf(ok.final!.args.blocks)).toContain('Audience breakdown by Job Functions');
  });

  it('no role on the ad account (403 USER_NOT_AUTHORIZED): names it, offers Edit query and Try again', async () => {
    t = await queryFlowApp();
    await linkAs(t, LIAM, 'liam-okafor');
    const { final } = await ask(usJava(), LIAM);
    const text = textOf(final!.args.blocks);
    expect(text).toContain('You have no role on this ad account');
    const actions = actionsOf(final!.args.blocks);
    const [failed] = t.app.db.repos.queries.listRecent(LIAM, 1);
    expect(actions[ACTION.queryRerun].value).toBe(failed!.id);
    expect(actions[ACTION.editQuery].value).toBe(failed!.id);
    expect(failed!.error!.code).toBe('linkedin_user_not_authorized');
  });

  it('a token LinkedIn no longer accepts (401): asks to link again, with the query kept', async () => {
    t = await queryFlowApp();
    await linkAs(t, MAYA, 'maya-chen');
    await t.app.linkedin.revoke(tokenOf(t, MAYA));
    const { final } = await ask(usJava());
    const text = textOf(final!.args.blocks);
    expect(text).toContain('Your LinkedIn link has expired');
    expect(actionsOf(final!.args.blocks)[ACTION.linkLinkedIn].url).toMatch(/\/oauth\/linkedin\/start\?ticket=/);
    expect(t.app.db.repos.queries.listRecent(MAYA, 1)[0]!.status).toBe('failed');
    expect(t.app.db.repos.links.get(MAYA)!.status).toBe('needs_relink');
  });
});

describe('Block Kit limits and styles', () => {
  it('answers 100 segments within the message limits (the list and the chart are shortened, never rejected)', async () => {
    t = await queryFlowApp();
    await linkAs(t, MAYA, 'maya-chen');
    const { final } = await ask(usJava('employers', '100'));
    const query = t.app.db.repos.queries.listRecent(MAYA, 1)[0]!;
    expect(query.result!.segments).toHaveLength(100);
    expect(final!.response.ok).toBe(true);
    expect(checkMessageBlocks(final!.args.blocks)).toEqual([]);
    expect(final!.args.blocks.length).toBeLessThanOrEqual(50);
    const text = textOf(final!.args.blocks);
    expect(text).toMatch(/…and \d+ more segments/);
    const image = final!.args.blocks.find((b: any) => b.type === 'image');
    expect(image.image_url.length).toBeLessThanOrEqual(3000);
  });

  it('answers 100 segments in a native table within its 100 rows, with a native chart of the largest', async () => {
    t = await queryFlowApp({ env: { CHART_STYLE: 'native' } });
    await linkAs(t, MAYA, 'maya-chen');
    const { final } = await ask(usJava('employers', '100'));
    expect(final!.response.ok).toBe(true);
    expect(checkMessageBlocks(final!.args.blocks)).toEqual([]);
    const table = final!.args.blocks.find((b: any) => b.type === 'table');
    expect(table.rows.length).toBeLessThanOrEqual(100);
    expect(table.rows.at(-1)[0].text).toMatch(/…and \d+ more segments/);
    const chart = final!.args.blocks.find((b: any) => b.type === 'data_visualization');
    expect(chart.chart.axis_config.categories.length).toBeLessThanOrEqual(20);
  });

  it('CHART_STYLE=native falls back to the text list when Slack refuses the native blocks', async () => {
    t = await queryFlowApp({ env: { CHART_STYLE: 'native' }, rejectNativeBlocks: true });
    await linkAs(t, MAYA, 'maya-chen');
    await ask(usJava());
    const updates = t.slack.callsTo('chat.update');
    expect(updates.at(-2)!.response.error).toBe('invalid_blocks');
    expect(updates.at(-1)!.response.ok).toBe(true);
    expect(textOf(updates.at(-1)!.args.blocks)).toMatch(/`[█░]{10} +\d+%`/);
  });

  it('CHART_STYLE=upload renders the PNG at QUICKCHART_URL and uploads it into the answer’s thread', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const rendered: string[] = [];
    t = await queryFlowApp({
      env: { CHART_STYLE: 'upload' },
      flow: {
        chartFetch: async (url) => {
          rendered.push(url);
          return new Response(png, { status: 200, headers: { 'content-type': 'image/png' } });
        },
      },
    });
    await linkAs(t, MAYA, 'maya-chen');
    const { final, channel, ts } = await ask(usJava());
    expect(textOf(final!.args.blocks)).toContain('The chart image is attached in the thread.');
    expect(rendered).toEqual([`${QUICKCHART_TEST_URL}/chart`]);
    const complete = t.slack.lastCall('files.completeUploadExternal')!;
    expect(complete.response.ok).toBe(true);
    expect([complete.args.channel_id, complete.args.thread_ts]).toEqual([channel, ts]);
    expect(t.slack.uploads[0]!.bytes).toBe(png.length);
  });

  it('never sends a LinkedIn token to Slack', async () => {
    t = await queryFlowApp();
    await linkAs(t, MAYA, 'maya-chen');
    const calls = recordLinkedIn(t);
    await ask(usJava());
    const token = tokenOf(t, MAYA);
    expect(calls.some((c) => c.token === token)).toBe(true);
    expect(JSON.stringify(t.slack.calls.map((c) => c.args))).not.toContain(token);
  });
});

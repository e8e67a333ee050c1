/**
 * Comparing two audiences, end to end: "Compare with…" opens the modal for a second audience pre-filled from
 * the first; the answer is one breakdown of both by the same facet (grouped bars in every style, a table with
 * both shares and the difference in points, a one-line summary); segments one answer lacks read "under 30" or
 * "not in top N", never 0%; the comparison is stored, shared, and broken down again — both audiences — in its
 * thread.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { facetUrn } from '../../src/linkedin/facets.js';
import { ACTION } from '../../src/slack/blocks/actions.js';
import { QUERY_RERUN_ACTION_ID } from '../../src/slack/blocks/linking.js';
import { decodeModalMetadata, MODAL_BLOCK } from '../../src/slack/views/audienceModal.js';
import {
  ACCOUNT_123,
  actionsOf,
  CHANNEL,
  currentModal,
  dmAnswer,
  entityNamed,
  linkAs,
  MAYA,
  type ModalInput,
  messageAction,
  queryFlowApp,
  recordLinkedIn,
  submitModal,
  textOf,
  US,
} from '../query/support.js';
import { ask, blocksOfType, STYLES, scriptInsights, segmentations, usWithSkill } from '../styles/support.js';
import { checkMessageBlocks, checkView } from '../support/blockKitLimits.js';
import { type FakeQuickChart, readChartConfig, startFakeQuickChart } from '../support/fakeQuickChart.js';
import { appHomeOpened, triggerId } from '../support/slackRequests.js';
import type { TestApp } from '../support/testApp.js';
import { closeCheckingFakes } from '../support/testApp.js';

type Style = (typeof STYLES)[number];

let t: TestApp | undefined;
let quickchart: FakeQuickChart | undefined;
afterEach(async () => {
  const [app, chart] = [t, quickchart];
  t = undefined;
  quickchart = undefined;
  await closeCheckingFakes(app, chart);
});

async function appIn(style: Style, options: { rejectNativeBlocks?: boolean } = {}) {
  quickchart = await startFakeQuickChart();
  t = await queryFlowApp({
    env: { CHART_STYLE: style, QUICKCHART_URL: quickchart.url },
    ...(options.rejectNativeBlocks ? { rejectNativeBlocks: true } : {}),
  });
  await linkAs(t, MAYA, 'maya-chen');
  return t;
}

/** Clicks "Compare with…" on a DM answer and submits `second` in the modal; the comparison's DM answer. */
async function compareWith(app: TestApp, at: { channel: string; ts: string }, baseId: string, second: ModalInput) {
  const trigger = triggerId();
  await messageAction(app, MAYA, at, { actionId: ACTION.compareWith, value: baseId }, trigger);
  expect(app.slack.lastCall('views.open')!.args.trigger_id).toBe(trigger);
  const view = currentModal(app);
  const res = await submitModal(app, MAYA, view, second);
  expect(res.statusCode).toBe(200);
  const dm = dmAnswer(app, MAYA);
  const query = app.app.db.repos.queries.listRecent(MAYA, 1)[0]!;
  expect(query.compareSpec).toBeDefined();
  return { ...dm, query, view };
}

/**
 * The comparison's rows as [segment, A, B, difference]: from the table, or read back from the mrkdwn list Slack
 * gets when it refuses the table: "Engineering — Audience A 31% · Audience B 12% · *+19 pts*".
 */
function compareRowsIn(blocks: any[]): string[][] {
  const table = blocks.find((b) => b.type === 'table');
  if (table) return table.rows.slice(1).map((r: any[]) => r.map((c) => c.text));
  return textOf(blocks)
    .split('\n')
    .map((line) => /^(.+) — Audience A (.+?) · Audience B (.+?)(?: · \*(.+)\*)?$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1]!, m[2]!, m[3]!, m[4] ?? '—']);
}

/** The blocks as JSON, without image blocks (whose percent-encoded URLs are full of "%"). */
const noImages = (blocks: any[]) => JSON.stringify(blocks.filter((b) => b.type !== 'image'));

const fn = (n: number) => `urn:li:function:${n}`;
const ENGINEERING = fn(8);
const SALES = fn(25);
const OPERATIONS = fn(18);
const IT = fn(13);
const ADMINISTRATIVE = fn(2);
const MARKETING = fn(15);
const HR = fn(12);

describe('Compare with…', () => {
  it('opens the modal for a second audience, pre-filled from the first, with the breakdown fixed', async () => {
    const app = await appIn('native');
    const first = await ask(app, usWithSkill(app, 'Java'));
    await messageAction(app, MAYA, first, { actionId: ACTION.compareWith, value: first.query.id });
    const view = currentModal(app);
    expect(checkView(view)).toEqual([]);
    expect(view.title.text).toBe('Compare audiences');
    expect(decodeModalMetadata(view.private_metadata)).toMatchObject({
      mode: 'compare',
      baseQueryId: first.query.id,
      fixedGroupBy: facetUrn('jobFunctions'),
    });
    const block = (id: string) => (view.blocks as any[]).find((b) => b.block_id === id);
    expect(block(MODAL_BLOCK.account).element.initial_option.value).toBe(ACCOUNT_123);
    expect(block('inc:0:0:values:locations').element.initial_options.map((o: any) => o.value)).toEqual([US]);
    expect(block('inc:1:0:values:skills').element.initial_options.map((o: any) => o.text.text)).toEqual(['Java']);
    // The facet is not asked again: both audiences are broken down the same way.
    expect(block(MODAL_BLOCK.groupBy)).toBeUndefined();
    expect(textOf(view.blocks)).toContain('*Broken down by:* Job Functions (as the first audience)');
  });
});

describe('the comparison answer', () => {
  // Audience A (Java) returned its full top 5, so what it lacks is "not in top 5"; audience B (Python) returned
  // 4 of 5, so every segment with 30+ members is there and what it lacks is "under 30".
  const script = (app: TestApp) => {
    const java = entityNamed(app, 'skills', 'Java').urn;
    return scriptInsights(app, (request) =>
      JSON.stringify(request.targetingCriteria).includes(java)
        ? {
            total: 420_000,
            segments: segmentations(420_000, [
              [ENGINEERING, 31],
              [SALES, 20],
              [OPERATIONS, 10],
              [IT, 8],
              [ADMINISTRATIVE, 6],
            ]),
          }
        : {
            total: 120_000,
            segments: segmentations(120_000, [
              [MARKETING, 25],
              [SALES, 24],
              [HR, 14],
              [ENGINEERING, 12],
            ]),
          },
    );
  };
  const SUMMARY =
    'Most over-indexed in Audience A vs Audience B: Engineering: 31% vs 12%, +19 pts; most under-indexed: Sales: 20% vs 24%, −4 pts.';
  const TABLE = [
    ['Segment', 'Audience A', 'Audience B', 'Difference'],
    ['Engineering', '31%', '12%', '+19 pts'],
    ['Marketing', 'not in top 5', '25%', '—'],
    ['Sales', '20%', '24%', '−4 pts'],
    ['Human Resources', 'not in top 5', '14%', '—'],
    ['Operations', '10%', 'under 30', '—'],
    ['Information Technology', '8%', 'under 30', '—'],
    ['Administrative', '6%', 'under 30', '—'],
  ];

  for (const style of STYLES) {
    it(`${style}: one breakdown of both by the same facet — grouped bars, both shares, the difference, a summary`, async () => {
      const app = await appIn(style);
      const requests = script(app);
      const first = await ask(app, usWithSkill(app, 'Java'));
      const second = await compareWith(app, first, first.query.id, usWithSkill(app, 'Python'));
      const { final, query } = second;

      // LinkedIn was asked for the second audience by the first one's facet and count (the first audience's
      // answer is still in the result cache).
      const python = entityNamed(app, 'skills', 'Python').urn;
      expect(requests.map((r) => [r.request.groupBy, r.request.maxReturnCount])).toEqual([
        [facetUrn('jobFunctions'), 5],
        [facetUrn('jobFunctions'), 5],
      ]);
      expect(JSON.stringify(requests[1]!.request.targetingCriteria)).toContain(python);
      expect(query.parentId).toBe(first.query.id);
      expect(query.compareSpec!.groupBy).toBe(query.spec.groupBy);
      expect(query.compareResult!.segments).toHaveLength(4);
      expect(query.chartStyle).toBe(style);

      expect(final!.response.ok).toBe(true);
      expect(checkMessageBlocks(final!.args.blocks)).toEqual([]);
      const text = textOf(final!.args.blocks);
      expect(text).toContain('Audience comparison by Job Functions');
      expect(text).toContain(`*${SUMMARY}*`);
      expect(final!.args.text).toBe(`Audience comparison by Job Functions: ${SUMMARY}`);
      expect(compareRowsIn(final!.args.blocks)).toEqual(TABLE.slice(1));
      const [table] = blocksOfType(final, 'table');
      expect(table.rows[0].map((c: any) => c.text)).toEqual(TABLE[0]);
      // A segment one answer lacks is never shown as zero.
      expect(noImages(final!.args.blocks)).not.toMatch(/(^|[^\d.])0%/);

      if (style === 'native') {
        const [chart] = blocksOfType(final, 'data_visualization');
        expect(chart.chart.series.map((s: any) => s.name)).toEqual(['Audience A', 'Audience B']);
        // Only segments both answers have get bars: LinkedIn gave no number for the others.
        expect(chart.chart.axis_config.categories).toEqual(['Engineering', 'Sales']);
        expect(chart.chart.series.map((s: any) => s.data.map((p: any) => p.value))).toEqual([
          [31, 20],
          [12, 24],
        ]);
        expect(blocksOfType(final, 'image')).toEqual([]);
      } else {
        const config =
          style === 'quickchart'
            ? readChartConfig(new URL(blocksOfType(final, 'image')[0].image_url).searchParams.get('c')!)
            : readChartConfig(quickchart!.posts.at(-1)!.chart as string);
        expect(config.data.datasets.map((d) => d.label)).toEqual(['Audience A', 'Audience B']);
        // Gaps (null), not zeros, where an answer lacks the segment.
        expect(config.data.datasets.map((d) => d.data)).toEqual([
          [31, null, 20, null, 10, 8, 6],
          [12, 25, 24, 14, null, null, null],
        ]);
      }
      if (style === 'upload') {
        const complete = app.slack.lastCall('files.completeUploadExternal')!;
        expect([complete.args.channel_id, complete.args.thread_ts]).toEqual([second.channel, second.ts]);
        expect(complete.args.files[0].title).toBe('Audience comparison by Job Functions');
      }
    });
  }
});

describe('when Slack refuses the table (invalid_blocks)', () => {
  for (const style of ['quickchart', 'native'] as const) {
    it(`${style}: the comparison comes as the mrkdwn list, with the same rows, summary and buttons`, async () => {
      const app = await appIn(style, { rejectNativeBlocks: true });
      const first = await ask(app, usWithSkill(app, 'Java'));
      const { final, ts, query } = await compareWith(app, first, first.query.id, usWithSkill(app, 'Python'));
      const updates = app.slack.callsTo('chat.update').filter((c) => c.args.ts === ts);
      expect(updates.map((c) => c.response.error ?? 'ok')).toEqual(['invalid_blocks', 'ok']);
      const blocks = final!.args.blocks as any[];
      expect(blocks.some((b) => b.type === 'table' || b.type === 'data_visualization')).toBe(false);
      const segments = new Set([...query.result!.segments, ...query.compareResult!.segments].map((s) => s.value));
      expect(compareRowsIn(blocks)).toHaveLength(segments.size);
      expect(compareRowsIn(blocks)).toEqual(compareRowsIn(updates[0]!.args.blocks));
      expect(final!.args.text).toBe(updates[0]!.args.text);
      expect(Object.keys(actionsOf(blocks))).toEqual([ACTION.shareToChannel, ACTION.breakDownBy]);
      expect(blocksOfType(final, 'image')).toHaveLength(style === 'quickchart' ? 1 : 0);
    });
  }
});

describe('disjoint top-N lists', () => {
  // Java developers in Canada and in Argentina work for different employers: their top 5 share none.
  const inCountry = (app: TestApp, country: string): ModalInput => {
    const geo = app.sandbox.catalog.countries.map((i) => app.sandbox.catalog.geos[i]!).find((g) => g.name === country)!;
    return {
      account: ACCOUNT_123,
      include: [
        [{ facet: 'locations', values: [{ urn: geo.urn, name: geo.name }] }],
        [{ facet: 'skills', values: [entityNamed(app, 'skills', 'Java')] }],
      ],
      groupBy: 'employers',
      count: '5',
    };
  };

  for (const style of ['native', 'quickchart'] as const) {
    it(`${style}: every segment shows one share and "not in top 5" for the other audience, never 0%`, async () => {
      const app = await appIn(style);
      const first = await ask(app, inCountry(app, 'Canada'));
      const { final, query } = await compareWith(app, first, first.query.id, inCountry(app, 'Argentina'));
      const a = query.result!.segments.map((s) => s.value);
      const b = query.compareResult!.segments.map((s) => s.value);
      expect([a.length, b.length]).toEqual([5, 5]);
      expect(a.filter((urn) => b.includes(urn))).toEqual([]);

      expect(final!.response.ok).toBe(true);
      const rows = compareRowsIn(final!.args.blocks);
      expect(rows).toHaveLength(10);
      for (const [, shareA, shareB, diff] of rows) {
        expect([shareA, shareB].filter((s) => s === 'not in top 5')).toHaveLength(1);
        expect([shareA, shareB].filter((s) => /^(\d+|<1)%$/.test(s))).toHaveLength(1);
        expect(diff).toBe('—');
      }
      expect(noImages(final!.args.blocks)).not.toMatch(/(^|[^\d.])0%/);
      expect(textOf(final!.args.blocks)).toContain(
        'No segment is in both answers, so the shares cannot be compared directly.',
      );
      if (style === 'native') {
        expect(blocksOfType(final, 'data_visualization')).toEqual([]);
        expect(textOf(final!.args.blocks)).toContain('No chart: the two answers have no segment in common');
      } else {
        const [image] = blocksOfType(final, 'image');
        const config = readChartConfig(new URL(image.image_url).searchParams.get('c')!);
        for (const dataset of config.data.datasets) {
          expect(dataset.data.filter((v) => v === null)).toHaveLength(5);
          expect(dataset.data).not.toContain(0);
        }
      }
    });
  }
});

describe('a comparison is stored like any query', () => {
  for (const style of STYLES) {
    it(`${style}: is shared, and "Break down by…" in its thread breaks both audiences down again`, async () => {
      const app = await appIn(style);
      const first = await ask(app, usWithSkill(app, 'Java'));
      const comparison = await compareWith(app, first, first.query.id, usWithSkill(app, 'Python'));
      const compared = comparison.query;

      await messageAction(app, MAYA, comparison, { actionId: ACTION.shareToChannel, value: compared.id });
      const stored = app.app.db.repos.queries.get(compared.id)!;
      expect(stored.sharedChannelId).toBe(CHANNEL);
      const shared = app.slack.callsTo('chat.postMessage').find((c) => c.response.ts === stored.sharedTs)!;
      expect(shared.args.channel).toBe(CHANNEL);
      expect(textOf(shared.args.blocks)).toContain('Audience comparison by Job Functions');
      expect(textOf(shared.args.blocks)).toContain(`_Asked by <@${MAYA.userId}>_`);
      expect(actionsOf(shared.args.blocks)[ACTION.shareToChannel]).toBeUndefined();
      const menu = actionsOf(shared.args.blocks)[ACTION.breakDownBy];
      expect(menu.options.map((o: any) => o.value)).toContain(`${compared.id}|seniorities`);

      const linkedin = recordLinkedIn(app);
      await messageAction(
        app,
        MAYA,
        { channel: CHANNEL, ts: stored.sharedTs! },
        { actionId: ACTION.breakDownBy, selected: `${compared.id}|seniorities` },
      );
      const again = app.app.db.repos.queries.listRecent(MAYA, 1)[0]!;
      expect(again.parentId).toBe(compared.id);
      expect(again.status).toBe('done');
      expect([again.spec.groupBy, again.compareSpec!.groupBy]).toEqual([
        facetUrn('seniorities'),
        facetUrn('seniorities'),
      ]);
      expect(again.spec.criteria).toEqual(compared.spec.criteria);
      expect(again.compareSpec!.criteria).toEqual(compared.compareSpec!.criteria);
      expect(again.chartStyle).toBe(style);
      const asked = linkedin.filter((c) => c.method === 'audienceInsights');
      expect(asked.map((c) => (c.args[0] as { request: { groupBy: string } }).request.groupBy)).toEqual([
        facetUrn('seniorities'),
        facetUrn('seniorities'),
      ]);

      const reply = app.slack
        .callsTo('chat.postMessage')
        .find((c) => c.args.channel === CHANNEL && c.args.thread_ts === stored.sharedTs && c.response.ok)!;
      expect(reply).toBeDefined();
      expect(checkMessageBlocks(reply.args.blocks)).toEqual([]);
      const text = textOf(reply.args.blocks);
      expect(text).toContain('Audience comparison by Job Seniorities');
      expect(text).toContain('*Audience A*');
      expect(text).toContain('*Audience B*');
      expect(compareRowsIn(reply.args.blocks)).toHaveLength(
        new Set([...again.result!.segments, ...again.compareResult!.segments].map((s) => s.value)).size,
      );
      if (style === 'native') {
        expect(blocksOfType(reply, 'data_visualization')[0].chart.series).toHaveLength(2);
      }
      if (style === 'quickchart') {
        const config = readChartConfig(new URL(blocksOfType(reply, 'image')[0].image_url).searchParams.get('c')!);
        expect(config.data.datasets).toHaveLength(2);
      }
      if (style === 'upload') {
        // The shared comparison's thread holds its own chart and the breakdown's.
        const uploads = app.slack
          .callsTo('files.completeUploadExternal')
          .filter((c) => c.args.channel_id === CHANNEL && c.args.thread_ts === stored.sharedTs);
        expect(uploads.map((c) => c.args.files[0].title)).toEqual([
          'Audience comparison by Job Functions',
          'Audience comparison by Job Seniorities',
        ]);
        expect(readChartConfig(quickchart!.posts.at(-1)!.chart as string).data.datasets).toHaveLength(2);
      }
    });
  }

  it('breaks a private comparison down privately, in its DM thread, still as two audiences', async () => {
    const app = await appIn('native');
    const first = await ask(app, usWithSkill(app, 'Java'));
    const comparison = await compareWith(app, first, first.query.id, usWithSkill(app, 'Python'));
    await messageAction(
      app,
      MAYA,
      { channel: comparison.channel, ts: comparison.ts },
      { actionId: ACTION.breakDownBy, selected: `${comparison.query.id}|staffCountRanges` },
    );
    const again = app.app.db.repos.queries.listRecent(MAYA, 1)[0]!;
    expect(again.compareSpec!.groupBy).toBe(facetUrn('staffCountRanges'));
    const placeholder = app.slack.callsTo('chat.postMessage').at(-1)!;
    expect([placeholder.args.channel, placeholder.args.thread_ts]).toEqual([comparison.channel, comparison.ts]);
    const result = app.slack.lastCall('chat.update')!;
    expect(result.args.ts).toBe(placeholder.response.ts);
    expect(textOf(result.args.blocks)).toContain('Audience comparison by Company Size');
    expect(blocksOfType(result, 'data_visualization')[0].chart.series).toHaveLength(2);
    expect(app.slack.callsTo('chat.postMessage').some((c) => c.args.channel === CHANNEL)).toBe(false);
  });

  it('is listed in the App Home and re-runs from there as a comparison', async () => {
    const app = await appIn('native');
    const first = await ask(app, usWithSkill(app, 'Java'));
    const comparison = await compareWith(app, first, first.query.id, usWithSkill(app, 'Python'));
    await app.event(appHomeOpened({ userId: MAYA.userId }));
    const home = app.slack.homeOf(MAYA.userId)!;
    const line = (home.blocks as any[]).find((b) => b.accessory?.value === comparison.query.id);
    expect(line.text.text).toContain('By Job Functions (comparison)');
    expect(line.accessory.action_id).toBe(QUERY_RERUN_ACTION_ID);

    await app.action({
      actionId: QUERY_RERUN_ACTION_ID,
      value: comparison.query.id,
      userId: MAYA.userId,
      container: 'home',
    });
    const rerun = app.app.db.repos.queries.listRecent(MAYA, 1)[0]!;
    expect(rerun.parentId).toBe(comparison.query.id);
    expect(rerun.compareSpec).toEqual(comparison.query.compareSpec);
    expect(rerun.chartStyle).toBe('native');
    expect(textOf(dmAnswer(app, MAYA).final!.args.blocks)).toContain('Audience comparison by Job Functions');
  });
});

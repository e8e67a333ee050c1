/**
 * CHART_STYLE end to end, through the real app (modal → LinkedIn sandbox → Slack fake): what each style posts
 * and where its numbers go — a QuickChart image URL, Slack's own table and chart with nothing leaving Slack, or
 * a PNG rendered by a self-hosted QuickChart (toBinary) and uploaded into the answer's thread. Also a
 * 100-segment answer in each style, long segment names, and the fallback when Slack refuses the native blocks.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ANTI_DISCRIMINATION_URL } from '../../src/linkedin/facets.js';
import { ACTION } from '../../src/slack/blocks/actions.js';
import { blockTextLength, escapeMrkdwn } from '../../src/slack/blocks/kit.js';
import { CHART_NOT_ATTACHED } from '../../src/slack/query/deliver.js';
import { actionsOf, entityNamed, linkAs, MAYA, messageAction, queryFlowApp, textOf } from '../query/support.js';
import { checkMessageBlocks } from '../support/blockKitLimits.js';
import { type FakeQuickChart, readChartConfig, startFakeQuickChart, TINY_PNG } from '../support/fakeQuickChart.js';
import type { TestApp } from '../support/testApp.js';
import { closeCheckingFakes } from '../support/testApp.js';
import {
  ask,
  blocksOfType,
  messageCalls,
  STYLES,
  scriptInsights,
  segmentations,
  urlsIn,
  usWithSkill,
} from './support.js';

let t: TestApp | undefined;
let quickchart: FakeQuickChart | undefined;
afterEach(async () => {
  const [app, chart] = [t, quickchart];
  t = undefined;
  quickchart = undefined;
  await closeCheckingFakes(app, chart);
});

/** The app in `style`, with a local QuickChart (so any request to it is seen) at QUICKCHART_URL. */
async function appIn(style: (typeof STYLES)[number], options: { rejectNativeBlocks?: boolean } = {}) {
  quickchart = await startFakeQuickChart();
  t = await queryFlowApp({
    env: { CHART_STYLE: style, QUICKCHART_URL: quickchart.url },
    ...(options.rejectNativeBlocks ? { rejectNativeBlocks: true } : {}),
  });
  await linkAs(t, MAYA, 'maya-chen');
  return t;
}

/** An answer with several segments: Java developers in the United States by seniority. */
const several = (app: TestApp) => usWithSkill(app, 'Java', 'seniorities', '10');

/** The mrkdwn segment lines of a message: "`██████████ 23%` Business Development — 96,000". */
const segmentLines = (blocks: any[]) =>
  textOf(blocks)
    .split('\n')
    .filter((l) => /^`[█░]{10} +(\d+|<1)%`/.test(l));

describe('CHART_STYLE=quickchart', () => {
  it('answers as today: the mrkdwn list and a QuickChart image URL (≤ 3000 characters) carrying the shares', async () => {
    const app = await appIn('quickchart');
    const { final, query } = await ask(app, several(app));
    expect(query.result!.segments.length).toBeGreaterThan(3);
    expect(final!.response.ok).toBe(true);
    expect(query.chartStyle).toBe('quickchart');
    const [image] = blocksOfType(final, 'image');
    expect(image.image_url.length).toBeLessThanOrEqual(3000);
    const url = new URL(image.image_url);
    expect(url.origin).toBe(quickchart!.url);
    expect(url.searchParams.get('v')).toBe('4');
    expect(url.searchParams.get('devicePixelRatio')).toBe('2');
    const config = readChartConfig(url.searchParams.get('c')!);
    expect(config.data.datasets[0]!.data).toEqual(query.result!.segments.map((s) => s.entityPercentage));
    expect(segmentLines(final!.args.blocks)).toEqual(
      query.result!.segments.map((s) =>
        expect.stringMatching(new RegExp(`%\` ${query.names![s.value]} — ${s.entityCount.toLocaleString('en-US')}$`)),
      ),
    );
    expect(blocksOfType(final, 'table')).toEqual([]);
    // Slack fetches the image itself: the bot never calls QuickChart, and uploads nothing.
    expect(quickchart!.posts).toEqual([]);
    expect(app.slack.callsTo('files.getUploadURLExternal')).toEqual([]);
  });
});

describe('CHART_STYLE=native', () => {
  it('answers with Slack’s table and data_visualization chart, and no external URL in anything posted', async () => {
    const app = await appIn('native');
    const before = app.slack.calls.length;
    const { final, placeholder, query } = await ask(app, several(app));
    expect(query.result!.segments.length).toBeGreaterThan(3);
    expect(final!.response.ok).toBe(true);
    expect(query.chartStyle).toBe('native');

    const [table] = blocksOfType(final, 'table');
    const names = query.result!.segments.map((s) => query.names![s.value]!);
    expect(table.rows.slice(1).map((r: any[]) => r[0].text)).toEqual(names);
    const [chart] = blocksOfType(final, 'data_visualization');
    expect(chart.chart.type).toBe('bar');
    expect(chart.chart.series).toHaveLength(1);
    expect(chart.chart.series[0].data.map((p: any) => p.value)).toEqual(
      query.result!.segments.map((s) => s.entityPercentage),
    );
    expect(blocksOfType(final, 'image')).toEqual([]);

    // Nothing left Slack: no image, no upload, no request to QuickChart; the only link in any payload is
    // LinkedIn's anti-discrimination notice, which carries no audience data.
    const sent = app.slack.calls.slice(before);
    expect(sent).toContain(placeholder);
    expect(sent.some((c) => c.method.startsWith('files.'))).toBe(false);
    expect(JSON.stringify(sent.map((c) => c.args))).not.toContain('image_url');
    expect(new Set(urlsIn(sent))).toEqual(new Set([ANTI_DISCRIMINATION_URL]));
    expect(quickchart!.posts).toEqual([]);
  });
});

describe('CHART_STYLE=upload', () => {
  it('renders the PNG at the self-hosted QuickChart (v4, explicit pixel ratio) and uploads it into the answer’s thread', async () => {
    const app = await appIn('upload');
    const { final, channel, ts, query } = await ask(app, several(app));
    expect(query.result!.segments.length).toBeGreaterThan(3);
    expect(final!.response.ok).toBe(true);
    expect(query.chartStyle).toBe('upload');
    expect(textOf(final!.args.blocks)).toContain('The chart image is attached in the thread.');
    expect(blocksOfType(final, 'table')).toHaveLength(1);
    expect(blocksOfType(final, 'image')).toEqual([]);

    // toBinary(): one POST with Chart.js 4 and an explicit device pixel ratio, the answer's shares inside.
    expect(quickchart!.posts).toHaveLength(1);
    const body = quickchart!.posts[0]!;
    expect(body).toMatchObject({ version: '4', devicePixelRatio: 2, width: 800, format: 'png' });
    const config = readChartConfig(body.chart as string);
    expect(config.data.datasets[0]!.data).toEqual(query.result!.segments.map((s) => s.entityPercentage));

    // files.uploadV2: an upload URL, the bytes, then the file shared into the answer's thread.
    const methods = app.slack.methods();
    const answeredAt = app.slack.calls.indexOf(final!);
    const getUrl = methods.indexOf('files.getUploadURLExternal');
    const complete = methods.indexOf('files.completeUploadExternal');
    expect(answeredAt).toBeLessThan(getUrl);
    expect(getUrl).toBeLessThan(complete);
    const completed = app.slack.calls[complete]!;
    expect(completed.response.ok).toBe(true);
    expect([completed.args.channel_id, completed.args.thread_ts]).toEqual([channel, ts]);
    expect(app.slack.uploads).toHaveLength(1);
    expect(app.slack.uploads[0]!.bytes).toBe(TINY_PNG.length);
    // No image URL anywhere: the picture reaches Slack as a file.
    expect(JSON.stringify(messageCalls(app).map((c) => c.args))).not.toContain('image_url');
  });

  it('says in the thread when the chart could not be drawn; the answer itself is complete', async () => {
    const app = await appIn('upload');
    quickchart!.mode = 'error';
    const { final, channel, ts } = await ask(app, usWithSkill(app, 'Java'));
    expect(final!.response.ok).toBe(true);
    expect(blocksOfType(final, 'table')).toHaveLength(1);
    expect(app.slack.callsTo('files.completeUploadExternal')).toEqual([]);
    const notice = app.slack.lastCall('chat.postMessage')!;
    expect([notice.args.channel, notice.args.thread_ts, notice.args.text]).toEqual([channel, ts, CHART_NOT_ATTACHED]);
  });
});

describe('a 100-segment answer', () => {
  for (const style of STYLES) {
    it(`stays within Slack’s limits in style ${style}`, async () => {
      const app = await appIn(style);
      const { final, query } = await ask(app, usWithSkill(app, 'Java', 'employers', '100'));
      expect(query.result!.segments).toHaveLength(100);
      expect(final!.response.ok).toBe(true);
      const blocks = final!.args.blocks as any[];
      expect(checkMessageBlocks(blocks)).toEqual([]);
      expect(blocks.length).toBeLessThanOrEqual(50);
      expect(blockTextLength(blocks)).toBeLessThanOrEqual(12_000);
      expect(final!.args.text.length).toBeLessThanOrEqual(3000);

      if (style === 'quickchart') {
        // Today's message: the 40 largest listed, the other 60 summed up in one line.
        expect(segmentLines(blocks)).toHaveLength(40);
        expect(textOf(blocks)).toMatch(/_…and 60 more segments, each/);
        const [image] = blocksOfType(final, 'image');
        expect(image.image_url.length).toBeLessThanOrEqual(3000);
        expect(image.title.text).toMatch(/chart shows top \d+ of 100 segments/);
      }
      if (style !== 'quickchart') {
        const [table] = blocksOfType(final, 'table');
        expect(table.rows.length).toBeLessThanOrEqual(100);
        for (const row of table.rows) expect(row.length).toBeLessThanOrEqual(20);
        // 98 rows name a segment; the last one sums up the other 2.
        expect(table.rows.at(-1)[0].text).toMatch(/^…and 2 more segments/);
      }
      if (style === 'native') {
        const [chart] = blocksOfType(final, 'data_visualization');
        const categories: string[] = chart.chart.axis_config.categories;
        expect(categories).toHaveLength(20);
        expect(chart.title.length).toBeLessThanOrEqual(50);
        expect(new Set(categories).size).toBe(20);
        for (const label of categories) expect(label.length).toBeLessThanOrEqual(20);
      }
      if (style === 'upload') {
        const config = readChartConfig(quickchart!.posts[0]!.chart as string);
        expect(config.data.labels).toHaveLength(100);
        expect(app.slack.lastCall('files.completeUploadExternal')!.response.ok).toBe(true);
      }
    });
  }
});

describe('long segment names', () => {
  // Job titles whose first 20 characters are the same: cut naively, they would all read "Business Developm…".
  const TITLES = [
    'Business Development Representative',
    'Business Development Representative Intern',
    'Business Development Associate',
    'Business Development Associate Intern',
    'Business Development Executive',
    'Business Development Analyst',
    'Business Development Manager',
    'Senior Business Development Representative',
    'Senior Business Development Associate',
  ];

  it('get unique chart labels of at most 20 characters, with the full names in the table', async () => {
    const app = await appIn('native');
    const titles = TITLES.map((name) => entityNamed(app, 'titles', name));
    const requests = scriptInsights(app, () => ({
      total: 250_000,
      segments: segmentations(
        250_000,
        titles.map((title, i) => [title.urn, 20 - i * 2]),
      ),
    }));
    const { final, query } = await ask(app, usWithSkill(app, 'Java', 'titles', '10'));
    expect(requests).toHaveLength(1);
    expect(final!.response.ok).toBe(true);
    expect(query.names![titles[0]!.urn]).toBe(TITLES[0]);

    const [chart] = blocksOfType(final, 'data_visualization');
    const categories: string[] = chart.chart.axis_config.categories;
    expect(categories).toHaveLength(TITLES.length);
    expect(new Set(categories).size).toBe(TITLES.length);
    for (const label of categories) expect(label.length).toBeLessThanOrEqual(20);
    for (const series of chart.chart.series) {
      expect(series.data.map((p: any) => p.label)).toEqual(categories);
    }
    const [table] = blocksOfType(final, 'table');
    expect(table.rows.slice(1).map((r: any[]) => r[0].text)).toEqual(TITLES);
  });
});

describe('when Slack refuses the native blocks (invalid_blocks)', () => {
  for (const style of ['native', 'upload'] as const) {
    it(`${style}: posts the mrkdwn list instead, with every segment and every button`, async () => {
      const app = await appIn(style, { rejectNativeBlocks: true });
      const { final, query, channel, ts } = await ask(app, usWithSkill(app, 'Java', 'employers', '100'));
      const updates = app.slack.callsTo('chat.update').filter((c) => c.args.ts === ts);
      expect(updates.at(-2)!.response.error).toBe('invalid_blocks');
      expect(final!.response.ok).toBe(true);
      expect(query.status).toBe('done');
      expect(query.chartStyle).toBe(style);

      const blocks = final!.args.blocks as any[];
      expect(blocks.some((b) => ['table', 'data_table', 'data_visualization'].includes(b.type))).toBe(false);
      // Nothing lost: every one of the 100 segments has its line, with name, share and count.
      const text = textOf(blocks);
      expect(segmentLines(blocks)).toHaveLength(100);
      const employers = new Map(app.sandbox.catalog.employers.map((e) => [e.urn, e.name]));
      for (const s of query.result!.segments) {
        const name = escapeMrkdwn(employers.get(s.value)!.replace(/\s+/g, ' ').trim());
        expect(text).toContain(`${name} — ${s.entityCount.toLocaleString('en-US')}`);
      }
      const actions = actionsOf(blocks);
      for (const id of [ACTION.shareToChannel, ACTION.breakDownBy, ACTION.compareWith, ACTION.editQuery]) {
        expect(actions[id]).toBeDefined();
      }
      if (style === 'upload') {
        const complete = app.slack.lastCall('files.completeUploadExternal')!;
        expect([complete.args.channel_id, complete.args.thread_ts]).toEqual([channel, ts]);
      }
    });
  }

  it('quickchart: has nothing for Slack to refuse, so the answer goes through at once', async () => {
    const app = await appIn('quickchart', { rejectNativeBlocks: true });
    const { final, ts } = await ask(app, usWithSkill(app, 'Java'));
    const updates = app.slack.callsTo('chat.update').filter((c) => c.args.ts === ts);
    expect(updates.map((c) => c.response.ok)).toEqual([true]);
    expect(blocksOfType(final, 'image')).toHaveLength(1);
  });

  it('shares the fallback too, and the shared copy keeps every button that makes sense there', async () => {
    const app = await appIn('native', { rejectNativeBlocks: true });
    const { channel, ts, query } = await ask(app, usWithSkill(app, 'Java'));
    await messageAction(app, MAYA, { channel, ts }, { actionId: ACTION.shareToChannel, value: query.id });
    const posts = app.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === query.channelId);
    expect(posts.map((c) => c.response.ok)).toEqual([false, true]);
    expect(posts[0]!.response.error).toBe('invalid_blocks');
    expect(textOf(posts[1]!.args.blocks)).toMatch(/`[█░]{10} +\d+%`/);
    expect(app.app.db.repos.queries.get(query.id)!.sharedTs).toBe(posts[1]!.response.ts);
  });
});

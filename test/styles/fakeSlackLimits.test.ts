/**
 * What the recording fake Slack knows of the native data blocks (slack-native-data-blocks.md), pinned through
 * the real WebClient: the limits the style tests rely on — table ≤ 100 rows × 20 cells, one per message, cells
 * of 1–2000 characters; data_visualization title ≤ 50, 1–6 uniquely named series, unique category labels ≤ 20
 * with one matching data point each, at most two per message; data_table's shape — and users.info's admin flags.
 */
import { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { checkMessageBlocks } from '../support/blockKitLimits.js';
import { createFakeSlack } from '../support/fakeSlack.js';

const setup = () => {
  const slack = createFakeSlack();
  const client = new webApi.WebClient('xoxb-fake', {
    slackApiUrl: slack.apiUrl,
    fetch: slack.fetch,
    retryConfig: { retries: 0 },
  });
  return { slack, client };
};

const post = async (blocks: unknown[]) => {
  const { client } = setup();
  return client.chat.postMessage({ channel: 'C1', text: 'x', blocks: blocks as any }).then(
    (res): { ok: boolean; error?: string; messages: string[] } => ({ ok: res.ok === true, messages: [] }),
    (e: webApi.WebAPIPlatformError) => ({
      ok: false,
      error: e.data.error,
      messages: (e.data.response_metadata?.messages ?? []) as string[],
    }),
  );
};

const cell = (text: string) => ({ type: 'raw_text', text });
const table = (rows: number, cells: number, text = 'c') => ({
  type: 'table',
  rows: Array.from({ length: rows }, () => Array.from({ length: cells }, () => cell(text))),
});

interface ChartInput {
  title?: string;
  categories?: string[];
  series?: Array<{ name: string; data: Array<{ label: string; value: unknown }> }>;
  xLabel?: string;
}
const chart = (input: ChartInput = {}) => {
  const categories = input.categories ?? ['Engineering', 'Sales'];
  return {
    type: 'data_visualization',
    title: input.title ?? 'Job Functions: A vs B',
    chart: {
      type: 'bar',
      axis_config: { categories, ...(input.xLabel ? { x_label: input.xLabel } : {}) },
      series: input.series ?? [
        { name: 'A', data: categories.map((label) => ({ label, value: 10 })) },
        { name: 'B', data: categories.map((label) => ({ label, value: 20 })) },
      ],
    },
  };
};
const dataTable = (rows: unknown[][], extra: Record<string, unknown> = {}) => ({
  type: 'data_table',
  caption: 'Segments',
  rows,
  ...extra,
});

describe('the fake Slack refuses native data blocks Slack would refuse', () => {
  it.each([
    ['two tables in one message', [table(2, 2), table(2, 2)], '/blocks'],
    ['a table of 101 rows', [table(101, 4)], '/blocks/0/rows'],
    ['a table row of 21 cells', [table(2, 21)], '/blocks/0/rows/0'],
    ['a table cell over 2000 characters', [table(2, 2, 'x'.repeat(2001))], '/blocks/0/rows/0/0/text'],
    ['an empty table cell', [table(2, 2, '')], '/blocks/0/rows/0/0/text'],
    [
      'a cell that is neither raw_text nor rich_text',
      [{ type: 'table', rows: [[{ type: 'mrkdwn', text: 'x' }]] }],
      '/blocks/0/rows/0/0/type',
    ],
    ['a chart title over 50', [chart({ title: 't'.repeat(51) })], '/blocks/0/title'],
    [
      'seven series',
      [chart({ series: Array.from({ length: 7 }, (_, i) => ({ name: `S${i}`, data: [] })), categories: [] })],
      '/blocks/0/chart/series',
    ],
    ['a category label over 20', [chart({ categories: ['c'.repeat(21)] })], '/blocks/0/chart/axis_config/categories/0'],
    [
      'two equal category labels',
      [chart({ categories: ['Sales', 'Sales'] })],
      '/blocks/0/chart/axis_config/categories/1',
    ],
    [
      'two series with one name',
      [
        chart({
          categories: ['Sales'],
          series: [
            { name: 'A', data: [{ label: 'Sales', value: 1 }] },
            { name: 'A', data: [{ label: 'Sales', value: 2 }] },
          ],
        }),
      ],
      '/blocks/0/chart/series/1/name',
    ],
    [
      'a series without a point per category',
      [chart({ categories: ['Sales', 'HR'], series: [{ name: 'A', data: [{ label: 'Sales', value: 1 }] }] })],
      '/blocks/0/chart/series/0/data',
    ],
    [
      'a point whose label is not its category',
      [chart({ categories: ['Sales'], series: [{ name: 'A', data: [{ label: 'HR', value: 1 }] }] })],
      '/blocks/0/chart/series/0/data/0/label',
    ],
    [
      'a point without a number (e.g. a missing share sent as null)',
      [chart({ categories: ['Sales'], series: [{ name: 'A', data: [{ label: 'Sales', value: null }] }] })],
      '/blocks/0/chart/series/0/data/0/value',
    ],
    ['an axis label over 50', [chart({ xLabel: 'x'.repeat(51) })], '/blocks/0/chart/axis_config/x_label'],
    ['three charts in one message', [chart(), chart(), chart()], '/blocks'],
    ['a data_table without rows under its header', [dataTable([[cell('Segment')]])], '/blocks/0/rows'],
    ['a ragged data_table', [dataTable([[cell('a'), cell('b')], [cell('1')]])], '/blocks/0/rows/1'],
    [
      'a data_table page_size over 100',
      [dataTable([[cell('a')], [cell('1')]], { page_size: 101 })],
      '/blocks/0/page_size',
    ],
  ])('%s → invalid_blocks at %s', async (_label, blocks, pointer) => {
    const answer = await post(blocks as unknown[]);
    expect(answer.ok).toBe(false);
    expect(answer.error).toBe('invalid_blocks');
    expect(answer.messages.some((m) => m.includes(`[json-pointer:${pointer}]`))).toBe(true);
  });

  it('accepts one full table (100 rows × 20 cells of 2000 characters) and two grouped-bar charts', async () => {
    const categories = Array.from({ length: 20 }, (_, i) => `Category ${i}`.padEnd(20, '.'));
    const blocks = [table(100, 20, 'x'.repeat(2000)), chart({ title: 't'.repeat(50), categories }), chart()];
    expect(checkMessageBlocks(blocks)).toEqual([]);
    expect((await post(blocks)).ok).toBe(true);
    expect(
      (
        await post([
          dataTable(
            [
              [cell('a'), cell('b')],
              [cell('1'), cell('2')],
            ],
            { page_size: 100 },
          ),
        ])
      ).ok,
    ).toBe(true);
  });
});

describe('users.info', () => {
  it('reports workspace admins and owners as added, everyone else as neither', async () => {
    const { slack, client } = setup();
    slack.addUser({ id: 'UADMIN', is_admin: true });
    slack.addUser({ id: 'UOWNER', is_owner: true, is_primary_owner: true });
    slack.addUser({ id: 'UMEMBER' });
    const flags = async (user: string) => {
      const { user: u } = await client.users.info({ user });
      return [u?.is_admin, u?.is_owner, u?.is_primary_owner];
    };
    expect(await flags('UADMIN')).toEqual([true, false, false]);
    expect(await flags('UOWNER')).toEqual([false, true, true]);
    expect(await flags('UMEMBER')).toEqual([false, false, false]);
    await expect(client.users.info({ user: 'UNOBODY' })).rejects.toMatchObject({ data: { error: 'user_not_found' } });
  });
});

import { describe, expect, it } from 'vitest';
import { buildComparisonChartUrl } from '../../src/charts/quickchart.js';
import { ACTION } from '../../src/slack/blocks/actions.js';
import {
  compareRows,
  compareSummary,
  comparisonChartInput,
  formatPoints,
  missingReason,
  renderCompareMessage,
} from '../../src/slack/blocks/compare.js';
import type { CompareSide, CompareView, SegmentView } from '../../src/slack/blocks/types.js';
import { DOC_AUDIENCE } from './fixtures.js';
import { messageViolations } from './limits.js';

type Json = Record<string, any>;

const seg = (name: string, percentage: number, total: number): SegmentView => ({
  urn: `urn:li:function:${name.toLowerCase()}`,
  name,
  count: Math.round((total * percentage) / 100),
  percentage,
});

const side = (label: string, total: number, maxReturnCount: number, shares: Array<[string, number]>): CompareSide => ({
  label,
  audience: DOC_AUDIENCE,
  totalAudienceCount: total,
  maxReturnCount,
  segments: shares.map(([name, pct]) => seg(name, pct, total)),
});

function compareView(a: CompareSide, b: CompareSide, overrides: Partial<CompareView> = {}): CompareView {
  return {
    queryId: 'q_cmp',
    accountName: 'Acme Ads',
    groupBy: { urn: 'urn:li:adTargetingFacet:jobFunctions', label: 'Job Functions' },
    orderBy: 'AUDIENCE_PERCENTAGE',
    a,
    b,
    style: 'quickchart',
    shared: false,
    ...overrides,
  };
}

// US returned its full top 3 (so a missing segment is "not in top 3"); UK returned 4 of 5 (missing = under 30).
const US = side('US', 420_000, 3, [
  ['Engineering', 31],
  ['Sales', 20],
  ['Operations', 10],
]);
const UK = side('UK', 120_000, 5, [
  ['Marketing', 25],
  ['Sales', 24],
  ['HR', 14],
  ['Engineering', 12],
]);

describe('compare rows and summary', () => {
  it('merges both answers, largest share first, with differences only where both have the segment', () => {
    const rows = compareRows({ a: US, b: UK });
    expect(rows.map((r) => [r.name, r.a?.percentage, r.b?.percentage, r.diff])).toEqual([
      ['Engineering', 31, 12, 19],
      ['Marketing', undefined, 25, undefined],
      ['Sales', 20, 24, -4],
      ['HR', undefined, 14, undefined],
      ['Operations', 10, undefined, undefined],
    ]);
  });

  it('names the largest over- and under-indexed segments', () => {
    expect(compareSummary({ a: US, b: UK })).toBe(
      'Most over-indexed in US vs UK: Engineering: 31% vs 12%, +19 pts; most under-indexed: Sales: 20% vs 24%, −4 pts.',
    );
  });

  it('explains why a segment is missing on one side', () => {
    expect(missingReason(US)).toBe('not in top 3');
    expect(missingReason(UK)).toBe('under 30');
    expect(missingReason(side('Tiny', 0, 5, []))).toBe('audience under 300');
    expect(missingReason(side('Huge', 150_000_000, 5, []))).toBe('audience too broad');
  });

  it('formats points with a real minus sign', () => {
    expect(formatPoints(19)).toBe('+19 pts');
    expect(formatPoints(-4)).toBe('−4 pts');
    expect(formatPoints(0.04)).toBe('0 pts');
    expect(formatPoints(2.25)).toBe('+2.3 pts');
  });
});

describe('renderCompareMessage', () => {
  it('lists both shares per segment, never showing a missing one as zero', () => {
    // The mrkdwn list is what Slack gets when it refuses the table (fallback).
    const message = renderCompareMessage(compareView(US, UK, { fallback: true }));
    const blocks = message.blocks as Json[];
    expect(blocks[0]!.text.text).toBe('Audience comparison by Job Functions');
    expect(blocks.some((b) => b.type === 'table')).toBe(false);
    const list = blocks.find((b) => b.type === 'section' && b.text.text.startsWith('Engineering'))!;
    expect(list.text.text.split('\n')).toEqual([
      'Engineering — US 31% · UK 12% · *+19 pts*',
      'Marketing — US not in top 3 · UK 25%',
      'Sales — US 20% · UK 24% · *−4 pts*',
      'HR — US not in top 3 · UK 14%',
      'Operations — US 10% · UK under 30',
    ]);
    expect(JSON.stringify(blocks)).not.toMatch(/\b0%/);
    expect(message.text).toBe(
      'Audience comparison by Job Functions: Most over-indexed in US vs UK: Engineering: 31% vs 12%, +19 pts; most under-indexed: Sales: 20% vs 24%, −4 pts.',
    );
    // Break down by… breaks both audiences down again.
    expect(blocks.at(-1)!.elements.map((e: Json) => e.action_id)).toEqual([ACTION.shareToChannel, ACTION.breakDownBy]);
    expect(messageViolations(message)).toEqual([]);
  });

  it('shows the same rows as a table in every style where Slack takes it', () => {
    for (const style of ['quickchart', 'native', 'upload'] as const) {
      const blocks = renderCompareMessage(compareView(US, UK, { style })).blocks as Json[];
      const table = blocks.find((b) => b.type === 'table')!;
      expect(table.rows[1].map((c: Json) => c.text)).toEqual(['Engineering', '31%', '12%', '+19 pts']);
      expect(blocks.some((b) => b.type === 'section' && b.text.text.startsWith('Engineering'))).toBe(false);
    }
  });

  it("'native' draws a table with both shares and the difference, and grouped bars of shared segments", () => {
    const message = renderCompareMessage(compareView(US, UK, { style: 'native' }));
    const blocks = message.blocks as Json[];
    const table = blocks.find((b) => b.type === 'table')!;
    expect(table.rows.map((r: Json[]) => r.map((c) => c.text))).toEqual([
      ['Segment', 'US', 'UK', 'Difference'],
      ['Engineering', '31%', '12%', '+19 pts'],
      ['Marketing', 'not in top 3', '25%', '—'],
      ['Sales', '20%', '24%', '−4 pts'],
      ['HR', 'not in top 3', '14%', '—'],
      ['Operations', '10%', 'under 30', '—'],
    ]);
    const chart = blocks.find((b) => b.type === 'data_visualization')!;
    expect(chart.chart.axis_config.categories).toEqual(['Engineering', 'Sales']);
    expect(chart.chart.series).toEqual([
      {
        name: 'US',
        data: [
          { label: 'Engineering', value: 31 },
          { label: 'Sales', value: 20 },
        ],
      },
      {
        name: 'UK',
        data: [
          { label: 'Engineering', value: 12 },
          { label: 'Sales', value: 24 },
        ],
      },
    ]);
    expect(messageViolations(message)).toEqual([]);
  });

  it('handles disjoint top-N lists: no difference, no native chart, reasons instead of zeros', () => {
    const a = side('Engineers', 300_000, 2, [
      ['Engineering', 60],
      ['IT', 20],
    ]);
    const b = side('Sellers', 200_000, 2, [
      ['Sales', 55],
      ['Business Development', 25],
    ]);
    const view = compareView(a, b, { style: 'native' });
    expect(compareSummary(view)).toBe('No segment is in both answers, so the shares cannot be compared directly.');
    const message = renderCompareMessage(view);
    const blocks = message.blocks as Json[];
    expect(blocks.some((b) => b.type === 'data_visualization')).toBe(false);
    expect(JSON.stringify(blocks)).toContain('No chart: the two answers have no segment in common');
    const table = blocks.find((b) => b.type === 'table')!;
    expect(table.rows.slice(1).map((r: Json[]) => r.map((c) => c.text))).toEqual([
      ['Engineering', '60%', 'not in top 2', '—'],
      ['Sales', 'not in top 2', '55%', '—'],
      ['Business Development', 'not in top 2', '25%', '—'],
      ['IT', '20%', 'not in top 2', '—'],
    ]);
    expect(messageViolations(message)).toEqual([]);

    const input = comparisonChartInput(view);
    expect(input.series.map((s) => s.values)).toEqual([
      [60, null, null, 20],
      [null, 55, 25, null],
    ]);
  });

  it('gives QuickChart grouped bars with gaps (null), not zeros, for missing segments', () => {
    const input = comparisonChartInput({ a: US, b: UK });
    const chart = buildComparisonChartUrl(input.categories, input.series, {
      quickchartUrl: 'http://127.0.0.1:3400',
      title: 'Job Functions: US vs UK',
    })!;
    const message = renderCompareMessage(compareView(US, UK, { chart }));
    const image = (message.blocks as Json[]).find((b) => b.type === 'image')!;
    expect(image.image_url).toBe(chart.url);
    const config = new URL(chart.url).searchParams.get('c')!;
    expect(config).toContain("label:'US',data:[31,null,20,null,10]");
    expect(config).toContain("label:'UK',data:[12,25,24,14,null]");
    expect(messageViolations(message)).toEqual([]);
  });

  it('says when one audience is too small or too broad instead of listing zeros', () => {
    const tiny = side('Tiny', 0, 5, []);
    const huge = side('Everyone', 150_000_000, 5, []);
    const message = renderCompareMessage(compareView(US, tiny, { style: 'native' }));
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('*Tiny* (too small to show, under 300 members)');
    expect(text).toContain('audience under 300');
    expect(text).not.toMatch(/\b0%/);
    expect(JSON.stringify(renderCompareMessage(compareView(huge, US)).blocks)).toContain(
      '*Everyone* (≈ 150,000,000 members, too broad to break down)',
    );
  });

  it('stays within limits for two 100-segment answers in every style', () => {
    const many = (label: string, offset: number) =>
      side(
        label,
        5_000_000,
        100,
        Array.from({ length: 100 }, (_, i) => [
          `Information Technology and Services ${i + offset}`,
          1 + ((i * 7) % 20),
        ]),
      );
    for (const style of ['quickchart', 'native', 'upload'] as const) {
      const message = renderCompareMessage(compareView(many('A', 0), many('B', 50), { style }));
      expect(messageViolations(message)).toEqual([]);
    }
  });
});

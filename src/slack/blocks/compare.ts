/**
 * One breakdown of two audiences by the same facet: grouped bars, a table of both shares with the difference
 * in points, and a one-line summary of the largest over- and under-indexed segments. A segment present in one
 * answer only is shown as "under 30" or "not in top N" for the other, never as 0%: LinkedIn did not say zero.
 */
import type { ComparisonSeries } from '../../charts/config.js';
import { resultActions } from './actions.js';
import { describeAudiencePlain } from './audience.js';
import type { MessageBlock, SlackMessage, TableBlock } from './kit.js';
import { context, escapeMrkdwn, header, LIMITS, oneLine, plainText, sectionsFromLines, truncate } from './kit.js';
import {
  dataVisualizationBar,
  NATIVE_CHART_MAX_CATEGORIES,
  TABLE_FITS,
  type TableFit,
  tableNameMax,
  tableSplit,
  topSegments,
} from './native.js';
import {
  approximateNote,
  firstFitting,
  MAX_AUDIENCE,
  MIN_AUDIENCE,
  MIN_SEGMENT,
  noticeContext,
  type SegmentLayout,
  segmentLayouts,
  UPLOAD_NOTE,
} from './result.js';
import { formatApproxCount, formatCount, formatShare, splitShown } from './segments.js';
import type { CompareSide, CompareView, SegmentView } from './types.js';

export interface CompareRow {
  urn: string;
  name: string;
  a?: SegmentView;
  b?: SegmentView;
  /** a − b in percentage points, when both answers have the segment. */
  diff?: number;
}

/** Every segment of either answer, largest share first (ties keep audience A's order). */
export function compareRows(view: Pick<CompareView, 'a' | 'b'>): CompareRow[] {
  const rows = new Map<string, CompareRow>();
  for (const s of view.a.segments) rows.set(s.urn, { urn: s.urn, name: s.name, a: s });
  for (const s of view.b.segments) {
    const row = rows.get(s.urn);
    if (row) row.b = s;
    else rows.set(s.urn, { urn: s.urn, name: s.name, b: s });
  }
  const list = [...rows.values()].map((row, index) => ({ row, index }));
  for (const { row } of list) if (row.a && row.b) row.diff = row.a.percentage - row.b.percentage;
  const share = (r: CompareRow) => Math.max(r.a?.percentage ?? -1, r.b?.percentage ?? -1);
  return list.sort((x, y) => share(y.row) - share(x.row) || x.index - y.index).map((e) => e.row);
}

/** Why a segment is missing from one side's answer. */
export function missingReason(side: Pick<CompareSide, 'segments' | 'maxReturnCount' | 'totalAudienceCount'>): string {
  if (side.segments.length === 0 && side.totalAudienceCount < MIN_AUDIENCE) return 'audience under 300';
  if (side.segments.length === 0 && side.totalAudienceCount >= MAX_AUDIENCE) return 'audience too broad';
  if (side.segments.length < side.maxReturnCount) return `under ${MIN_SEGMENT}`;
  return `not in top ${side.maxReturnCount}`;
}

/** "+19 pts", "−9 pts", "0 pts" (a real minus sign, so columns of differences read cleanly). */
export function formatPoints(diff: number): string {
  const rounded = Number(diff.toFixed(1));
  if (rounded === 0) return '0 pts';
  return `${rounded > 0 ? '+' : '−'}${Math.abs(rounded)} pts`;
}

const shareOrReason = (segment: SegmentView | undefined, side: CompareSide) =>
  segment ? formatShare(segment) : missingReason(side);

/** "Engineering: 31% vs 12%, +19 pts" */
const rowPhrase = (row: CompareRow) =>
  `${oneLine(row.name)}: ${formatShare(row.a!)} vs ${formatShare(row.b!)}, ${formatPoints(row.diff!)}`;

/** The largest over- and under-indexed segments of A against B, in one line (plain text). */
export function compareSummary(
  view: Pick<CompareView, 'a' | 'b'>,
  rows: readonly CompareRow[] = compareRows(view),
): string {
  const both = rows.filter((r) => r.diff !== undefined);
  if (both.length === 0) {
    return 'No segment is in both answers, so the shares cannot be compared directly.';
  }
  const over = both.reduce<CompareRow | undefined>(
    (best, r) => (r.diff! > 0 && (!best || r.diff! > best.diff!) ? r : best),
    undefined,
  );
  const under = both.reduce<CompareRow | undefined>(
    (best, r) => (r.diff! < 0 && (!best || r.diff! < best.diff!) ? r : best),
    undefined,
  );
  const a = oneLine(view.a.label);
  const b = oneLine(view.b.label);
  const parts: string[] = [];
  if (over) parts.push(`Most over-indexed in ${a} vs ${b}: ${rowPhrase(over)}`);
  if (under) parts.push(`most under-indexed: ${rowPhrase(under)}`);
  if (parts.length === 0) return `${a} and ${b} have the same shares in the segments both answers contain.`;
  const text = parts.join('; ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** Categories and series for QuickChart grouped bars (`buildComparisonChartUrl`); null where a side lacks it. */
export function comparisonChartInput(view: Pick<CompareView, 'a' | 'b'>): {
  categories: string[];
  series: ComparisonSeries[];
} {
  const rows = compareRows(view);
  return {
    categories: rows.map((r) => r.name),
    series: [
      { name: view.a.label, values: rows.map((r) => r.a?.percentage ?? null) },
      { name: view.b.label, values: rows.map((r) => r.b?.percentage ?? null) },
    ],
  };
}

type Cell = { type: 'raw_text'; text: string };
const cell = (text: string): Cell => ({ type: 'raw_text', text: truncate(text, LIMITS.tableCellText) || '—' });

export function renderCompareTable(
  view: Pick<CompareView, 'a' | 'b'>,
  rows: readonly CompareRow[],
  fit: TableFit = TABLE_FITS[0]!,
): TableBlock {
  const { shown, hidden } = tableSplit(rows, fit);
  const table: Cell[][] = [
    [
      cell('Segment'),
      cell(truncate(oneLine(view.a.label), 60)),
      cell(truncate(oneLine(view.b.label), 60)),
      cell('Difference'),
    ],
  ];
  const nameMax = tableNameMax(shown.length, fit.namesBudget);
  for (const row of shown) {
    table.push([
      cell(truncate(oneLine(row.name), nameMax)),
      cell(shareOrReason(row.a, view.a)),
      cell(shareOrReason(row.b, view.b)),
      cell(row.diff === undefined ? '—' : formatPoints(row.diff)),
    ]);
  }
  if (hidden.length > 0) {
    table.push([cell(`…and ${hidden.length} more segments`), cell('—'), cell('—'), cell('—')]);
  }
  return {
    type: 'table',
    rows: table,
    column_settings: [{ align: 'left', is_wrapped: true }, { align: 'right' }, { align: 'right' }, { align: 'right' }],
  };
}

/** mrkdwn lines: "Engineering — US 31% · UK 12% · +19 pts" */
export function renderCompareList(
  view: Pick<CompareView, 'a' | 'b'>,
  rows: readonly CompareRow[],
  maxLines = 40,
): string[] {
  const { shown, hidden } = splitShown(rows, maxLines);
  const a = escapeMrkdwn(oneLine(view.a.label));
  const b = escapeMrkdwn(oneLine(view.b.label));
  const lines = shown.map((row) => {
    const diff = row.diff === undefined ? '' : ` · *${formatPoints(row.diff)}*`;
    return `${escapeMrkdwn(truncate(oneLine(row.name), 100))} — ${a} ${shareOrReason(row.a, view.a)} · ${b} ${shareOrReason(row.b, view.b)}${diff}`;
  });
  if (hidden.length > 0) lines.push(`_…and ${hidden.length} more segments_`);
  return lines;
}

/** The native grouped bar chart: only segments both answers have, so no bar stands for a value LinkedIn withheld. */
export function renderCompareNativeChart(view: CompareView, rows: readonly CompareRow[]) {
  const both = topSegments(
    rows
      .filter((r) => r.diff !== undefined)
      .map((r) => ({ ...r, percentage: Math.max(r.a!.percentage, r.b!.percentage) })),
    NATIVE_CHART_MAX_CATEGORIES,
  );
  if (both.length === 0) return undefined;
  return dataVisualizationBar(
    `${view.groupBy.label}: ${oneLine(view.a.label)} vs ${oneLine(view.b.label)}`,
    both.map((r) => r.name),
    [
      { name: view.a.label, values: both.map((r) => r.a!.percentage) },
      { name: view.b.label, values: both.map((r) => r.b!.percentage) },
    ],
    { xLabel: view.groupBy.label, yLabel: '% of audience' },
  );
}

function sideSize(side: CompareSide): string {
  if (side.segments.length === 0 && side.totalAudienceCount < MIN_AUDIENCE)
    return 'too small to show, under 300 members';
  if (side.segments.length === 0 && side.totalAudienceCount >= MAX_AUDIENCE) {
    return `≈ ${formatCount(side.totalAudienceCount)} members, too broad to break down`;
  }
  return `${formatApproxCount(side.totalAudienceCount)} members`;
}

const sideLine = (side: CompareSide) =>
  `*${escapeMrkdwn(oneLine(side.label))}* (${sideSize(side)}): ${escapeMrkdwn(
    truncate(describeAudiencePlain(side.audience), 1200),
  )}`;

/** " (chart shows top 12 of 40)" when the QuickChart URL had to leave the smallest segments out. */
const chartNote = (view: CompareView) =>
  view.chart?.truncated ? ` (chart shows top ${view.chart.shownCount} of ${view.chart.totalCount})` : '';

function chartBlocks(view: CompareView, rows: readonly CompareRow[]): MessageBlock[] {
  if (view.style === 'native' && !view.fallback) {
    const chart = renderCompareNativeChart(view, rows);
    if (chart) return [chart];
    return [context('No chart: the two answers have no segment in common, so there are no bars to set side by side.')];
  }
  if (view.style === 'quickchart' && view.chart) {
    const note = chartNote(view);
    return [
      {
        type: 'image',
        image_url: view.chart.url,
        alt_text: truncate(
          `Grouped bar chart of the share of ${oneLine(view.a.label)} and ${oneLine(view.b.label)} by ${view.groupBy.label}${note}. ${compareSummary(view, rows)}`,
          1000,
        ),
        title: plainText(`${view.groupBy.label}: ${view.a.label} vs ${view.b.label}${note}`, 2000),
      },
    ];
  }
  if (view.style === 'upload') return [context(UPLOAD_NOTE)];
  return [];
}

function build(view: CompareView, layout: SegmentLayout): MessageBlock[] {
  const rows = compareRows(view);
  const blocks: MessageBlock[] = [header(`Audience comparison by ${view.groupBy.label}`)];
  const lines = [`*Account:* ${escapeMrkdwn(oneLine(view.accountName))}`, sideLine(view.a), sideLine(view.b)];
  if (view.askedBy) lines.push(`_Asked by <@${view.askedBy}>_`);
  blocks.push(...sectionsFromLines(lines));
  blocks.push(...sectionsFromLines([`*${escapeMrkdwn(compareSummary(view, rows))}*`]));
  if (rows.length > 0) {
    if (layout.kind === 'table') blocks.push(renderCompareTable(view, rows, layout.fit));
    else blocks.push(...sectionsFromLines(renderCompareList(view, rows, layout.lines)));
    blocks.push(...chartBlocks(view, rows));
  }
  blocks.push(
    context(
      approximateNote(view.groupBy),
      `“under ${MIN_SEGMENT}”: LinkedIn hides that segment in one audience. “not in top N”: it is outside that audience’s answer.`,
    ),
  );
  blocks.push(noticeContext());
  // "Break down by…" breaks both audiences down again, by the facet picked.
  const actions = resultActions({
    queryId: view.queryId,
    groupByUrn: view.groupBy.urn,
    share: !view.shared,
    breakDown: true,
  });
  if (actions) blocks.push(actions);
  return blocks;
}

/**
 * The comparison message: a table of both shares and the difference in every style (comparisons are new, so
 * 'quickchart' has no older list layout to keep), the mrkdwn list when Slack refused the table or it did not
 * fit; shortened like a single breakdown's when the answers are long.
 */
export function renderCompareMessage(view: CompareView, opts: { listLines?: number } = {}): SlackMessage {
  const rowCount = compareRows(view).length;
  const layouts = segmentLayouts({ table: !view.fallback, fallback: view.fallback }, rowCount, opts.listLines ?? 40);
  const blocks = firstFitting(layouts, (layout) => build(view, layout));
  const text = `Audience comparison by ${view.groupBy.label}: ${compareSummary(view)}`;
  return { text: truncate(text, LIMITS.notificationText), blocks };
}

/**
 * Slack-native rendering of a breakdown: a `table` block (names, members, shares, a text bar) and a
 * `data_visualization` bar chart (slack-native-data-blocks.md). Nothing leaves Slack: no image URL, no upload.
 * Slack may refuse these blocks (`invalid_blocks`); the result renderer then falls back to the mrkdwn list.
 */
import type { DataVisualizationBlock, TableBlock } from './kit.js';
import { LIMITS, oneLine, truncate } from './kit.js';
import { shortenLabels } from './labels.js';
import { formatCount, formatShare, hiddenSummary, textBar } from './segments.js';
import type { GroupByView, SegmentView } from './types.js';

type Cell = { type: 'raw_text'; text: string };
const cell = (text: string): Cell => ({ type: 'raw_text', text: truncate(text, LIMITS.tableCellText) || '—' });

/** Segment names in a table cell: long enough to read, far from the 2000-character cell limit. */
const TABLE_NAME_MAX = 200;
/** The shortest a name is cut to in a table: still tells similar names apart. */
const TABLE_NAME_MIN = 24;
/** Characters of names a table may carry, so a 100-row table stays inside Slack's ~12k per message. */
export const TABLE_NAMES_BUDGET = 6000;

/** The longest name a table of `rows` rows shows: 200 for a short table, down to 60 for a full one. */
export const tableNameMax = (rows: number, budget: number = TABLE_NAMES_BUDGET): number =>
  Math.max(TABLE_NAME_MIN, Math.min(TABLE_NAME_MAX, Math.floor(budget / Math.max(1, rows))));
/** Bars of a data_visualization chart; past this a chart stops being readable (the table has them all). */
export const NATIVE_CHART_MAX_CATEGORIES = 20;

/**
 * How much of a table a message can carry. Builders start with the full table and try smaller fits until the
 * whole message is inside Slack's limits; past the last one the segments go back to a mrkdwn list.
 */
export interface TableFit {
  /** Characters of names in all; each name is cut to its share. */
  namesBudget: number;
  /** Rows under the header, a summary row included; at most 99. */
  bodyRows: number;
}

export const TABLE_FITS: readonly TableFit[] = [
  { namesBudget: TABLE_NAMES_BUDGET, bodyRows: LIMITS.tableRows - 1 },
  { namesBudget: 4000, bodyRows: LIMITS.tableRows - 1 },
  { namesBudget: 2500, bodyRows: LIMITS.tableRows - 1 },
  { namesBudget: 2500, bodyRows: 60 },
  { namesBudget: 2000, bodyRows: 40 },
  { namesBudget: 1500, bodyRows: 20 },
];

/** Which items a table of this fit lists; the rest are summarised in its last row. */
export function tableSplit<T>(items: readonly T[], fit: TableFit = TABLE_FITS[0]!): { shown: T[]; hidden: T[] } {
  const bodyRows = Math.max(2, Math.min(fit.bodyRows, LIMITS.tableRows - 1));
  if (items.length <= bodyRows) return { shown: [...items], hidden: [] };
  return { shown: items.slice(0, bodyRows - 1), hidden: items.slice(bodyRows - 1) };
}

/** The `k` largest segments by share, in their original order. */
export function topSegments<T extends { percentage: number }>(segments: readonly T[], k: number): T[] {
  return segments
    .map((segment, index) => ({ segment, index }))
    .sort((x, y) => y.segment.percentage - x.segment.percentage || x.index - y.index)
    .slice(0, Math.max(0, k))
    .sort((x, y) => x.index - y.index)
    .map((e) => e.segment);
}

export interface SegmentTableView {
  segments: readonly SegmentView[];
}

/**
 * A table block: a header row and one row per segment (name, members, share, a bar relative to the largest
 * share). At most 100 rows: past 99 segments (or the fit's rows) the last row summarises the rest.
 */
export function renderSegmentTable(view: SegmentTableView, fit: TableFit = TABLE_FITS[0]!): TableBlock {
  const { shown, hidden } = tableSplit(view.segments, fit);
  const scaleMax = Math.max(0, ...view.segments.map((s) => s.percentage));
  const nameMax = tableNameMax(shown.length, fit.namesBudget);
  const rows: Cell[][] = [[cell('Segment'), cell('Members'), cell('Share'), cell('Relative share')]];
  for (const s of shown) {
    rows.push([
      cell(truncate(oneLine(s.name), nameMax)),
      cell(formatCount(s.count)),
      cell(formatShare(s)),
      cell(textBar(s.percentage, 10, scaleMax)),
    ]);
  }
  if (hidden.length > 0) rows.push([cell(hiddenSummary(hidden)), cell('—'), cell('—'), cell('—')]);
  return {
    type: 'table',
    rows,
    column_settings: [{ align: 'left', is_wrapped: true }, { align: 'right' }, { align: 'right' }, { align: 'left' }],
  };
}

export interface DataSeries {
  name: string;
  values: number[];
}

/** A grouped (or single) bar data_visualization block; categories are shortened to unique ≤20-char labels. */
export function dataVisualizationBar(
  title: string,
  names: readonly string[],
  series: readonly DataSeries[],
  axis: { xLabel?: string; yLabel?: string } = {},
): DataVisualizationBlock {
  const categories = shortenLabels(names);
  const seriesNames = shortenLabels(series.map((s) => s.name).slice(0, LIMITS.dataVizSeries), LIMITS.dataVizTitle);
  return {
    type: 'data_visualization',
    title: truncate(oneLine(title), LIMITS.dataVizTitle),
    chart: {
      type: 'bar',
      series: series.slice(0, LIMITS.dataVizSeries).map((s, i) => ({
        name: seriesNames[i]!,
        data: categories.map((label, j) => ({ label, value: s.values[j] ?? 0 })),
      })),
      axis_config: {
        categories,
        ...(axis.xLabel ? { x_label: truncate(axis.xLabel, LIMITS.dataVizTitle) } : {}),
        ...(axis.yLabel ? { y_label: truncate(axis.yLabel, LIMITS.dataVizTitle) } : {}),
      },
    },
  };
}

export interface NativeChartView {
  groupBy: GroupByView;
  segments: readonly SegmentView[];
}

/**
 * A data_visualization bar chart of the shares (largest segments only, when there are many). Undefined when
 * there is nothing to draw.
 */
export function renderNativeBarChart(
  view: NativeChartView,
  opts: { maxCategories?: number } = {},
): DataVisualizationBlock | undefined {
  if (view.segments.length === 0) return undefined;
  const max = opts.maxCategories ?? NATIVE_CHART_MAX_CATEGORIES;
  const kept = topSegments(view.segments, max);
  const cut = kept.length < view.segments.length;
  const title = cut
    ? `${view.groupBy.label}: top ${kept.length} of ${view.segments.length}`
    : `${view.groupBy.label}: % of audience`;
  return dataVisualizationBar(
    title,
    kept.map((s) => s.name),
    [{ name: '% of audience', values: kept.map((s) => s.percentage) }],
    { xLabel: view.groupBy.label, yLabel: '% of audience' },
  );
}

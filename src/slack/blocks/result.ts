/**
 * The result message of an audience breakdown: what was asked (in words), how many members, the segments
 * (mrkdwn list, or Slack's table and chart blocks), the chart, LinkedIn's notices and what to do next.
 * Built to stay inside Block Kit limits whatever LinkedIn answers: ≤50 blocks, ≤3000 characters a section,
 * about 12k characters in all.
 */
import {
  ANTI_DISCRIMINATION_NOTICE,
  ANTI_DISCRIMINATION_URL,
  facetName,
  findGroupByFacet,
} from '../../linkedin/facets.js';
import { resultActions } from './actions.js';
import { describeAudienceLines, joinOr } from './audience.js';
import type { ImageBlock, MessageBlock, SlackMessage } from './kit.js';
import {
  blockTextLength,
  context,
  escapeMrkdwn,
  header,
  LIMITS,
  oneLine,
  plainText,
  section,
  sectionsFromLines,
  truncate,
} from './kit.js';
import { renderNativeBarChart, renderSegmentTable, TABLE_FITS, type TableFit, tableSplit } from './native.js';
import { formatApproxCount, formatCount, formatShare, renderSegmentList } from './segments.js';
import type { AudienceView, ChartImageView, FacetValuesView, GroupByView, ResultView, SegmentView } from './types.js';

/** LinkedIn's documented bounds: below 300 the answer is empty with a total of 0; above 100M, empty. */
export const MIN_AUDIENCE = 300;
export const MAX_AUDIENCE = 100_000_000;
export const MIN_SEGMENT = 30;

/** Segments listed in mrkdwn before the rest are summarised in one line. */
export const DEFAULT_LIST_LINES = 40;

export type ResultKind = 'ok' | 'too_small' | 'too_broad' | 'no_segments';

export function classifyResult(view: Pick<ResultView, 'totalAudienceCount' | 'segments'>): ResultKind {
  if (view.segments.length > 0) return 'ok';
  if (view.totalAudienceCount < MIN_AUDIENCE) return 'too_small';
  if (view.totalAudienceCount >= MAX_AUDIENCE) return 'too_broad';
  return 'no_segments';
}

/** Facets where one member can be in several segments, so shares do not add up to 100%. */
const MULTI_VALUED = new Set(['skills', 'interests', 'productInterests', 'titles', 'employers', 'industries']);

export const approximateNote = (groupBy: GroupByView): string => {
  const name = findGroupByFacet(groupBy.urn)?.name;
  const overlap = name && MULTI_VALUED.has(name) ? ' A member can be in several segments.' : '';
  return `Counts are approximate (LinkedIn rounds them). Segments with fewer than ${MIN_SEGMENT} members are not shown.${overlap}`;
};

export const noticeContext = () => context(`${ANTI_DISCRIMINATION_NOTICE} <${ANTI_DISCRIMINATION_URL}|Learn more>`);

/** "Top 5 segments by share of audience", "All 3 segments with 30+ members", "First 5 in LinkedIn's order". */
export function listCaption(view: Pick<ResultView, 'segments' | 'maxReturnCount' | 'orderBy'>, listed: number): string {
  const n = view.segments.length;
  const cut = listed < n ? ` (${listed} listed)` : '';
  if (n < view.maxReturnCount) {
    return `All ${n} ${n === 1 ? 'segment' : 'segments'} with at least ${MIN_SEGMENT} members${cut}`;
  }
  if (view.orderBy === 'HIERARCHICAL')
    return `First ${n} ${n === 1 ? 'segment' : 'segments'} in the facet's order${cut}`;
  return `Top ${n} ${n === 1 ? 'segment' : 'segments'} by share of audience${cut}`;
}

const shortFacetName = (f: FacetValuesView): string | undefined => (f.facetUrn ? facetName(f.facetUrn) : undefined);
const facetNamesIn = (facets: readonly FacetValuesView[]) => new Set(facets.map(shortFacetName));

const GEO = ['locations', 'profileLocations'];
const WIDENABLE = ['skills', 'titles', 'industries', 'employers', 'interests', 'productInterests', 'jobFunctions'];

/** Concrete ways to widen an audience, read from its criteria (only facets the view identifies by URN). */
export function wideningSuggestions(audience: AudienceView): string[] {
  const tips: string[] = [];
  const all = audience.include.flat();
  const geo = all.find((f) => GEO.includes(shortFacetName(f) ?? ''));
  if (geo) tips.push(`Add more locations (now ${escapeMrkdwn(joinOr(geo.values))}).`);
  const narrow = all.find((f) => WIDENABLE.includes(shortFacetName(f) ?? ''));
  if (narrow) {
    tips.push(
      `Add more ${escapeMrkdwn(narrow.facetLabel.toLowerCase())} (now ${escapeMrkdwn(joinOr(narrow.values))}).`,
    );
  }
  if (audience.include.length > 2) {
    const last = audience.include.at(-1)!;
    const label = last.map((f) => escapeMrkdwn(f.facetLabel)).join(' / ');
    tips.push(`Drop a group that members must also match, e.g. ${label}: each AND-ed group narrows the audience.`);
  }
  if (audience.exclude.length > 0) {
    tips.push(`Remove an exclusion (${audience.exclude.map((f) => escapeMrkdwn(f.facetLabel)).join(', ')}).`);
  }
  return tips;
}

/** Ways to narrow a too-broad audience. */
export function narrowingSuggestions(audience: AudienceView): string[] {
  const tips: string[] = [];
  const used = facetNamesIn(audience.include.flat());
  const missing = [
    ['skills', 'a skill'],
    ['titles', 'a job title'],
    ['industries', 'an industry'],
  ].filter(([name]) => !used.has(name!));
  if (missing.length > 0) tips.push(`Add a group with ${missing.map(([, what]) => what).join(', or ')}.`);
  if (used.has('locations') || used.has('profileLocations')) tips.push('Use fewer or smaller locations.');
  return tips;
}

/** Broader facets to try when every segment of the chosen one had fewer than 30 members. */
function broaderFacets(groupBy: GroupByView): string {
  const current = findGroupByFacet(groupBy.urn)?.name;
  return ['seniorities', 'staffCountRanges', 'bingCountry']
    .filter((f) => f !== current)
    .map((f) => findGroupByFacet(f)!.label)
    .join(', ');
}

function edgeCaseBlocks(kind: Exclude<ResultKind, 'ok'>, view: ResultView): { blocks: MessageBlock[]; text: string } {
  if (kind === 'too_small') {
    const text =
      'This audience is too small to show (under 300 members). Widen it — e.g. add more locations or skills, or remove an exclusion.';
    const tips = wideningSuggestions(view.audience);
    return { text, blocks: sectionsFromLines([`*${text}*`, ...tips.map((t) => `• ${t}`)]) };
  }
  if (kind === 'too_broad') {
    const lead = `≈ ${formatCount(view.totalAudienceCount)} members — too broad to break down.`;
    const text = `${lead} Narrow it, e.g. add a skill, title or industry.`;
    const tips = narrowingSuggestions(view.audience);
    return {
      text,
      blocks: sectionsFromLines([
        `*${lead}* Narrow it, e.g. add a skill, title or industry.`,
        ...tips.map((t) => `• ${t}`),
      ]),
    };
  }
  const lead = `LinkedIn counts ${formatApproxCount(view.totalAudienceCount)} members in this audience, but no ${view.groupBy.label} segment has ${MIN_SEGMENT} or more of them.`;
  const text = `${lead} LinkedIn hides segments under ${MIN_SEGMENT} members to protect privacy.`;
  return {
    text,
    blocks: sectionsFromLines([
      `*${escapeMrkdwn(lead)}*`,
      `LinkedIn hides segments under ${MIN_SEGMENT} members to protect privacy. Try breaking it down by a broader facet (${broaderFacets(view.groupBy)}), or widen the audience.`,
    ]),
  };
}

/** Alt text for a breakdown chart: the numbers, readable by a screen reader. */
export function chartAltText(groupBy: GroupByView, segments: readonly SegmentView[], chart?: ChartImageView): string {
  const parts = segments
    .slice(0, chart?.shownCount ?? segments.length)
    .map((s) => `${oneLine(s.name)} ${formatShare(s)}`);
  const lead = `Bar chart of the share of the audience by ${groupBy.label}`;
  const tail = chart?.truncated ? ` (chart shows top ${chart.shownCount} of ${chart.totalCount})` : '';
  return truncate(`${lead}${tail}: ${parts.join(', ')}.`, 1000);
}

export function chartImageBlock(
  groupBy: GroupByView,
  segments: readonly SegmentView[],
  chart: ChartImageView,
): ImageBlock {
  const title = chart.truncated
    ? `${groupBy.label}: chart shows top ${chart.shownCount} of ${chart.totalCount} segments`
    : `${groupBy.label}: share of audience`;
  return {
    type: 'image',
    image_url: chart.url,
    alt_text: chartAltText(groupBy, segments, chart),
    title: plainText(title, 2000),
  };
}

export const UPLOAD_NOTE = 'The chart image is attached in the thread.';

/** How the segments are laid out: Slack's table (cut to a fit), or mrkdwn lines. */
export type SegmentLayout = { kind: 'table'; fit: TableFit } | { kind: 'list'; lines: number };

/**
 * The segments in the style asked for: a table (or the mrkdwn list: in the 'quickchart' style, when Slack
 * refused the table, or when it did not fit), then the chart: Slack's own for 'native', the QuickChart image for
 * 'quickchart', a pointer to the thread for 'upload'.
 */
export function segmentBlocks(view: ResultView, layout: SegmentLayout): MessageBlock[] {
  const blocks: MessageBlock[] = [];
  if (layout.kind === 'table') {
    const listed = tableSplit(view.segments, layout.fit).shown.length;
    blocks.push(section(`*${listCaption(view, listed)}*`));
    blocks.push(renderSegmentTable(view, layout.fit));
  } else {
    const caption = `*${listCaption(view, Math.min(layout.lines, view.segments.length))}*`;
    blocks.push(...sectionsFromLines([caption, ...renderSegmentList(view.segments, { maxLines: layout.lines })]));
  }
  if (view.style === 'native' && !view.fallback) {
    const chart = renderNativeBarChart(view);
    if (chart) blocks.push(chart);
  }
  if (view.style === 'quickchart' && view.chart) blocks.push(chartImageBlock(view.groupBy, view.segments, view.chart));
  if (view.style === 'upload') blocks.push(context(UPLOAD_NOTE));
  return blocks;
}

const fitsInMessage = (blocks: readonly MessageBlock[]) =>
  blocks.length <= LIMITS.messageBlocks && blockTextLength(blocks) <= LIMITS.messageChars;

/**
 * Whether a breakdown's segments go in Slack's table block: in the styles that keep the data in Slack
 * ('native', 'upload'), unless Slack refused native blocks. 'quickchart' keeps today's message: the mrkdwn list
 * beside the image.
 */
export const usesTable = (view: Pick<ResultView, 'style' | 'fallback'>): boolean =>
  !view.fallback && view.style !== 'quickchart';

/**
 * The layouts to try, best first: the table at each fit (when `table`), then the list, shorter and shorter.
 * The first one whose message fits is used. A fallback list stands in for a table that had every segment, so
 * it lists them all when they fit.
 */
export function* segmentLayouts(
  opts: { table: boolean; fallback?: boolean },
  segmentCount: number,
  listLines: number,
): Generator<SegmentLayout> {
  if (opts.table) for (const fit of TABLE_FITS) yield { kind: 'table', fit };
  let lines = opts.fallback ? Math.max(listLines, segmentCount) : listLines;
  yield { kind: 'list', lines };
  while (lines > 5) {
    lines = Math.max(5, lines - 10);
    yield { kind: 'list', lines };
  }
}

/** The first layout whose blocks fit the message limits (the last one tried when none does). */
export function firstFitting(layouts: Iterable<SegmentLayout>, build: (layout: SegmentLayout) => MessageBlock[]) {
  let blocks: MessageBlock[] = [];
  for (const layout of layouts) {
    blocks = build(layout);
    if (fitsInMessage(blocks)) return blocks;
  }
  return blocks;
}

/** The plain-text notification: the headline numbers, no mrkdwn. */
export function resultNotificationText(view: ResultView): string {
  const kind = classifyResult(view);
  const lead = `Audience breakdown by ${view.groupBy.label} (${oneLine(view.accountName)})`;
  if (kind !== 'ok') return truncate(`${lead}: ${edgeCaseBlocks(kind, view).text}`, LIMITS.notificationText);
  const top = view.segments
    .slice(0, 3)
    .map((s) => `${oneLine(s.name)} ${formatShare(s)}`)
    .join(', ');
  return truncate(
    `${lead}: ${formatApproxCount(view.totalAudienceCount)} members. Top: ${top}.`,
    LIMITS.notificationText,
  );
}

function summaryLines(view: ResultView): string[] {
  const lines = [`*Account:* ${escapeMrkdwn(oneLine(view.accountName))}`, ...describeAudienceLines(view.audience)];
  const kind = classifyResult(view);
  if (kind === 'ok' || kind === 'no_segments') {
    lines.push(`*Total audience:* ${formatApproxCount(view.totalAudienceCount)} members`);
  }
  if (view.askedBy) lines.push(`_Asked by <@${view.askedBy}>_`);
  return lines;
}

function actionsFor(view: ResultView, kind: ResultKind) {
  const base = { queryId: view.queryId, groupByUrn: view.groupBy.urn };
  switch (kind) {
    case 'ok':
      return resultActions({
        ...base,
        share: !view.shared,
        breakDown: true,
        edit: true,
        saveTemplate: true,
        compare: true,
      });
    case 'no_segments':
      return resultActions({ ...base, breakDown: true, edit: true, saveTemplate: true });
    case 'too_broad':
      return resultActions({ ...base, edit: true, saveTemplate: true });
    case 'too_small':
      return resultActions({ ...base, edit: true });
  }
}

export interface ResultRenderOptions {
  /** Segments listed in mrkdwn (when there is no table) before summarising; default 40. */
  listLines?: number;
}

/**
 * What a result says under its heading, in a message and a thread reply alike: the segments (or why there are
 * none), then the notice.
 */
function breakdownBody(view: ResultView, kind: ResultKind, layout: SegmentLayout): MessageBlock[] {
  const body =
    kind === 'ok'
      ? [...segmentBlocks(view, layout), context(approximateNote(view.groupBy))]
      : edgeCaseBlocks(kind, view).blocks;
  return [...body, noticeContext()];
}

function build(view: ResultView, layout: SegmentLayout): MessageBlock[] {
  const kind = classifyResult(view);
  const blocks: MessageBlock[] = [header(`Audience breakdown by ${view.groupBy.label}`)];
  blocks.push(...sectionsFromLines(summaryLines(view)));
  blocks.push(...breakdownBody(view, kind, layout));
  const actions = actionsFor(view, kind);
  if (actions) blocks.push(actions);
  return blocks;
}

/**
 * The whole result message. The segments are a table where it fits (fewer names characters, then fewer rows,
 * are tried first), else a mrkdwn list that keeps the top segments and summarises the rest in one line.
 */
export function renderResultMessage(view: ResultView, opts: ResultRenderOptions = {}): SlackMessage {
  const layouts = segmentLayouts(
    { table: usesTable(view), fallback: view.fallback },
    view.segments.length,
    opts.listLines ?? DEFAULT_LIST_LINES,
  );
  return { text: resultNotificationText(view), blocks: firstFitting(layouts, (layout) => build(view, layout)) };
}

/** A compact breakdown for a thread reply (e.g. "Break down by" under a shared result): no header, no share. */
export function renderThreadBreakdown(view: ResultView, opts: ResultRenderOptions = {}): SlackMessage {
  const kind = classifyResult(view);
  const buildReply = (layout: SegmentLayout): MessageBlock[] => {
    const blocks: MessageBlock[] = [
      section(
        `*By ${escapeMrkdwn(view.groupBy.label)}* · ${formatApproxCount(view.totalAudienceCount)} members${
          view.askedBy ? ` · asked by <@${view.askedBy}>` : ''
        }`,
      ),
      ...breakdownBody(view, kind, layout),
    ];
    if (kind === 'ok' || kind === 'no_segments') {
      const actions = resultActions({ queryId: view.queryId, groupByUrn: view.groupBy.urn, breakDown: true });
      if (actions) blocks.push(actions);
    }
    return blocks;
  };
  const layouts = segmentLayouts(
    { table: usesTable(view), fallback: view.fallback },
    view.segments.length,
    opts.listLines ?? 15,
  );
  return { text: resultNotificationText(view), blocks: firstFitting(layouts, buildReply) };
}

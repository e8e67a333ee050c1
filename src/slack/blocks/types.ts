/**
 * Plain-data view models the Block Kit renderers take. A handler fills them from a stored query (URNs already
 * resolved to display names); the renderers never look anything up, so they stay pure and easy to test.
 */
import type { SegmentsOrderedBy } from '../../linkedin/types.js';

/** How a breakdown's chart is shown (config CHART_STYLE, or the workspace preference). */
export type ChartStyle = 'quickchart' | 'native' | 'upload';

/** One facet of a group, with the display names of its values. */
export interface FacetValuesView {
  /** `urn:li:adTargetingFacet:…`; lets the renderer suggest how to widen or narrow an audience. */
  facetUrn?: string;
  facetLabel: string;
  values: string[];
}

/** The audience in words: include groups are AND-ed, facets inside a group and values inside a facet OR-ed. */
export interface AudienceView {
  include: FacetValuesView[][];
  exclude: FacetValuesView[];
}

export interface GroupByView {
  urn: string;
  label: string;
}

export interface SegmentView {
  urn: string;
  name: string;
  count: number;
  /** Share of the whole audience in percent (0–100), as LinkedIn computed it. */
  percentage: number;
}

/** A QuickChart image URL that fits Slack's image_url limit (see charts/quickchart.ts `buildChartUrl`). */
export interface ChartImageView {
  url: string;
  shownCount: number;
  totalCount: number;
  truncated: boolean;
}

export interface ResultView {
  queryId: string;
  accountName: string;
  accountUrn: string;
  audience: AudienceView;
  groupBy: GroupByView;
  totalAudienceCount: number;
  segments: SegmentView[];
  maxReturnCount: number;
  orderBy: SegmentsOrderedBy;
  /** The QuickChart image for style 'quickchart'; without it the message shows the list only. */
  chart?: ChartImageView;
  style: ChartStyle;
  /** Already posted to a channel: the "Share to channel" button is not offered again. */
  shared: boolean;
  /** Slack user id of the person who asked, credited when the result is shared. */
  askedBy?: string;
  /** Render mrkdwn instead of table/data_visualization blocks (after Slack answered `invalid_blocks`). */
  fallback?: boolean;
}

/** One side of a comparison. */
export interface CompareSide {
  /** Short name shown in legends and columns, e.g. "Audience A" or "US". ≤20 characters reads best. */
  label: string;
  audience: AudienceView;
  totalAudienceCount: number;
  segments: SegmentView[];
  maxReturnCount: number;
}

/** One breakdown (same groupBy) of two audiences. */
export interface CompareView {
  queryId: string;
  accountName: string;
  groupBy: GroupByView;
  orderBy: SegmentsOrderedBy;
  a: CompareSide;
  b: CompareSide;
  /** QuickChart grouped bars for style 'quickchart' (see charts/quickchart.ts `buildComparisonChartUrl`). */
  chart?: ChartImageView;
  style: ChartStyle;
  shared: boolean;
  askedBy?: string;
  fallback?: boolean;
}

/** What the person sees while LinkedIn is asked. */
export interface PendingView {
  accountName: string;
  audience: AudienceView;
  groupBy: GroupByView;
  /** The second audience, when comparing. */
  compareWith?: AudienceView;
}

export interface ErrorView {
  queryId?: string;
  /** What happened, in a few words ("LinkedIn is not answering"). */
  title: string;
  /** One or two sentences of detail, safe to show (never a token, secret or stack trace). */
  message: string;
  /** What to do next ("Try again in a minute.") */
  nextStep: string;
  /** Offer "Try again" (needs `queryId`). */
  retryable: boolean;
  /** Offer "Link LinkedIn"; with `relinkUrl` the button opens it directly. */
  relink?: boolean;
  relinkUrl?: string;
}

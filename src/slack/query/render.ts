/**
 * A stored query as the Block Kit builders' view models, and the messages made from them. Pure: names come from
 * the query (resolved when the answer arrived), accounts and styles are passed in.
 */
import { buildChartUrl, buildComparisonChartUrl } from '../../charts/quickchart.js';
import type { AudienceQuerySpec, StoredQuery } from '../../db/types.js';
import { entityLabel, facetLabel } from '../../insights/describe.js';
import type { ErrorDescription } from '../../insights/errors.js';
import { findGroupByFacet } from '../../linkedin/facets.js';
import type { AudienceInsight, MemberAdAccount } from '../../linkedin/types.js';
import { ACTION } from '../blocks/actions.js';
import { audienceFromCriteria } from '../blocks/audience.js';
import { comparisonChartInput, renderCompareMessage } from '../blocks/compare.js';
import { button, context, type MessageBlock, type SlackMessage, truncate } from '../blocks/kit.js';
import { renderResultMessage, renderThreadBreakdown } from '../blocks/result.js';
import { ERROR_ACTIONS_BLOCK_ID, renderErrorMessage, renderPendingMessage } from '../blocks/status.js';
import type {
  ChartImageView,
  ChartStyle,
  CompareView,
  GroupByView,
  PendingView,
  ResultView,
  SegmentView,
} from '../blocks/types.js';

export interface RenderContext {
  style: ChartStyle;
  quickchartUrl: string;
  /** The owner's ad accounts, to name the account. */
  accounts: readonly MemberAdAccount[];
  /** Posted (or about to be) in a channel: no "Share to channel", and the asker is credited. */
  shared?: boolean;
  askedBy?: string;
  /** Slack refused the native blocks: the mrkdwn list instead. */
  fallback?: boolean;
}

export const accountNameOf = (urn: string, accounts: readonly MemberAdAccount[]): string => {
  const account = accounts.find((a) => a.urn === urn);
  const id = /^urn:li:sponsoredAccount:(.+)$/.exec(urn)?.[1] ?? urn;
  return account ? `${account.name} (${account.id})` : `Ad account ${id}`;
};

export const groupByView = (urn: string): GroupByView => ({
  urn,
  label: findGroupByFacet(urn)?.label ?? facetLabel(urn),
});

const nameOf = (names: Record<string, string> | undefined) => (urn: string) => entityLabel(urn, names);

export function segmentViews(result: AudienceInsight, names: Record<string, string> | undefined): SegmentView[] {
  return result.segments.map((s) => ({
    urn: s.value,
    name: entityLabel(s.value, names),
    count: s.entityCount,
    percentage: s.entityPercentage,
  }));
}

/** The QuickChart image, within Slack's image_url limit; none when the URL cannot be built. */
function chartFor(segments: readonly SegmentView[], groupBy: GroupByView, quickchartUrl: string) {
  try {
    return buildChartUrl(segments, { quickchartUrl, title: `Share of audience by ${groupBy.label}` });
  } catch {
    return undefined;
  }
}

export function resultViewFor(query: StoredQuery, ctx: RenderContext): ResultView {
  const result = query.result ?? { groupedBy: query.spec.groupBy, totalAudienceCount: 0, segments: [] };
  const groupBy = groupByView(query.spec.groupBy);
  const segments = segmentViews(result, query.names);
  const chart: ChartImageView | undefined =
    ctx.style === 'quickchart' ? chartFor(segments, groupBy, ctx.quickchartUrl) : undefined;
  return {
    queryId: query.id,
    accountName: accountNameOf(query.spec.accountUrn, ctx.accounts),
    accountUrn: query.spec.accountUrn,
    audience: audienceFromCriteria(query.spec.criteria, nameOf(query.names)),
    groupBy,
    totalAudienceCount: result.totalAudienceCount,
    segments,
    maxReturnCount: query.spec.maxReturnCount,
    orderBy: query.spec.orderBy,
    ...(chart ? { chart } : {}),
    style: ctx.style,
    shared: ctx.shared ?? false,
    ...(ctx.askedBy ? { askedBy: ctx.askedBy } : {}),
    ...(ctx.fallback ? { fallback: true } : {}),
  };
}

export function compareViewFor(query: StoredQuery, ctx: RenderContext): CompareView {
  const empty = (spec: AudienceQuerySpec): AudienceInsight => ({
    groupedBy: spec.groupBy,
    totalAudienceCount: 0,
    segments: [],
  });
  const compareSpec = query.compareSpec ?? query.spec;
  const side = (label: string, spec: AudienceQuerySpec, result: AudienceInsight | undefined) => ({
    label,
    audience: audienceFromCriteria(spec.criteria, nameOf(query.names)),
    totalAudienceCount: (result ?? empty(spec)).totalAudienceCount,
    segments: segmentViews(result ?? empty(spec), query.names),
    maxReturnCount: spec.maxReturnCount,
  });
  const groupBy = groupByView(query.spec.groupBy);
  const view: CompareView = {
    queryId: query.id,
    accountName: accountNameOf(query.spec.accountUrn, ctx.accounts),
    groupBy,
    orderBy: query.spec.orderBy,
    a: side('Audience A', query.spec, query.result),
    b: side('Audience B', compareSpec, query.compareResult),
    style: ctx.style,
    shared: ctx.shared ?? false,
    ...(ctx.askedBy ? { askedBy: ctx.askedBy } : {}),
    ...(ctx.fallback ? { fallback: true } : {}),
  };
  if (ctx.style === 'quickchart') {
    const { categories, series } = comparisonChartInput(view);
    try {
      const chart = buildComparisonChartUrl(categories, series, {
        quickchartUrl: ctx.quickchartUrl,
        title: `Share of audience by ${groupBy.label}`,
      });
      if (chart) view.chart = chart;
    } catch {
      // The comparison reads fine without its image.
    }
  }
  return view;
}

/** The answer to a finished query: a breakdown, or a comparison when it has a second audience. */
export function renderQueryMessage(query: StoredQuery, ctx: RenderContext): SlackMessage {
  return query.compareSpec
    ? renderCompareMessage(compareViewFor(query, ctx))
    : renderResultMessage(resultViewFor(query, ctx));
}

/** A breakdown posted as a reply in a shared result's thread. */
export function renderThreadMessage(query: StoredQuery, ctx: RenderContext): SlackMessage {
  return query.compareSpec
    ? renderCompareMessage(compareViewFor(query, { ...ctx, shared: true }))
    : renderThreadBreakdown(resultViewFor(query, { ...ctx, shared: true }));
}

/** The placeholder shown while LinkedIn is asked, from what is known before the answer. */
export function pendingMessageFor(
  spec: AudienceQuerySpec,
  names: Record<string, string> | undefined,
  accounts: readonly MemberAdAccount[],
  compareSpec?: AudienceQuerySpec,
): SlackMessage {
  const view: PendingView = {
    accountName: accountNameOf(spec.accountUrn, accounts),
    audience: audienceFromCriteria(spec.criteria, nameOf(names)),
    groupBy: groupByView(spec.groupBy),
    ...(compareSpec ? { compareWith: audienceFromCriteria(compareSpec.criteria, nameOf(names)) } : {}),
  };
  return renderPendingMessage(view);
}

/** Errors whose next step is to change the query: they also get an "Edit query" button. */
const EDITABLE = new Set(['no_account_role', 'invalid_query', 'linkedin_rejected_query', 'not_found']);

/**
 * A failure as a message that says what happened and what to do next. With a stored query it always offers
 * "Try again" (query_rerun): even a missing role or app approval can be fixed outside Slack, and nothing the
 * person asked is lost.
 */
export function errorMessageFor(
  described: ErrorDescription,
  opts: { queryId?: string; relinkUrl?: string } = {},
): SlackMessage {
  const message = renderErrorMessage({
    ...(opts.queryId ? { queryId: opts.queryId } : {}),
    title: described.title,
    message: described.message,
    nextStep: described.nextStep,
    retryable: opts.queryId !== undefined,
    relink: described.relink,
    ...(opts.relinkUrl ? { relinkUrl: opts.relinkUrl } : {}),
  });
  if (opts.queryId && EDITABLE.has(described.code)) {
    const edit = button(ACTION.editQuery, 'Edit query', opts.queryId);
    const actions = message.blocks.find(
      (b): b is Extract<MessageBlock, { type: 'actions' }> =>
        b.type === 'actions' && (b as { block_id?: string }).block_id === ERROR_ACTIONS_BLOCK_ID,
    );
    if (actions) actions.elements.push(edit);
    else message.blocks.push({ type: 'actions', block_id: ERROR_ACTIONS_BLOCK_ID, elements: [edit] });
  }
  return message;
}

/** A short context line added to an answer (e.g. how a quick query's names were read), inside Slack's limits. */
export function withNote(message: SlackMessage, note: string | undefined): SlackMessage {
  if (!note || message.blocks.length >= 50) return message;
  const blocks = [...message.blocks];
  const at = blocks.findIndex((b) => b.type === 'actions');
  blocks.splice(at < 0 ? blocks.length : at, 0, context(truncate(note, 1500)));
  return { ...message, blocks };
}

/**
 * What every part of the query flow works with, built once from the app's context: the insights use cases, the
 * facet option caches, the link service, storage and configuration. Handlers get it as a parameter.
 */
import type { FetchLike } from '../../charts/quickchart.js';
import type { Config } from '../../config.js';
import type { Repositories, SlackUserKey } from '../../db/types.js';
import { createFacetOptions, type FacetOptions } from '../../insights/facetOptions.js';
import { createInsightsService, type InsightsService } from '../../insights/service.js';
import { createTtlCache } from '../../insights/ttlCache.js';
import type { LinkedInClient } from '../../linkedin/client.js';
import { validateInsightsRequest } from '../../linkedin/targeting.js';
import type { LinkService } from '../../linking/types.js';
import type { Logger } from '../../logging.js';
import type { AppContext } from '../../main.js';
import { resolveChartStyle } from '../blocks/chartStyles.js';
import type { ChartStyle } from '../blocks/types.js';
import type { NamedValue } from '../views/audienceModal.js';

export interface QueryFlowOptions {
  /** Identical queries of one LinkedIn member within `ttlMs` are answered from memory. */
  resultCache?: { ttlMs?: number; max?: number };
  /**
   * How long a typeahead may wait for LinkedIn before Slack gets an empty list: Slack drops option answers
   * after 3 s, so this stays well below.
   */
  optionsTimeoutMs?: number;
  /** How an account's matched audiences are kept between modal updates. */
  adSegmentsTtlMs?: number;
  /** The fetch QuickChart PNGs are rendered with (CHART_STYLE=upload); default: quickchart-js's own. */
  chartFetch?: FetchLike;
}

export interface QueryFlow {
  config: Config;
  repos: Repositories;
  linking: LinkService;
  linkedin: LinkedInClient;
  insights: InsightsService;
  facetOptions: FacetOptions;
  logger: Logger;
  now: () => number;
  optionsTimeoutMs: number;
  chartFetch?: FetchLike;
  /** The matched audiences (adSegments) of an ad account, as the person may see them; cached briefly. */
  adSegments(actor: SlackUserKey, token: string, accountUrn: string): Promise<NamedValue[]>;
  /** How new answers in this workspace are drawn: an admin's choice in the App Home, else CHART_STYLE. */
  chartStyleFor(teamId: string): ChartStyle;
}

export const DEFAULT_OPTIONS_TIMEOUT_MS = 2_500;

export function buildQueryFlow(context: AppContext, options: QueryFlowOptions = {}): QueryFlow {
  const { config, db, linking, linkedin, logger } = context;
  const now = () => context.clock.now();
  const insights = createInsightsService({
    linkedin,
    accessTokenFor: (key) => linking.accessTokenFor(key),
    reportRejectedToken: (key) => linking.reportRejectedToken(key),
    repos: { queries: db.repos.queries, links: db.repos.links },
    now,
    validate: validateInsightsRequest,
    resultCache: options.resultCache,
    // Queries answered/failed and result-cache hits are counted in the app's metrics.
    ...context.observe.insights,
  });
  const facetOptions = createFacetOptions({ linkedin, now, ...context.observe.facetOptions });
  // Matched audiences depend on the member's role on the account, so they are cached per person and account.
  const segments = createTtlCache<NamedValue[]>({ max: 500, ttlMs: options.adSegmentsTtlMs ?? 5 * 60_000, now });

  return {
    config,
    repos: db.repos,
    linking,
    linkedin,
    insights,
    facetOptions,
    logger: logger.child({ component: 'query-flow' }),
    now,
    optionsTimeoutMs: options.optionsTimeoutMs ?? DEFAULT_OPTIONS_TIMEOUT_MS,
    chartFetch: options.chartFetch,
    adSegments: (actor, token, accountUrn) =>
      segments.getOrLoad(`${actor.teamId}:${actor.userId}:${accountUrn}`, async () =>
        (await linkedin.adSegments(token, accountUrn))
          .filter((s) => s.status !== 'ARCHIVED' && s.status !== 'EXPIRED')
          .map((s) => ({
            urn: `urn:li:adSegment:${s.id}`,
            name: s.status === 'READY' ? s.name : `${s.name} (${s.status.toLowerCase()})`,
          })),
      ),
    chartStyleFor: (teamId) =>
      resolveChartStyle(db.repos.preferences.getWorkspaceChartStyle(teamId), config.charts.style),
  };
}

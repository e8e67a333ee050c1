/**
 * The callbacks the rest of the bot reports through, bound to one app's metrics. Modules below the composition
 * root take plain callbacks (`onCall`, `onCacheEvent`, `onQueryOutcome`, `onOutcome`) and never import prom-client.
 */
import type { CacheLookup } from '../insights/ttlCache.js';
import type { CallInfo } from '../linkedin/core.js';
import type { NameCacheEvent } from '../linkedin/names.js';
import type { CacheName, Metrics, QueryOutcome, SlackRequestOutcome, SlackRequestType } from './metrics.js';

/** For `createInsightsService`: spread into its deps. */
export interface InsightsObservers {
  onQueryOutcome(outcome: QueryOutcome): void;
  onCacheEvent(cache: 'insights_results', result: CacheLookup): void;
}

/** For `createFacetOptions`: spread into its deps. */
export interface FacetOptionsObservers {
  onCacheEvent(cache: 'facet_lists' | 'facet_typeahead', result: CacheLookup): void;
}

/** What feature modules that build their own insights service or facet options report through. */
export interface AppObservers {
  insights: InsightsObservers;
  facetOptions: FacetOptionsObservers;
}

export function appObservers(metrics: Metrics): AppObservers {
  const cacheLookup = (cache: CacheName, result: CacheLookup) => metrics.cacheEvents.inc({ cache, result });
  return {
    insights: {
      onQueryOutcome: (outcome) => metrics.queries.inc({ outcome }),
      onCacheEvent: cacheLookup,
    },
    facetOptions: { onCacheEvent: cacheLookup },
  };
}

/** The LinkedIn client's `onCall`: one count and one latency sample per HTTP attempt. */
export function linkedinCallObserver(metrics: Metrics): (info: CallInfo) => void {
  return ({ endpoint, status, durationMs }) => {
    metrics.linkedinCalls.inc({ endpoint, status: String(status) });
    metrics.linkedinLatency.observe({ endpoint }, durationMs / 1000);
  };
}

/** The LinkedIn client's `onCacheEvent` (the entity-name cache counts URNs, several per call). */
export function nameCacheObserver(metrics: Metrics): (event: NameCacheEvent, count: number) => void {
  return (event, count) => metrics.cacheEvents.inc({ cache: 'entity_names', result: event }, count);
}

/** The Slack receiver's `onOutcome`. */
export function slackRequestObserver(
  metrics: Metrics,
): (info: { type: SlackRequestType; outcome: SlackRequestOutcome }) => void {
  return ({ type, outcome }) => metrics.slackRequests.inc({ type, outcome });
}

import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** Payload types of Slack requests; interactivity types other than these keep Slack's own name (`view_closed`…). */
export type SlackRequestType =
  | 'command'
  | 'block_actions'
  | 'view_submission'
  | 'view_closed'
  | 'block_suggestion'
  | 'shortcut'
  | 'message_action'
  | 'interaction'
  | 'event'
  | 'url_verification'
  | 'ssl_check'
  | 'app_rate_limited'
  | 'unknown';

/**
 * How a Slack request ended: `ok` (acknowledged by a listener), `rejected_signature` (401), `retry_skipped` (a
 * duplicate delivery, acknowledged unprocessed), `bad_request` (400: not a Slack payload), `unhandled` (no
 * listener, 404), `ack_deadline` (no listener acknowledged within the deadline; acknowledged on its behalf),
 * `error` (a listener threw before acknowledging, 500).
 */
export type SlackRequestOutcome =
  | 'ok'
  | 'rejected_signature'
  | 'retry_skipped'
  | 'bad_request'
  | 'unhandled'
  | 'ack_deadline'
  | 'error';

/** The bot's caches, as metric labels. */
export type CacheName = 'entity_names' | 'insights_results' | 'facet_lists' | 'facet_typeahead';

/** `coalesced`: the look-up joined a load already in flight; `error`: a failed LinkedIn look-up (names only). */
export type CacheResult = 'hit' | 'miss' | 'coalesced' | 'error';

export type QueryOutcome = 'answered' | 'failed' | 'invalid';

/**
 * The bot's Prometheus metrics. One registry per app instance (tests build several apps in one process, and a
 * global registry would mix their numbers).
 */
export interface Metrics {
  registry: Registry;
  slackRequests: Counter<'type' | 'outcome'>;
  linkedinCalls: Counter<'endpoint' | 'status'>;
  linkedinLatency: Histogram<'endpoint'>;
  cacheEvents: Counter<'cache' | 'result'>;
  queries: Counter<'outcome'>;
}

export const METRIC_PREFIX = 'audience_bot_';

export function createMetrics(opts: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  // Process metrics (CPU, memory, event-loop lag, GC) are for a running bot; tests leave them off.
  if (opts.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
  return {
    registry,
    slackRequests: new Counter({
      name: `${METRIC_PREFIX}slack_requests_total`,
      help: 'Requests received from Slack on the request URL, by payload type (command, block_actions, view_submission, block_suggestion, event, url_verification, ssl_check, …) and outcome (ok, rejected_signature, retry_skipped, bad_request, unhandled, ack_deadline, error).',
      labelNames: ['type', 'outcome'],
      registers: [registry],
    }),
    linkedinCalls: new Counter({
      name: `${METRIC_PREFIX}linkedin_calls_total`,
      help: 'HTTP attempts to LinkedIn (or the sandbox), retries included, by endpoint and HTTP status (or timeout/network).',
      labelNames: ['endpoint', 'status'],
      registers: [registry],
    }),
    linkedinLatency: new Histogram({
      name: `${METRIC_PREFIX}linkedin_call_seconds`,
      help: 'Latency of LinkedIn HTTP attempts, by endpoint.',
      labelNames: ['endpoint'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    cacheEvents: new Counter({
      name: `${METRIC_PREFIX}cache_events_total`,
      help: 'Look-ups in the bot caches (entity_names, insights_results, facet_lists, facet_typeahead), by result (hit, miss, coalesced; error for failed name look-ups).',
      labelNames: ['cache', 'result'],
      registers: [registry],
    }),
    queries: new Counter({
      name: `${METRIC_PREFIX}queries_total`,
      help: 'Audience queries that ended, by outcome (answered, failed, invalid).',
      labelNames: ['outcome'],
      registers: [registry],
    }),
  };
}

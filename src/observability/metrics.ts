import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

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

export function createMetrics(opts: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (opts.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'audience_bot_' });
  return {
    registry,
    slackRequests: new Counter({
      name: 'audience_bot_slack_requests_total',
      help: 'Requests received from Slack, by payload type (command, block_actions, view_submission, block_suggestion, event, url_verification, ssl_check) and outcome (ok, rejected, retry_skipped, error).',
      labelNames: ['type', 'outcome'],
      registers: [registry],
    }),
    linkedinCalls: new Counter({
      name: 'audience_bot_linkedin_calls_total',
      help: 'Calls to LinkedIn (or the sandbox), by endpoint and HTTP status (or timeout/network).',
      labelNames: ['endpoint', 'status'],
      registers: [registry],
    }),
    linkedinLatency: new Histogram({
      name: 'audience_bot_linkedin_call_seconds',
      help: 'Latency of LinkedIn calls, per attempt.',
      labelNames: ['endpoint'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    cacheEvents: new Counter({
      name: 'audience_bot_cache_events_total',
      help: 'Look-ups in the bot caches (names, facet options, results), by cache and result (hit, miss).',
      labelNames: ['cache', 'result'],
      registers: [registry],
    }),
    queries: new Counter({
      name: 'audience_bot_queries_total',
      help: 'Audience queries that ended, by outcome (answered, failed, invalid).',
      labelNames: ['outcome'],
      registers: [registry],
    }),
  };
}

import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyPluginAsync } from 'fastify';
import type { Database } from '../db/types.js';

export interface HealthOptions {
  db: Pick<Database, 'ping'>;
  now: () => number;
  startedAt: number;
  slackMode: 'http' | 'socket';
  linkedInMode: 'sandbox' | 'live';
}

/**
 * `GET /healthz`: answered from the database and the process only. LinkedIn's availability is deliberately not
 * part of it: an orchestrator restarting the bot because LinkedIn is slow would only make things worse.
 */
export const healthRoutes: FastifyPluginAsync<HealthOptions> = async (instance, options) => {
  // A blocked event loop is what makes Slack's 3 s deadline slip; reported, not judged (no 503 for it).
  const loopDelay = monitorEventLoopDelay({ resolution: 20 });
  loopDelay.enable();
  instance.addHook('onClose', async () => loopDelay.disable());

  instance.get('/healthz', async (_request, reply) => {
    const dbOk = safePing(options.db);
    const memory = process.memoryUsage();
    // Since the previous check: each answer describes the interval it closes.
    const eventLoopDelayMs = { p99: nsToMs(loopDelay.percentile(99)), max: nsToMs(loopDelay.max) };
    loopDelay.reset();
    return reply
      .code(dbOk ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({
        status: dbOk ? 'ok' : 'unavailable',
        checks: { database: dbOk ? 'ok' : 'failing' },
        uptimeSeconds: Math.max(0, Math.round((options.now() - options.startedAt) / 1000)),
        slack: options.slackMode,
        linkedin: options.linkedInMode,
        memory: { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed },
        eventLoopDelayMs,
      });
  });
};

/** The histogram reports nanoseconds, and NaN/huge sentinels before its first sample. */
const nsToMs = (ns: number): number => (Number.isFinite(ns) && ns > 0 && ns < 1e12 ? Math.round(ns / 1e4) / 100 : 0);

function safePing(db: Pick<Database, 'ping'>): boolean {
  try {
    return db.ping();
  } catch {
    return false;
  }
}

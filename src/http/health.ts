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
  instance.get('/healthz', async (_request, reply) => {
    const dbOk = safePing(options.db);
    const memory = process.memoryUsage();
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
      });
  });
};

function safePing(db: Pick<Database, 'ping'>): boolean {
  try {
    return db.ping();
  } catch {
    return false;
  }
}

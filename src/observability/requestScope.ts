/**
 * The request being served, wherever its work runs: Fastify's `request.log` (which carries `reqId`) is kept in an
 * AsyncLocalStorage for the rest of the request, Bolt listeners and work they start included. Layers that never
 * see the request (the LinkedIn client) log through it, so their lines share the request's id.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from '../logging.js';

export interface RequestScope {
  /** Runs `next`, and everything it starts, as part of the request logging through `log`. */
  run<T>(log: Logger, next: () => T): T;
  /** The current request's logger, or `fallback` outside any request (start-up, timers). */
  logger(fallback: Logger): Logger;
}

/** One per app instance, so two apps in one process (tests) never see each other's requests. */
export function createRequestScope(): RequestScope {
  const storage = new AsyncLocalStorage<Logger>();
  return {
    run: (log, next) => storage.run(log, next),
    logger: (fallback) => storage.getStore() ?? fallback,
  };
}

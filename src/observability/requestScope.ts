/**
 * The request being served, wherever its work runs: Fastify's `request.log` (which carries `reqId`) is kept in an
 * AsyncLocalStorage for the rest of the request, work it starts included. Layers that never see the request (the
 * LinkedIn client) log through it, so their lines share the request's id.
 *
 * The storage is switched on only while a request is in scope. On Node 20 an enabled AsyncLocalStorage runs
 * promise hooks on every promise of the process, scoped or not, and slows every `await`: about 15% of the CPU of a
 * Slack request, which Bolt fills with about a hundred promises (bench/README.md, "Slack request load"). So
 * routes that do not need the scope stay out of it (Slack's request URL: its listeners get the request's logger
 * from Bolt's context instead), and when no scoped request is in flight the hooks are off.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from '../logging.js';

export interface RequestScope {
  /**
   * Runs `next`, and everything it starts, as part of the request logging through `log`. `next` gets `end`, to be
   * called once when the request is over; work still running after that logs with the request's id only while
   * another request keeps the scope on.
   */
  run<T>(log: Logger, next: (end: () => void) => T): T;
  /** The current request's logger, or `fallback` outside any request (start-up, timers, Slack listeners). */
  logger(fallback: Logger): Logger;
  /** Requests in scope right now; the storage is enabled only while this is above zero. */
  readonly activeRequests: number;
}

/** One per app instance, so two apps in one process (tests) never see each other's requests. */
export function createRequestScope(): RequestScope {
  const storage = new AsyncLocalStorage<Logger>();
  let active = 0;
  return {
    run(log, next) {
      active += 1;
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        active -= 1;
        // `run` enables it again; stores already given to running work stay with that work.
        if (active === 0) storage.disable();
      };
      return storage.run(log, next, end);
    },
    logger: (fallback) => storage.getStore() ?? fallback,
    get activeRequests() {
      return active;
    },
  };
}

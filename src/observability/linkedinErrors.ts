/**
 * A LinkedIn failure is logged once, with LinkedIn's code, where it leaves the client: after the request core's
 * retries (so not once per attempt) and before the layers it travels through (linking, Slack handlers) log their
 * own context. Those later lines show the error as `{ alreadyLogged: true }` (see `markErrorLogged`).
 */
import { isLinkedInError, type LinkedInError } from '../linkedin/errors.js';
import { isErrorLogged, type Logger, markErrorLogged, scrubSecrets } from '../logging.js';
import type { RequestScope } from './requestScope.js';

export interface LinkedInFailureLogOptions {
  logger: Logger;
  /** Lines go through the current request's logger (with its `reqId`) when there is one. */
  scope?: RequestScope;
}

/**
 * The client with every asynchronous method logging its LinkedIn failure (one line, then rethrown unchanged).
 * Arguments are never logged: they are tokens, codes and queries.
 */
export function logLinkedInFailures<T extends object>(client: T, options: LinkedInFailureLogOptions): T {
  const log = (method: string, error: LinkedInError) => {
    const logger = options.scope?.logger(options.logger) ?? options.logger;
    logger.warn(
      {
        linkedinCode: error.linkedinCode,
        status: error.status,
        endpoint: error.endpoint,
        requestId: error.requestId,
        serviceErrorCode: error.serviceErrorCode,
        code: error.code,
        method,
        detail: scrubSecrets(error.message),
      },
      'LinkedIn call failed',
    );
    markErrorLogged(error);
  };

  const wrapped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(client)) {
    if (typeof value !== 'function') {
      wrapped[name] = value;
      continue;
    }
    wrapped[name] = (...args: unknown[]) => {
      const result: unknown = value.apply(client, args);
      if (!(result instanceof Promise)) return result;
      return result.catch((error: unknown) => {
        if (isLinkedInError(error) && !isErrorLogged(error)) log(name, error);
        throw error;
      });
    };
  }
  return wrapped as T;
}

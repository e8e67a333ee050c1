/**
 * Every failure a person can meet, in words a marketer understands, with what to do next. The Slack layer
 * renders these; it never shows an error's own message, stack or anything that could carry a token.
 */
import type { QueryError, StoredQuery } from '../db/types.js';
import { ErrorCode, InvalidQueryError, isCodedError } from '../errors.js';
import { LinkedInError, LinkedInErrorCode, type ValidationFailedError } from '../linkedin/errors.js';

export interface ErrorDescription {
  /** Stable, for handlers and metrics: one of `DescribedErrorCode`. */
  code: DescribedErrorCodeValue;
  title: string;
  message: string;
  nextStep: string;
  /** The same request may succeed later: offer "Try again". */
  retryable: boolean;
  /** The person must (re-)link LinkedIn: offer the link button. */
  relink: boolean;
  /** For invalid queries: what is wrong, per field, so a modal can show it beside the input. */
  problems?: Array<{ field: string; message: string }>;
}

export const DescribedErrorCode = {
  NotLinked: 'not_linked',
  Relink: 'relink_required',
  NotProvisioned: 'app_not_provisioned',
  NoAccountRole: 'no_account_role',
  NoAdAccount: 'no_ad_account',
  InvalidQuery: 'invalid_query',
  LinkedInRejected: 'linkedin_rejected_query',
  NotFound: 'not_found',
  QueryNotFound: 'query_not_found',
  VersionRetired: 'api_version_retired',
  RateLimited: 'rate_limited',
  LinkedInUnavailable: 'linkedin_unavailable',
  BotProblem: 'bot_problem',
  Unknown: 'unknown',
} as const;

export type DescribedErrorCodeValue = (typeof DescribedErrorCode)[keyof typeof DescribedErrorCode];

/**
 * A query that was stored and then failed. The stored query keeps the error (status `failed`), so the person
 * can re-run it with one click: `queryId` is what the "Try again" button carries. `cause` is the typed error.
 */
export class QueryFailedError extends Error {
  readonly code: string;
  constructor(
    readonly query: StoredQuery,
    readonly cause: unknown,
  ) {
    super(query.error?.message ?? 'The query failed.');
    this.name = 'QueryFailedError';
    this.code = query.error?.code ?? DescribedErrorCode.Unknown;
  }
  get queryId(): string {
    return this.query.id;
  }
}

/** The id of the stored (failed) query behind an error, when there is one. */
export const failedQueryId = (err: unknown): string | undefined =>
  err instanceof QueryFailedError ? err.queryId : undefined;

const MAX_DETAIL = 300;

/**
 * LinkedIn's own message, made safe to show: first line only (never a stack), long opaque strings (tokens,
 * secrets) and bearer credentials removed, length bounded.
 */
export function safeDetail(message: string | undefined): string {
  if (!message) return '';
  const firstLine = message.split('\n')[0] ?? '';
  const scrubbed = firstLine
    .replace(/\bBearer\s+\S+/gi, 'Bearer [redacted]')
    .replace(/\b(access_token|refresh_token|client_secret|token)=([^&\s]+)/gi, '$1=[redacted]')
    .replace(/[A-Za-z0-9_\-.~+/]{40,}={0,2}/g, '[redacted]')
    .trim();
  return scrubbed.length > MAX_DETAIL ? `${scrubbed.slice(0, MAX_DETAIL - 1)}…` : scrubbed;
}

type Template = Omit<ErrorDescription, 'code' | 'problems'>;

const TEMPLATES: Record<DescribedErrorCodeValue, Template> = {
  not_linked: {
    title: 'Link your LinkedIn account first',
    message: 'Audience insights come from LinkedIn, and your Slack account is not linked to LinkedIn yet.',
    nextStep: 'Click “Link LinkedIn”, sign in and allow access, then run the query again.',
    retryable: false,
    relink: true,
  },
  relink_required: {
    title: 'Your LinkedIn link has expired',
    message: 'LinkedIn no longer accepts the access you granted earlier (it expired or was revoked).',
    nextStep: 'Click “Link LinkedIn” to sign in again; your query is kept and you can re-run it afterwards.',
    retryable: false,
    relink: true,
  },
  app_not_provisioned: {
    title: 'This app is not approved for Audience Insights',
    message:
      'LinkedIn has not enabled its (private) Audience Insights API for this Slack app, so no member can run insights through it.',
    nextStep:
      'There is nothing you can do from Slack: ask your Slack admin to request Audience Insights API access for the app from LinkedIn.',
    retryable: false,
    relink: false,
  },
  no_account_role: {
    title: 'You have no role on this ad account',
    message: 'LinkedIn only runs insights for ad accounts where you have a role (Viewer or above).',
    nextStep:
      'Pick another ad account, or ask an account manager of this account to add you in Campaign Manager, then try again.',
    retryable: false,
    relink: false,
  },
  no_ad_account: {
    title: 'No ad account available',
    message: 'Your LinkedIn member has no ad account with a role on it, and insights always run for an ad account.',
    nextStep: 'Ask an account manager to add you to an ad account in Campaign Manager, then try again.',
    retryable: false,
    relink: false,
  },
  invalid_query: {
    title: 'This audience cannot be analysed yet',
    message: 'The audience breaks one of LinkedIn’s rules.',
    nextStep: 'Edit the query and run it again.',
    retryable: false,
    relink: false,
  },
  linkedin_rejected_query: {
    title: 'LinkedIn rejected this query',
    message: 'LinkedIn did not accept the audience as described.',
    nextStep: 'Edit the query (check the facets and values) and run it again.',
    retryable: false,
    relink: false,
  },
  not_found: {
    title: 'LinkedIn could not find it',
    message: 'LinkedIn could not find the ad account or item in the request, or you cannot see it.',
    nextStep: 'Pick another ad account, or check with an account manager that it still exists.',
    retryable: false,
    relink: false,
  },
  query_not_found: {
    title: 'That query is gone',
    message: 'The query behind this button is no longer stored.',
    nextStep: 'Start a new one with /audience.',
    retryable: false,
    relink: false,
  },
  api_version_retired: {
    title: 'The bot’s LinkedIn API version is retired',
    message: 'LinkedIn no longer serves the API version this bot is configured for.',
    nextStep:
      'There is nothing you can do from Slack: ask the bot’s admin to update LINKEDIN_VERSION to a current LinkedIn version and restart it.',
    retryable: false,
    relink: false,
  },
  rate_limited: {
    title: 'LinkedIn’s rate limit was reached',
    message:
      'LinkedIn is limiting how many requests this app (or you) can make right now. Daily limits reset at midnight UTC.',
    nextStep: 'Try again in a little while.',
    retryable: true,
    relink: false,
  },
  linkedin_unavailable: {
    title: 'LinkedIn had a problem',
    message: 'LinkedIn did not answer properly (it failed, was too slow, or could not be reached).',
    nextStep: 'Try again in a moment; your query is kept.',
    retryable: true,
    relink: false,
  },
  bot_problem: {
    title: 'The bot made a request LinkedIn does not accept',
    message: 'This is a problem in the bot, not in your query.',
    nextStep: 'Try again; if it keeps happening, tell the bot’s admin.',
    retryable: true,
    relink: false,
  },
  unknown: {
    title: 'Something went wrong',
    message: 'The query could not be completed.',
    nextStep: 'Try again in a moment; if it keeps happening, tell the bot’s admin.',
    retryable: true,
    relink: false,
  },
};

const make = (code: DescribedErrorCodeValue, extra: Partial<ErrorDescription> = {}): ErrorDescription => ({
  code,
  ...TEMPLATES[code],
  ...extra,
});

const withDetail = (code: DescribedErrorCodeValue, detail: string): ErrorDescription => {
  const safe = safeDetail(detail);
  return make(code, safe ? { message: `${TEMPLATES[code].message} LinkedIn says: “${safe}”` } : {});
};

const BY_LINKEDIN_CODE: Record<string, DescribedErrorCodeValue> = {
  [LinkedInErrorCode.Unauthorized]: 'relink_required',
  [LinkedInErrorCode.OAuth]: 'relink_required',
  [LinkedInErrorCode.AccessDenied]: 'app_not_provisioned',
  [LinkedInErrorCode.UserNotAuthorized]: 'no_account_role',
  [LinkedInErrorCode.ValidationFailed]: 'linkedin_rejected_query',
  [LinkedInErrorCode.NotFound]: 'not_found',
  [LinkedInErrorCode.RequestRejected]: 'bot_problem',
  [LinkedInErrorCode.VersionRetired]: 'api_version_retired',
  [LinkedInErrorCode.RateLimited]: 'rate_limited',
  [LinkedInErrorCode.ServerError]: 'linkedin_unavailable',
  [LinkedInErrorCode.Timeout]: 'linkedin_unavailable',
  [LinkedInErrorCode.MalformedResponse]: 'linkedin_unavailable',
  [LinkedInErrorCode.Network]: 'linkedin_unavailable',
  // LinkedIn's own wire codes, as they may appear in a stored error.
  EMPTY_ACCESS_TOKEN: 'relink_required',
  INVALID_ACCESS_TOKEN: 'relink_required',
  EXPIRED_ACCESS_TOKEN: 'relink_required',
  REVOKED_ACCESS_TOKEN: 'relink_required',
  ACCESS_DENIED: 'app_not_provisioned',
  USER_NOT_AUTHORIZED: 'no_account_role',
  FAILED_VALIDATION_CONDITION: 'linkedin_rejected_query',
  NONEXISTENT_VERSION: 'api_version_retired',
  [ErrorCode.NotLinked]: 'not_linked',
  [ErrorCode.RelinkRequired]: 'relink_required',
  [ErrorCode.NoAdAccount]: 'no_ad_account',
  [ErrorCode.QueryNotFound]: 'query_not_found',
};

const byStatus = (status: number): DescribedErrorCodeValue | undefined => {
  if (status === 401) return 'relink_required';
  if (status === 403) return 'app_not_provisioned';
  if (status === 404) return 'not_found';
  if (status === 400 || status === 422) return 'linkedin_rejected_query';
  if (status === 426) return 'api_version_retired';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'linkedin_unavailable';
  return undefined;
};

const isDescribedCode = (code: string): code is DescribedErrorCodeValue => Object.hasOwn(TEMPLATES, code);

/** Node's fetch rejects with a TypeError ("fetch failed") or an AbortError when the network fails. */
const isNetworkFailure = (err: Error): boolean =>
  err.name === 'AbortError' ||
  err.name === 'TimeoutError' ||
  (err instanceof TypeError && /fetch failed|network/i.test(err.message)) ||
  /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|UND_ERR_)/.test(
    String((err as { code?: unknown }).code ?? ''),
  );

const describeLinkedIn = (err: LinkedInError): ErrorDescription => {
  const code = BY_LINKEDIN_CODE[err.code] ?? (err.status ? byStatus(err.status) : undefined) ?? 'unknown';
  if (code === 'linkedin_rejected_query') {
    const input = (err as ValidationFailedError).inputErrors ?? [];
    const details = input.map((i) => i.description).filter((d): d is string => !!d);
    return withDetail(code, details.length > 0 ? details.join('; ') : err.message);
  }
  // A 403 for a different endpoint than insights is about the token's scopes, which re-linking grants.
  if (code === 'app_not_provisioned' && err.endpoint && !/audienceInsights/i.test(err.endpoint)) {
    return make(code, {
      title: 'LinkedIn refused this request',
      message: 'Your LinkedIn link does not allow this action, or the app lacks the LinkedIn product it needs.',
      nextStep: 'Re-link LinkedIn to grant access again; if that does not help, ask the bot’s admin.',
      relink: true,
    });
  }
  return make(code);
};

/** A stored `QueryError` (`{code, message, status}`), described the same way as the error it came from. */
const describeStored = (e: QueryError): ErrorDescription => {
  const code =
    (isDescribedCode(e.code) ? e.code : BY_LINKEDIN_CODE[e.code]) ??
    (typeof e.status === 'number' ? byStatus(e.status) : undefined) ??
    'unknown';
  if (code === 'linkedin_rejected_query') return withDetail(code, e.message);
  if (code === 'invalid_query')
    return make(code, { message: safeDetail(e.message) || TEMPLATES.invalid_query.message });
  return make(code);
};

const isStoredError = (e: unknown): e is QueryError =>
  typeof e === 'object' &&
  e !== null &&
  !(e instanceof Error) &&
  typeof (e as QueryError).code === 'string' &&
  typeof (e as QueryError).message === 'string';

export function describeError(err: unknown): ErrorDescription {
  if (err instanceof QueryFailedError) return describeError(err.cause);
  if (err instanceof InvalidQueryError) {
    const problems = err.problems.map((p) => ({ field: p.field, message: p.message }));
    return make('invalid_query', {
      message: problems.map((p) => p.message).join('\n') || TEMPLATES.invalid_query.message,
      problems,
    });
  }
  if (err instanceof LinkedInError) return describeLinkedIn(err);
  if (isStoredError(err)) return describeStored(err);
  if (isCodedError(err)) {
    const code = BY_LINKEDIN_CODE[err.code];
    if (code) return make(code);
  }
  if (err instanceof Error && isNetworkFailure(err)) return make('linkedin_unavailable');
  return make('unknown');
}

/** The `{code, message, status}` a failed query keeps, so it can be described (and re-run) later. */
export function toQueryError(err: unknown): QueryError {
  const cause = err instanceof QueryFailedError ? err.cause : err;
  const described = describeError(cause);
  if (cause instanceof LinkedInError) {
    return {
      code: cause.code,
      message: safeDetail(cause.message) || described.message,
      ...(cause.status !== undefined ? { status: cause.status } : {}),
    };
  }
  if (cause instanceof InvalidQueryError) return { code: ErrorCode.InvalidQuery, message: described.message };
  if (isCodedError(cause) && BY_LINKEDIN_CODE[cause.code]) {
    return { code: cause.code, message: described.message };
  }
  return { code: described.code, message: described.message };
}

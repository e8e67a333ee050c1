/**
 * Error codes of the bot, in one place. Each error is one small class carrying a stable string code, so a
 * handler can turn any failure into a message that says what happened and what to do next.
 * LinkedIn's own errors live in linkedin/errors.ts and follow the same pattern.
 */
export const ErrorCode = {
  NotLinked: 'not_linked',
  RelinkRequired: 'relink_required',
  NoAdAccount: 'no_ad_account',
  InvalidQuery: 'invalid_query',
  QueryNotFound: 'query_not_found',
  NotQueryOwner: 'not_query_owner',
  OAuthStateInvalid: 'oauth_state_invalid',
  OAuthDeclined: 'oauth_declined',
  SlackApi: 'slack_api_error',
} as const;

export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface CodedError extends Error {
  code: string;
}

export const isCodedError = (e: unknown): e is CodedError =>
  e instanceof Error && typeof (e as { code?: unknown }).code === 'string';

/** The Slack user has no LinkedIn link yet. */
export class NotLinkedError extends Error implements CodedError {
  readonly code = ErrorCode.NotLinked;
  constructor(message = 'Your Slack account is not linked to LinkedIn yet.') {
    super(message);
    this.name = 'NotLinkedError';
  }
}

/** The link exists but its tokens expired or were revoked and could not be refreshed. */
export class RelinkRequiredError extends Error implements CodedError {
  readonly code = ErrorCode.RelinkRequired;
  constructor(message = 'Your LinkedIn link has expired or was revoked.') {
    super(message);
    this.name = 'RelinkRequiredError';
  }
}

/** The member has no ad account the bot can use. */
export class NoAdAccountError extends Error implements CodedError {
  readonly code = ErrorCode.NoAdAccount;
  constructor(message = 'Your LinkedIn member has no ad account with a role on it.') {
    super(message);
    this.name = 'NoAdAccountError';
  }
}

/** A query the person described breaks a documented rule; `problems` are written for a marketer. */
export class InvalidQueryError extends Error implements CodedError {
  readonly code = ErrorCode.InvalidQuery;
  constructor(readonly problems: Array<{ field: string; message: string }>) {
    super(problems.map((p) => p.message).join(' '));
    this.name = 'InvalidQueryError';
  }
}

export class QueryNotFoundError extends Error implements CodedError {
  readonly code = ErrorCode.QueryNotFound;
  constructor(readonly queryId: string) {
    super('That query is no longer stored.');
    this.name = 'QueryNotFoundError';
  }
}

export class OAuthStateError extends Error implements CodedError {
  readonly code = ErrorCode.OAuthStateInvalid;
  constructor(readonly reason: 'unknown' | 'expired' | 'used' | 'forged' | 'wrong_user') {
    super(`The link is ${reason === 'used' ? 'already used' : reason === 'expired' ? 'expired' : 'not valid'}.`);
    this.name = 'OAuthStateError';
  }
}

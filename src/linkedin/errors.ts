/**
 * LinkedIn failures, one small class each. `code` is our stable string (what handlers switch on);
 * `linkedinCode` and `serviceErrorCode` are LinkedIn's own, when the response carried them.
 * Messages never contain a token or secret: the request core scrubs them before an error is built.
 */
import type { CodedError } from '../errors.js';

export const LinkedInErrorCode = {
  Unauthorized: 'linkedin_unauthorized',
  AccessDenied: 'linkedin_access_denied',
  UserNotAuthorized: 'linkedin_user_not_authorized',
  ValidationFailed: 'linkedin_validation_failed',
  NotFound: 'linkedin_not_found',
  RequestRejected: 'linkedin_request_rejected',
  VersionRetired: 'linkedin_version_retired',
  RateLimited: 'linkedin_rate_limited',
  ServerError: 'linkedin_server_error',
  Timeout: 'linkedin_timeout',
  MalformedResponse: 'linkedin_malformed_response',
  Network: 'linkedin_network_error',
  OAuth: 'linkedin_oauth_error',
} as const;

export type LinkedInErrorCodeValue = (typeof LinkedInErrorCode)[keyof typeof LinkedInErrorCode];

/** What is known about the failed call; every field is optional because transport failures have no response. */
export interface LinkedInErrorDetails {
  status?: number;
  linkedinCode?: string;
  serviceErrorCode?: number;
  /** Our label for the call, e.g. `adAccountUsers.authenticatedUser`. */
  endpoint?: string;
  /** LinkedIn's request id headers (`x-li-uuid`, …), which LinkedIn support asks for on 5xx. */
  requestId?: string;
}

export abstract class LinkedInError extends Error implements CodedError {
  abstract readonly code: LinkedInErrorCodeValue;
  /** Whether sending the same request again may succeed. */
  abstract readonly retryable: boolean;
  readonly status?: number;
  readonly linkedinCode?: string;
  readonly serviceErrorCode?: number;
  readonly endpoint?: string;
  readonly requestId?: string;

  constructor(message: string, details: LinkedInErrorDetails = {}) {
    super(message);
    this.name = new.target.name;
    this.status = details.status;
    this.linkedinCode = details.linkedinCode;
    this.serviceErrorCode = details.serviceErrorCode;
    this.endpoint = details.endpoint;
    this.requestId = details.requestId;
  }
}

export const isLinkedInError = (e: unknown): e is LinkedInError => e instanceof LinkedInError;

/** True for failures worth another attempt: 429, 5xx, timeouts and network errors. */
export const isRetryable = (e: unknown): boolean => isLinkedInError(e) && e.retryable;

export type UnauthorizedReason = 'empty' | 'expired' | 'revoked' | 'invalid';

/** 401: the access token is empty, expired, revoked or unknown. The member has to re-link (or refresh). */
export class UnauthorizedError extends LinkedInError {
  readonly code = LinkedInErrorCode.Unauthorized;
  readonly retryable = false;
  constructor(
    message: string,
    readonly reason: UnauthorizedReason,
    details: LinkedInErrorDetails = {},
  ) {
    super(message, { status: 401, ...details });
  }
}

/** 403 ACCESS_DENIED: the app lacks the product (e.g. the private Audience Insights API) or the token the scope. */
export class AccessDeniedError extends LinkedInError {
  readonly code = LinkedInErrorCode.AccessDenied;
  readonly retryable = false;
  constructor(message: string, details: LinkedInErrorDetails = {}) {
    super(message, { status: 403, ...details });
  }
}

/** 403 USER_NOT_AUTHORIZED: the member has no role on the ad account in the request. */
export class UserNotAuthorizedError extends LinkedInError {
  readonly code = LinkedInErrorCode.UserNotAuthorized;
  readonly retryable = false;
  constructor(message: string, details: LinkedInErrorDetails = {}) {
    super(message, { status: 403, ...details });
  }
}

export interface InputError {
  code?: string;
  description?: string;
  fieldPath?: string;
}

/** 422 FAILED_VALIDATION_CONDITION, or a 400 validation failure: the request itself is wrong. */
export class ValidationFailedError extends LinkedInError {
  readonly code = LinkedInErrorCode.ValidationFailed;
  readonly retryable = false;
  constructor(
    message: string,
    details: LinkedInErrorDetails = {},
    /** The `errorDetails.inputErrors` of LinkedIn's newer error schema, when present. */
    readonly inputErrors: InputError[] = [],
  ) {
    super(message, details);
  }
}

/** 404: the entity (template, segment, account) does not exist or is not visible to the member. */
export class NotFoundError extends LinkedInError {
  readonly code = LinkedInErrorCode.NotFound;
  readonly retryable = false;
  constructor(message: string, details: LinkedInErrorDetails = {}) {
    super(message, { status: 404, ...details });
  }
}

/** Any other 4xx (e.g. 400 VERSION_MISSING, 405, 414): a bug on our side rather than in the person's query. */
export class RequestRejectedError extends LinkedInError {
  readonly code = LinkedInErrorCode.RequestRejected;
  readonly retryable = false;
}

/** 426 NONEXISTENT_VERSION: the configured `LinkedIn-Version` is sunset; an operator must move LINKEDIN_VERSION. */
export class VersionRetiredError extends LinkedInError {
  readonly code = LinkedInErrorCode.VersionRetired;
  readonly retryable = false;
  constructor(
    message: string,
    readonly version: string,
    details: LinkedInErrorDetails = {},
  ) {
    super(message, { status: 426, ...details });
  }
}

/** 429: the app's or the member's daily quota for the endpoint, or short-term throttling. */
export class RateLimitedError extends LinkedInError {
  readonly code = LinkedInErrorCode.RateLimited;
  readonly retryable = true;
  constructor(
    message: string,
    details: LinkedInErrorDetails = {},
    /** From `Retry-After`, when LinkedIn sent one. */
    readonly retryAfterMs?: number,
  ) {
    super(message, { status: 429, ...details });
  }
}

export class ServerError extends LinkedInError {
  readonly code = LinkedInErrorCode.ServerError;
  readonly retryable = true;
}

export class TimeoutError extends LinkedInError {
  readonly code = LinkedInErrorCode.Timeout;
  readonly retryable = true;
  constructor(
    readonly timeoutMs: number,
    details: LinkedInErrorDetails = {},
  ) {
    super(`LinkedIn did not answer within ${timeoutMs} ms`, details);
  }
}

/** A response that is not JSON or does not have the documented shape. */
export class MalformedResponseError extends LinkedInError {
  readonly code = LinkedInErrorCode.MalformedResponse;
  readonly retryable = false;
}

/** The request never got a response (DNS, connection refused, reset). */
export class NetworkError extends LinkedInError {
  readonly code = LinkedInErrorCode.Network;
  readonly retryable = true;
}

/** The OAuth endpoints' `{error, error_description}` (bad or used code, invalid refresh token, bad client). */
export class OAuthError extends LinkedInError {
  readonly code = LinkedInErrorCode.OAuth;
  readonly retryable = false;
  constructor(
    /** The OAuth `error` field, e.g. `invalid_request`, `invalid_client`. */
    readonly error: string,
    readonly errorDescription: string | undefined,
    details: LinkedInErrorDetails = {},
  ) {
    super(errorDescription ? `${error}: ${errorDescription}` : error, { linkedinCode: error, ...details });
  }
}

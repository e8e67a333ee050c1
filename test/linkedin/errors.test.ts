import { describe, expect, it } from 'vitest';
import { isCodedError } from '../../src/errors.js';
import { errorFromResponse } from '../../src/linkedin/core.js';
import {
  AccessDeniedError,
  isLinkedInError,
  isRetryable,
  type LinkedInError,
  MalformedResponseError,
  NetworkError,
  NotFoundError,
  OAuthError,
  RateLimitedError,
  RequestRejectedError,
  ServerError,
  TimeoutError,
  UnauthorizedError,
  UserNotAuthorizedError,
  ValidationFailedError,
  VersionRetiredError,
} from '../../src/linkedin/errors.js';
import { json, TOKEN, testClient } from './scripted-fetch.js';

const insightsBody = {
  request: {
    requestMetaData: { sponsoredAccount: 'urn:li:sponsoredAccount:123' },
    targetingCriteria: { include: { and: [{ or: { 'urn:li:adTargetingFacet:locations': ['urn:li:geo:1'] } }] } },
    groupBy: 'urn:li:adTargetingFacet:jobFunctions',
  },
};

/** Runs an insights call against one scripted error response and returns what it rejected with. */
async function failWith(status: number, body: unknown, headers: Record<string, string> = {}) {
  const { client, requests } = testClient(
    [
      json(body, status, headers),
      json(body, status, headers),
      json(body, status, headers),
      json(body, status, headers),
    ],
    { retries: 0 },
  );
  const error = await client.audienceInsights(TOKEN, insightsBody).catch((e: unknown) => e);
  expect(requests).toHaveLength(1);
  return error as LinkedInError;
}

describe('LinkedIn error bodies become typed errors', () => {
  it.each([
    [{ message: 'Empty oauth2_access_token', serviceErrorCode: 401, status: 401 }, 'empty'],
    [
      { status: 401, serviceErrorCode: 65600, code: 'INVALID_ACCESS_TOKEN', message: 'Invalid access token' },
      'invalid',
    ],
    [{ status: 401, code: 'EXPIRED_ACCESS_TOKEN', message: 'The token used in the request has expired' }, 'expired'],
    [
      { status: 401, serviceErrorCode: 65601, code: 'REVOKED_ACCESS_TOKEN', message: 'The token has been revoked' },
      'revoked',
    ],
  ])('401 %j → UnauthorizedError (%s)', async (body, reason) => {
    const error = await failWith(401, body);
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error).toMatchObject({ status: 401, reason, code: 'linkedin_unauthorized', retryable: false });
    expect(error.message).toBe(body.message);
    expect(error.serviceErrorCode).toBe((body as { serviceErrorCode?: number }).serviceErrorCode);
  });

  it('403 ACCESS_DENIED → AccessDeniedError (app not provisioned)', async () => {
    const error = await failWith(403, {
      status: 403,
      serviceErrorCode: 100,
      code: 'ACCESS_DENIED',
      message: 'Not enough permissions to access: targetingAudienceInsights.ACTION.20260101',
    });
    expect(error).toBeInstanceOf(AccessDeniedError);
    expect(error).toMatchObject({
      code: 'linkedin_access_denied',
      linkedinCode: 'ACCESS_DENIED',
      serviceErrorCode: 100,
      endpoint: 'targetingAudienceInsights.audienceInsights',
    });
  });

  it('403 USER_NOT_AUTHORIZED → UserNotAuthorizedError (no role on the account)', async () => {
    const error = await failWith(403, {
      status: 403,
      code: 'USER_NOT_AUTHORIZED',
      message: 'Caller should have access to the Ad Account provided in the request',
    });
    expect(error).toBeInstanceOf(UserNotAuthorizedError);
    expect(error.code).toBe('linkedin_user_not_authorized');
  });

  it('403 without a code but with the documented message → UserNotAuthorizedError', async () => {
    const error = await failWith(403, {
      status: 403,
      message: 'Caller should have access to the Ad Account provided in the request',
    });
    expect(error).toBeInstanceOf(UserNotAuthorizedError);
  });

  it('422 FAILED_VALIDATION_CONDITION → ValidationFailedError', async () => {
    const error = await failWith(422, {
      status: 422,
      code: 'FAILED_VALIDATION_CONDITION',
      message: 'Request fails structure validation.',
    });
    expect(error).toBeInstanceOf(ValidationFailedError);
    expect(error).toMatchObject({ status: 422, linkedinCode: 'FAILED_VALIDATION_CONDITION' });
  });

  it('400 in the newer errorDetails schema → ValidationFailedError with the input errors', async () => {
    const error = await failWith(400, {
      errorDetailType: 'com.linkedin.common.error.BadRequest',
      message: 'Invalid param. Please see errorDetails for more information.',
      errorDetails: {
        inputErrors: [
          {
            description: 'Invalid value for param; wrong type or other syntax error',
            input: { inputPath: { fieldPath: 'search' } },
            code: 'PARAM_INVALID',
          },
          'not an object',
        ],
      },
      status: 400,
    });
    expect(error).toBeInstanceOf(ValidationFailedError);
    expect((error as ValidationFailedError).inputErrors).toEqual([
      {
        code: 'PARAM_INVALID',
        description: 'Invalid value for param; wrong type or other syntax error',
        fieldPath: 'search',
      },
    ]);
  });

  it('400 VERSION_MISSING → RequestRejectedError (our bug, not the person’s query)', async () => {
    const error = await failWith(400, {
      status: 400,
      code: 'VERSION_MISSING',
      message: 'A version must be present. Please specify a version by adding the LinkedIn-Version header.',
    });
    expect(error).toBeInstanceOf(RequestRejectedError);
    expect(error.code).toBe('linkedin_request_rejected');
  });

  it('404 → NotFoundError; 405 → RequestRejectedError', async () => {
    expect(await failWith(404, { status: 404, message: 'Not Found' })).toBeInstanceOf(NotFoundError);
    expect(await failWith(405, { status: 405, message: 'Method not allowed' })).toBeInstanceOf(RequestRejectedError);
  });

  it('426 NONEXISTENT_VERSION → VersionRetiredError with the version', async () => {
    const error = await failWith(426, {
      status: 426,
      code: 'NONEXISTENT_VERSION',
      message: 'Requested version 20240401 is not active',
    });
    expect(error).toBeInstanceOf(VersionRetiredError);
    expect(error).toMatchObject({ version: '20240401', code: 'linkedin_version_retired', retryable: false });
  });

  it('429 → RateLimitedError (retryable) with Retry-After', async () => {
    const error = await failWith(
      429,
      {
        message: 'Resource level throttle limit for calls to this resource is reached.',
        serviceErrorCode: 101,
        status: 429,
      },
      { 'retry-after': '7' },
    );
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 7000, serviceErrorCode: 101 });
  });

  it('500 INTERNAL_SERVER_ERROR → ServerError carrying LinkedIn’s request id for support', async () => {
    const error = await failWith(
      500,
      { status: 500, code: 'INTERNAL_SERVER_ERROR', message: 'Internal server side error' },
      { 'x-li-uuid': 'AAYabc==' },
    );
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ retryable: true, requestId: 'AAYabc==', status: 500 });
  });

  it('an error body that is an array, a string or empty still yields a typed error by status', () => {
    const headers = new Headers();
    const ctx = { endpoint: 'x', style: 'restli' as const, now: 0 };
    expect(errorFromResponse(401, '[1,2]', headers, ctx)).toBeInstanceOf(UnauthorizedError);
    expect(errorFromResponse(403, '"nope"', headers, ctx)).toBeInstanceOf(AccessDeniedError);
    expect(errorFromResponse(422, '', headers, ctx)).toBeInstanceOf(ValidationFailedError);
    expect(errorFromResponse(503, 'null', headers, ctx).message).toBe('LinkedIn answered HTTP 503');
    expect(errorFromResponse(401, '{"message": 42}', headers, ctx).message).toBe('LinkedIn answered HTTP 401');
  });

  it('an OAuth-style body → OAuthError', () => {
    const ctx = { endpoint: 'oauth', style: 'oauth' as const, now: 0 };
    const error = errorFromResponse(
      401,
      '{"error":"invalid_request","error_description":"Unable to retrieve access token: authorization code not found"}',
      new Headers(),
      ctx,
    );
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({
      error: 'invalid_request',
      errorDescription: 'Unable to retrieve access token: authorization code not found',
      status: 401,
      code: 'linkedin_oauth_error',
    });
  });
});

describe('the error classes', () => {
  it('are coded errors with stable codes and the right retryability', () => {
    const all: LinkedInError[] = [
      new UnauthorizedError('m', 'invalid'),
      new AccessDeniedError('m'),
      new UserNotAuthorizedError('m'),
      new ValidationFailedError('m', { status: 422 }),
      new NotFoundError('m'),
      new RequestRejectedError('m', { status: 400 }),
      new VersionRetiredError('m', '20240401'),
      new RateLimitedError('m'),
      new ServerError('m', { status: 500 }),
      new TimeoutError(1000),
      new MalformedResponseError('m', { status: 200 }),
      new NetworkError('m'),
      new OAuthError('invalid_client', undefined, { status: 401 }),
    ];
    expect(new Set(all.map((e) => e.code)).size).toBe(all.length);
    for (const e of all) {
      expect(isCodedError(e)).toBe(true);
      expect(isLinkedInError(e)).toBe(true);
      expect(e.name).toBe(e.constructor.name);
    }
    expect(all.filter(isRetryable).map((e) => e.name)).toEqual([
      'RateLimitedError',
      'ServerError',
      'TimeoutError',
      'NetworkError',
    ]);
    expect(isRetryable(new Error('plain'))).toBe(false);
    expect(isRetryable('string')).toBe(false);
  });

  it('carry the status implied by their class', () => {
    expect(new UnauthorizedError('m', 'empty').status).toBe(401);
    expect(new AccessDeniedError('m').status).toBe(403);
    expect(new VersionRetiredError('m', 'v').status).toBe(426);
    expect(new RateLimitedError('m').status).toBe(429);
    expect(new OAuthError('invalid_request', 'desc').message).toBe('invalid_request: desc');
  });
});

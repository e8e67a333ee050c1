import { describe, expect, it } from 'vitest';
import type { StoredQuery } from '../../src/db/types.js';
import {
  InvalidQueryError,
  NoAdAccountError,
  NotLinkedError,
  QueryNotFoundError,
  RelinkRequiredError,
} from '../../src/errors.js';
import { describeError, failedQueryId, QueryFailedError, safeDetail, toQueryError } from '../../src/insights/errors.js';
import {
  AccessDeniedError,
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

const INSIGHTS = 'targetingAudienceInsights.audienceInsights';
const TOKEN = `AQV${'x9'.repeat(120)}`;

const cases: Array<[string, unknown, { code: string; retryable: boolean; relink: boolean; text: RegExp }]> = [
  ['not linked', new NotLinkedError(), { code: 'not_linked', retryable: false, relink: true, text: /link/i }],
  [
    'relink required',
    new RelinkRequiredError(),
    { code: 'relink_required', retryable: false, relink: true, text: /sign in again/i },
  ],
  [
    '401',
    new UnauthorizedError('Invalid access token', 'invalid', { linkedinCode: 'INVALID_ACCESS_TOKEN' }),
    { code: 'relink_required', retryable: false, relink: true, text: /Link LinkedIn/ },
  ],
  [
    'OAuth refresh refused',
    new OAuthError('invalid_request', 'The provided authorization grant or refresh token is invalid'),
    { code: 'relink_required', retryable: false, relink: true, text: /Link LinkedIn/ },
  ],
  [
    '403 ACCESS_DENIED',
    new AccessDeniedError('Not enough permissions to access: targetingAudienceInsights.ACTION.20260901', {
      linkedinCode: 'ACCESS_DENIED',
      endpoint: INSIGHTS,
    }),
    { code: 'app_not_provisioned', retryable: false, relink: false, text: /admin/i },
  ],
  [
    '403 USER_NOT_AUTHORIZED',
    new UserNotAuthorizedError('Caller should have access to the Ad Account provided in the request', {
      linkedinCode: 'USER_NOT_AUTHORIZED',
      endpoint: INSIGHTS,
    }),
    { code: 'no_account_role', retryable: false, relink: false, text: /another ad account|account manager/i },
  ],
  [
    '422 validation',
    new ValidationFailedError('Request fails structure validation.', {
      status: 422,
      linkedinCode: 'FAILED_VALIDATION_CONDITION',
    }),
    { code: 'linkedin_rejected_query', retryable: false, relink: false, text: /Edit the query/ },
  ],
  [
    '400 validation',
    new ValidationFailedError('Validation failed because [groupBy]', { status: 400 }),
    { code: 'linkedin_rejected_query', retryable: false, relink: false, text: /Edit the query/ },
  ],
  [
    '426',
    new VersionRetiredError('Requested version 20240401 is not active', '202404', {
      linkedinCode: 'NONEXISTENT_VERSION',
    }),
    { code: 'api_version_retired', retryable: false, relink: false, text: /LINKEDIN_VERSION/ },
  ],
  [
    '429',
    new RateLimitedError('Resource level throttle limit for calls to this resource is reached.'),
    { code: 'rate_limited', retryable: true, relink: false, text: /later|little while/i },
  ],
  [
    '500',
    new ServerError('Internal server error', { status: 500 }),
    { code: 'linkedin_unavailable', retryable: true, relink: false, text: /Try again/ },
  ],
  [
    'timeout',
    new TimeoutError(10_000),
    { code: 'linkedin_unavailable', retryable: true, relink: false, text: /Try again/ },
  ],
  [
    'network',
    new NetworkError('Could not reach LinkedIn: ECONNREFUSED'),
    { code: 'linkedin_unavailable', retryable: true, relink: false, text: /Try again/ },
  ],
  [
    'malformed',
    new MalformedResponseError('LinkedIn answered audienceInsights with an unexpected shape'),
    { code: 'linkedin_unavailable', retryable: true, relink: false, text: /Try again/ },
  ],
  [
    'raw fetch failure',
    Object.assign(new TypeError('fetch failed'), { cause: new Error('connect ECONNREFUSED 127.0.0.1:1') }),
    { code: 'linkedin_unavailable', retryable: true, relink: false, text: /Try again/ },
  ],
  [
    '404',
    new NotFoundError('Not found'),
    { code: 'not_found', retryable: false, relink: false, text: /another ad account/ },
  ],
  [
    'other 4xx',
    new RequestRejectedError('A version must be present.', { status: 400, linkedinCode: 'VERSION_MISSING' }),
    { code: 'bot_problem', retryable: true, relink: false, text: /admin/ },
  ],
  [
    'no ad account',
    new NoAdAccountError(),
    { code: 'no_ad_account', retryable: false, relink: false, text: /account manager/ },
  ],
  [
    'query gone',
    new QueryNotFoundError('q1'),
    { code: 'query_not_found', retryable: false, relink: false, text: /\/audience/ },
  ],
  ['unknown', new Error('kaboom'), { code: 'unknown', retryable: true, relink: false, text: /Try again/ }],
  ['a thrown string', 'weird', { code: 'unknown', retryable: true, relink: false, text: /Try again/ }],
  ['undefined', undefined, { code: 'unknown', retryable: true, relink: false, text: /Try again/ }],
];

describe('describeError', () => {
  for (const [label, err, expected] of cases) {
    it(`${label} → ${expected.code}`, () => {
      const d = describeError(err);
      expect(d).toMatchObject({ code: expected.code, retryable: expected.retryable, relink: expected.relink });
      expect(d.title.length).toBeGreaterThan(5);
      expect(`${d.message} ${d.nextStep}`).toMatch(expected.text);
    });
  }

  it('shows LinkedIn’s validation message with the next step to edit the query', () => {
    const d = describeError(
      new ValidationFailedError('Validation failed', { status: 422 }, [
        {
          code: 'FIELD_INVALID',
          description: 'Seniorities may not be ANDed with titles',
          fieldPath: 'targetingCriteria',
        },
      ]),
    );
    expect(d.message).toContain('Seniorities may not be ANDed with titles');
    expect(d.nextStep).toMatch(/Edit the query/);
  });

  it('lists the problems of an invalid query, per field', () => {
    const d = describeError(
      new InvalidQueryError([
        { field: 'include', message: 'Add a location.' },
        { field: 'groupBy', message: 'Choose a breakdown.' },
      ]),
    );
    expect(d).toMatchObject({ code: 'invalid_query', retryable: false, relink: false });
    expect(d.message).toBe('Add a location.\nChoose a breakdown.');
    expect(d.problems).toEqual([
      { field: 'include', message: 'Add a location.' },
      { field: 'groupBy', message: 'Choose a breakdown.' },
    ]);
  });

  it('says re-linking helps when a 403 comes from another endpoint than insights (a scope, not the product)', () => {
    const d = describeError(
      new AccessDeniedError('Not enough permissions to access: adTargetTemplates.CREATE.20260901', {
        endpoint: 'adTargetTemplates.create',
      }),
    );
    expect(d).toMatchObject({ code: 'app_not_provisioned', relink: true });
  });

  it('never shows a token, a secret or a stack trace', () => {
    const leaky = [
      new ValidationFailedError(`Validation failed for Bearer ${TOKEN}\n    at Object.<anonymous> (/app/x.js:1:1)`, {
        status: 422,
      }),
      new ValidationFailedError(`bad request access_token=${TOKEN}&x=1`, { status: 400 }),
      Object.assign(new Error(`boom ${TOKEN}`), { stack: 'Error: boom\n    at secret.ts:1:1' }),
      { code: 'linkedin_validation_failed', message: `oops ${TOKEN}`, status: 422 },
    ];
    for (const err of leaky) {
      const text = JSON.stringify(describeError(err));
      expect(text).not.toContain(TOKEN.slice(0, 40));
      expect(text).not.toMatch(/\bat .*:\d+:\d+/);
    }
  });

  it('describes a stored error exactly like the error it came from', () => {
    const errors = cases.map(([, err]) => err).filter((e) => e instanceof Error);
    for (const err of errors) {
      const stored = toQueryError(err);
      expect(JSON.parse(JSON.stringify(stored))).toEqual(stored);
      expect(describeError(stored).code).toBe(describeError(err).code);
      expect(JSON.stringify(stored)).not.toContain('    at ');
    }
  });

  it('unwraps a failed query and exposes its id for a "try again" button', () => {
    const query: StoredQuery = {
      id: 'q42',
      teamId: 'T',
      userId: 'U',
      spec: {
        accountUrn: 'urn:li:sponsoredAccount:1',
        criteria: { include: { and: [] } },
        groupBy: 'urn:li:adTargetingFacet:skills',
        orderBy: 'AUDIENCE_PERCENTAGE',
        maxReturnCount: 5,
      },
      status: 'failed',
      error: { code: 'linkedin_rate_limited', message: 'throttled', status: 429 },
      createdAt: 0,
      updatedAt: 0,
    };
    const err = new QueryFailedError(query, new RateLimitedError('throttled'));
    expect(failedQueryId(err)).toBe('q42');
    expect(failedQueryId(new Error('x'))).toBeUndefined();
    expect(describeError(err)).toMatchObject({ code: 'rate_limited', retryable: true });
  });
});

describe('safeDetail', () => {
  it('keeps a short message, drops later lines and bounds the length', () => {
    expect(safeDetail('Seniorities may not be ANDed with titles')).toBe('Seniorities may not be ANDed with titles');
    expect(safeDetail('first\nsecond')).toBe('first');
    expect(safeDetail('a '.repeat(400)).length).toBeLessThanOrEqual(300);
    expect(safeDetail(undefined)).toBe('');
    // URNs are short and survive.
    expect(safeDetail('Invalid value urn:li:skill:17')).toBe('Invalid value urn:li:skill:17');
  });
});

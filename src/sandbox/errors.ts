/**
 * LinkedIn's error bodies, as the sandbox answers them. Two shapes exist (§9.1 of the reference): the classic Rest.li
 * body `{status, serviceErrorCode?, code?, message}` and the newer `errorDetails.inputErrors` body used for
 * parameter errors.
 */

export type ErrorBody = Record<string, unknown>;

/** An HTTP answer a handler gives up with; the dispatcher turns it into the response. */
export class RestError extends Error {
  readonly code: string;
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(body.message ?? `HTTP ${status}`));
    this.name = 'RestError';
    this.code = typeof body.code === 'string' ? body.code : `http_${status}`;
  }
}

export const classicError = (
  status: number,
  message: string,
  opts: { code?: string; serviceErrorCode?: number } = {},
): RestError =>
  new RestError(status, {
    status,
    ...(opts.serviceErrorCode !== undefined ? { serviceErrorCode: opts.serviceErrorCode } : {}),
    ...(opts.code ? { code: opts.code } : {}),
    message,
  });

type InputErrorCode = 'PARAM_INVALID' | 'QUERY_PARAM_NOT_ALLOWED' | 'FIELD_INVALID' | 'PARAM_MISSING';

const INPUT_ERROR_DESCRIPTIONS: Record<InputErrorCode, string> = {
  PARAM_INVALID: 'Invalid value for param; wrong type or other syntax error',
  QUERY_PARAM_NOT_ALLOWED: 'Query param is not allowed for this request',
  FIELD_INVALID: 'Invalid value for field',
  PARAM_MISSING: 'Required param is missing',
};

/** The newer error schema (`com.linkedin.common.error.BadRequest`) for one bad parameter. */
export const inputError = (code: InputErrorCode, fieldPath: string, description?: string): RestError =>
  new RestError(400, {
    errorDetailType: 'com.linkedin.common.error.BadRequest',
    message: 'Invalid param. Please see errorDetails for more information.',
    errorDetails: {
      inputErrors: [
        {
          description: description ?? INPUT_ERROR_DESCRIPTIONS[code],
          input: { inputPath: { fieldPath } },
          code,
        },
      ],
    },
    status: 400,
  });

/** 403 for a token whose scopes (or app) do not cover the resource: `resource.METHOD.YYYYMMDD`. */
export const accessDenied = (resource: string, method: string, version8: string): RestError =>
  classicError(403, `Not enough permissions to access: ${resource}.${method}.${version8}`, {
    code: 'ACCESS_DENIED',
    serviceErrorCode: 100,
  });

export const failedValidation = (message: string): RestError =>
  classicError(422, message, { code: 'FAILED_VALIDATION_CONDITION' });

/**
 * The one request core every endpoint shares: fetch with a per-attempt timeout, bounded retries with exponential
 * backoff and jitter (429, 5xx, timeouts, network errors), `Retry-After`, query tunneling, and defensive parsing
 * of LinkedIn's error bodies into typed errors.
 */
import { z } from 'zod';
import {
  AccessDeniedError,
  type InputError,
  isRetryable,
  type LinkedInError,
  type LinkedInErrorDetails,
  MalformedResponseError,
  NetworkError,
  NotFoundError,
  OAuthError,
  RateLimitedError,
  RequestRejectedError,
  ServerError,
  TimeoutError,
  UnauthorizedError,
  type UnauthorizedReason,
  UserNotAuthorizedError,
  ValidationFailedError,
  VersionRetiredError,
} from './errors.js';
import { paramEncode } from './restli.js';

/** LinkedIn's JS client tunnels when the encoded query string is longer than this. */
export const MAX_QUERY_LENGTH = 4000;

export type RestliMethod = 'get' | 'batch_get' | 'get_all' | 'finder' | 'create' | 'action';

export interface CallInfo {
  endpoint: string;
  status: number | 'timeout' | 'network';
  durationMs: number;
  attempt: number;
}

export interface CoreOptions {
  apiUrl: string;
  version: string;
  fetch: typeof fetch;
  timeoutMs: number;
  retries: number;
  backoff: { baseMs: number; maxMs: number };
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  now: () => number;
  onCall?: (info: CallInfo) => void;
}

export interface RestCall {
  /** Metrics label and error context, e.g. `adTargetingEntities.urns`. */
  endpoint: string;
  token: string;
  method?: 'GET' | 'POST';
  /** Path below the API base, e.g. `/adAccounts`. */
  path: string;
  query?: Record<string, unknown>;
  restliMethod?: RestliMethod;
  json?: unknown;
  /** Non-idempotent calls (creates) are only retried on 429, where LinkedIn did not process the request. */
  idempotent?: boolean;
}

export interface FormCall {
  endpoint: string;
  url: string;
  form: Record<string, string>;
  idempotent?: boolean;
  /** Values to scrub from anything that could end up in an error message. */
  secrets: string[];
}

export interface BearerGetCall {
  endpoint: string;
  url: string;
  token: string;
}

export interface CoreResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or `undefined` for an empty body (e.g. 201 Created). */
  body: unknown;
}

type ErrorStyle = 'restli' | 'oauth';

interface Attempt {
  endpoint: string;
  idempotent: boolean;
  style: ErrorStyle;
  secrets: string[];
  request: () => { url: string; init: RequestInit };
}

export interface RequestCore {
  rest(call: RestCall): Promise<CoreResponse>;
  form(call: FormCall): Promise<CoreResponse>;
  bearerGet(call: BearerGetCall): Promise<CoreResponse>;
}

export const scrub = (text: string, secrets: readonly string[]): string => {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out;
};

const asString = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const asNumber = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

const requestIdOf = (headers: Headers): string | undefined =>
  headers.get('x-li-uuid') ?? headers.get('x-li-request-id') ?? headers.get('x-restli-request-id') ?? undefined;

/** `Retry-After` as delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const unauthorizedReason = (linkedinCode: string | undefined, message: string): UnauthorizedReason => {
  const text = `${linkedinCode ?? ''} ${message}`.toUpperCase();
  if (text.includes('EMPTY')) return 'empty';
  if (text.includes('EXPIRED')) return 'expired';
  if (text.includes('REVOKED')) return 'revoked';
  return 'invalid';
};

const inputErrorsOf = (body: Record<string, unknown>): InputError[] => {
  const details = body.errorDetails;
  if (!details || typeof details !== 'object') return [];
  const list = (details as { inputErrors?: unknown }).inputErrors;
  if (!Array.isArray(list)) return [];
  return list.flatMap((item): InputError[] => {
    if (!item || typeof item !== 'object') return [];
    const e = item as Record<string, unknown>;
    const input = e.input as { inputPath?: { fieldPath?: unknown } } | undefined;
    return [
      {
        code: asString(e.code),
        description: asString(e.description),
        fieldPath: asString(input?.inputPath?.fieldPath),
      },
    ];
  });
};

/**
 * Turns a non-2xx response into a typed error. Bodies are read defensively: LinkedIn sends the classic Rest.li
 * shape, the newer `errorDetails` shape, OAuth's `{error, error_description}`, or (behind proxies) HTML.
 */
export function errorFromResponse(
  status: number,
  bodyText: string,
  headers: Headers,
  ctx: { endpoint: string; style: ErrorStyle; now: number },
): LinkedInError {
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(bodyText);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
  } catch {
    // Not JSON: classify by status alone.
  }
  const linkedinCode = asString(body.code);
  const details: LinkedInErrorDetails = {
    status,
    linkedinCode,
    serviceErrorCode: asNumber(body.serviceErrorCode),
    endpoint: ctx.endpoint,
    requestId: requestIdOf(headers),
  };
  const message = asString(body.message) ?? `LinkedIn answered HTTP ${status}`;

  if (status === 429) {
    return new RateLimitedError(message, details, parseRetryAfter(headers.get('retry-after'), ctx.now));
  }
  if (status >= 500) return new ServerError(message, details);

  if (ctx.style === 'oauth') {
    const oauthError = asString(body.error);
    if (oauthError) return new OAuthError(oauthError, asString(body.error_description), details);
    if (status === 400 || status === 401) {
      return new OAuthError(status === 401 ? 'invalid_client' : 'invalid_request', asString(body.message), details);
    }
  }

  switch (status) {
    case 401:
      return new UnauthorizedError(message, unauthorizedReason(linkedinCode, message), details);
    case 403:
      if (linkedinCode === 'USER_NOT_AUTHORIZED' || (!linkedinCode && /access to the ad account/i.test(message))) {
        return new UserNotAuthorizedError(message, details);
      }
      return new AccessDeniedError(message, details);
    case 404:
      return new NotFoundError(message, details);
    case 426: {
      const version = /version (\S+) is not active/i.exec(message)?.[1] ?? '';
      return new VersionRetiredError(message, version, details);
    }
    case 422:
      return new ValidationFailedError(message, details, inputErrorsOf(body));
    case 400:
      if (linkedinCode === 'VERSION_MISSING') return new RequestRejectedError(message, details);
      return new ValidationFailedError(message, details, inputErrorsOf(body));
    default:
      return new RequestRejectedError(message, details);
  }
}

export function createRequestCore(opts: CoreOptions): RequestCore {
  const maxAttempts = 1 + Math.max(0, Math.floor(opts.retries));

  const backoffDelay = (attempt: number): number => {
    const ceiling = Math.min(opts.backoff.maxMs, opts.backoff.baseMs * 2 ** (attempt - 1));
    // "Equal jitter": never less than half the ceiling, so a burst of clients still spreads out but always waits.
    return Math.round(ceiling / 2 + (opts.random() * ceiling) / 2);
  };

  async function once(a: Attempt, attempt: number): Promise<CoreResponse> {
    const { url, init } = a.request();
    const controller = new AbortController();
    const started = opts.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Race against the timer too, so a fetch implementation that ignores the signal cannot hang the bot.
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new TimeoutError(opts.timeoutMs, { endpoint: a.endpoint }));
      }, opts.timeoutMs);
    });
    const report = (status: CallInfo['status']) =>
      opts.onCall?.({ endpoint: a.endpoint, status, durationMs: Math.max(0, opts.now() - started), attempt });

    let response: Response;
    let text: string;
    try {
      [response, text] = await Promise.race([
        (async () => {
          const res = await opts.fetch(url, { ...init, signal: controller.signal });
          return [res, await res.text()] as const;
        })(),
        timedOut,
      ]);
    } catch (err) {
      if (err instanceof TimeoutError || controller.signal.aborted) {
        report('timeout');
        throw err instanceof TimeoutError ? err : new TimeoutError(opts.timeoutMs, { endpoint: a.endpoint });
      }
      report('network');
      const reason = err instanceof Error ? err.message : 'request failed';
      throw new NetworkError(`Could not reach LinkedIn: ${scrub(reason, a.secrets)}`, { endpoint: a.endpoint });
    } finally {
      clearTimeout(timer);
      timedOut.catch(() => {});
    }

    report(response.status);
    if (response.status < 200 || response.status >= 300) {
      const error = errorFromResponse(response.status, scrub(text, a.secrets), response.headers, {
        endpoint: a.endpoint,
        style: a.style,
        now: opts.now(),
      });
      throw error;
    }
    if (text.trim() === '') return { status: response.status, headers: response.headers, body: undefined };
    try {
      return { status: response.status, headers: response.headers, body: JSON.parse(text) };
    } catch {
      throw new MalformedResponseError(`LinkedIn answered HTTP ${response.status} with a body that is not JSON`, {
        status: response.status,
        endpoint: a.endpoint,
        requestId: requestIdOf(response.headers),
      });
    }
  }

  async function run(a: Attempt): Promise<CoreResponse> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await once(a, attempt);
      } catch (err) {
        const retry = isRetryable(err) && (a.idempotent || err instanceof RateLimitedError);
        if (!retry || attempt >= maxAttempts) throw err;
        const retryAfter = err instanceof RateLimitedError ? err.retryAfterMs : undefined;
        // A Retry-After beyond our ceiling (a daily quota) is honoured by not retrying now.
        if (retryAfter !== undefined && retryAfter > opts.backoff.maxMs) throw err;
        await opts.sleep(retryAfter ?? backoffDelay(attempt));
      }
    }
  }

  const restHeaders = (token: string, restliMethod: RestliMethod | undefined): Record<string, string> => ({
    Authorization: `Bearer ${token}`,
    'LinkedIn-Version': opts.version,
    'X-Restli-Protocol-Version': '2.0.0',
    ...(restliMethod ? { 'X-RestLi-Method': restliMethod } : {}),
  });

  return {
    rest(call) {
      const method = call.method ?? 'GET';
      const query = call.query ? paramEncode(call.query) : '';
      const base = `${opts.apiUrl}${call.path}`;
      const tunnel = method === 'GET' && query.length > MAX_QUERY_LENGTH;
      return run({
        endpoint: call.endpoint,
        idempotent: call.idempotent ?? true,
        style: 'restli',
        secrets: [call.token],
        request: () => {
          const headers = restHeaders(call.token, call.restliMethod);
          if (tunnel) {
            return {
              url: base,
              init: {
                method: 'POST',
                headers: {
                  ...headers,
                  'X-HTTP-Method-Override': 'GET',
                  'Content-Type': 'application/x-www-form-urlencoded',
                },
                body: query,
              },
            };
          }
          const url = query ? `${base}?${query}` : base;
          if (call.json === undefined) return { url, init: { method, headers } };
          return {
            url,
            init: {
              method,
              headers: { ...headers, 'Content-Type': 'application/json' },
              body: JSON.stringify(call.json),
            },
          };
        },
      });
    },

    form(call) {
      return run({
        endpoint: call.endpoint,
        idempotent: call.idempotent ?? true,
        style: 'oauth',
        secrets: call.secrets,
        request: () => ({
          url: call.url,
          init: {
            method: 'POST',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
            body: new URLSearchParams(call.form).toString(),
          },
        }),
      });
    },

    bearerGet(call) {
      return run({
        endpoint: call.endpoint,
        idempotent: true,
        style: 'restli',
        secrets: [call.token],
        // Unversioned: no LinkedIn-Version, no Rest.li headers.
        request: () => ({ url: call.url, init: { method: 'GET', headers: { Authorization: `Bearer ${call.token}` } } }),
      });
    },
  };
}

/** Checks a 2xx body against the documented shape; anything else is a `MalformedResponseError`. */
export function expectShape<T>(schema: z.ZodType<T>, response: CoreResponse, endpoint: string): T {
  const parsed = schema.safeParse(response.body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  throw new MalformedResponseError(`LinkedIn's ${endpoint} response has an unexpected shape${where}`, {
    status: response.status,
    endpoint,
    requestId: requestIdOf(response.headers),
  });
}

/** Safety stop for `start`/`count` paging against a server that keeps answering full pages. */
const MAX_PAGES = 50;

export interface Page<T> {
  elements: T[];
  total?: number;
}

/**
 * Collects a `start`/`count` finder. Stops at a short page, at `paging.total` when LinkedIn sends it (it often
 * does not), or when a server ignores `count` and answers more than asked.
 */
export async function collectPages<T>(
  pageSize: number,
  fetchPage: (start: number, count: number) => Promise<Page<T>>,
): Promise<T[]> {
  const all: T[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const { elements, total } = await fetchPage(page * pageSize, pageSize);
    all.push(...elements);
    if (elements.length !== pageSize || (total !== undefined && all.length >= total)) break;
  }
  return all;
}

/** The finder/get-all envelope: `{elements, paging}`. */
export const collectionOf = <T extends z.ZodType>(element: T) =>
  z.object({
    elements: z.array(element),
    paging: z.object({ total: z.number().optional() }).optional(),
  });

/**
 * One pino logger for the whole process, configured so that tokens and secrets never reach a log line:
 * structured fields are redacted by path, request URLs lose the values of their secret query parameters, and
 * free-text messages are scrubbed of anything that looks like a Slack token, a bearer credential or a secret
 * query parameter. pino ships with fastify (it is fastify's logger), so no extra dependency is involved.
 */
import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { FastifyBaseLogger } from 'fastify';
import { type LoggerOptions, pino } from 'pino';

export type Logger = FastifyBaseLogger;

export type LogLevelName = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

const CENSOR = '[redacted]';

/** Field names whose values are credentials wherever they appear (at the top level or one level down). */
const SECRET_KEYS = [
  'authorization',
  'cookie',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'id_token',
  'botToken',
  'appToken',
  'clientSecret',
  'client_secret',
  'signingSecret',
  'secret',
  'password',
  'ticket',
];

/** Query parameters that carry credentials or single-use secrets in the URLs the bot serves or calls. */
const SECRET_QUERY_PARAMS = [
  'code',
  'state',
  'ticket',
  'token',
  'access_token',
  'refresh_token',
  'client_secret',
  'id_token',
];

export const REDACT_PATHS: string[] = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((key) => `*.${key}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-slack-signature"]',
  'headers.authorization',
  'headers.cookie',
  'headers["x-slack-signature"]',
  'res.headers["set-cookie"]',
  // `code` and `state` are secrets as OAuth query parameters only; elsewhere `code` names an error.
  'query.code',
  'query.state',
  '*.query.code',
  '*.query.state',
];

const secretQueryPattern = new RegExp(`([?&](?:${SECRET_QUERY_PARAMS.join('|')})=)[^&#\\s"']*`, 'gi');
const slackTokenPattern = /\bxox[abprse]-[A-Za-z0-9-]+/g;
const appTokenPattern = /\bxapp-[A-Za-z0-9-]+/g;
const bearerPattern = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;

/** Removes credentials from free text: secret query parameters, Slack tokens and bearer credentials. */
export function scrubSecrets(text: string): string {
  return text
    .replace(secretQueryPattern, `$1${CENSOR}`)
    .replace(slackTokenPattern, CENSOR)
    .replace(appTokenPattern, CENSOR)
    .replace(bearerPattern, `$1 ${CENSOR}`);
}

/** Paths whose whole query string is withheld: OAuth redirects carry codes, states and tickets in any parameter. */
const OAUTH_PATH = /(^|\/)oauth(\/|\?|$)/i;

/**
 * A URL as it may be logged: the values of secret query parameters replaced, and on OAuth routes (the bot's
 * `/oauth/...` and the sandbox's consent pages) the whole query string.
 */
export function redactUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const q = url.indexOf('?');
  if (q >= 0 && OAUTH_PATH.test(url.slice(0, q + 1))) return `${url.slice(0, q)}?${CENSOR}`;
  return url.replace(secretQueryPattern, `$1${CENSOR}`);
}

const LOGGED = Symbol('audience-bot.error-logged');

/**
 * Marks an error whose details were just logged in full (a LinkedIn failure, where it happened). Later lines that
 * carry it as `err` (the layers it travels through) show a short reference instead of repeating it.
 */
export function markErrorLogged(error: unknown): void {
  if (error instanceof Error && !isErrorLogged(error)) {
    try {
      Object.defineProperty(error, LOGGED, { value: true });
    } catch {
      // A frozen error is logged in full again; nothing worse.
    }
  }
}

export function isErrorLogged(error: unknown): boolean {
  return error instanceof Error && (error as unknown as Record<symbol, unknown>)[LOGGED] === true;
}

interface SerializableRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  routeOptions?: { url?: string };
}

export function loggerOptions(level: LogLevelName): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: CENSOR },
    serializers: {
      err: serializeError,
      // Fastify's default request serializer logs the full URL, query string included.
      req: (req: SerializableRequest) => ({
        method: req.method,
        url: redactUrl(req.url),
        host: req.host,
        remoteAddress: req.ip,
      }),
    },
    hooks: {
      // Messages are free text (Bolt and the Web API client log strings); scrub them before they are written.
      logMethod(args, method) {
        const cleaned = args.map((arg) => (typeof arg === 'string' ? scrubSecrets(arg) : arg));
        return method.apply(this, cleaned as Parameters<typeof method>);
      },
    },
  };
}

/** Fields of an error worth logging; tokens are scrubbed and stack traces left out (team rule). */
const ERROR_FIELDS = [
  'code',
  'statusCode',
  'status',
  'reason',
  'endpoint',
  'requestId',
  'linkedinCode',
  'serviceErrorCode',
];

export function serializeError(value: unknown): Record<string, unknown> | unknown {
  if (!(value instanceof Error)) return typeof value === 'string' ? scrubSecrets(value) : value;
  if (isErrorLogged(value)) return { type: value.name, alreadyLogged: true };
  const out: Record<string, unknown> = { type: value.name, message: scrubSecrets(value.message) };
  const fields = value as unknown as Record<string, unknown>;
  for (const field of ERROR_FIELDS) {
    const v = fields[field];
    if (typeof v === 'string') out[field] = scrubSecrets(v);
    else if (typeof v === 'number' || typeof v === 'boolean') out[field] = v;
  }
  // Slack Web API errors carry Slack's error code in `data.error`.
  const data = fields.data as { error?: unknown } | undefined;
  if (data && typeof data.error === 'string') out.slackError = data.error;
  if (value.cause !== undefined) out.cause = serializeError(value.cause);
  return out;
}

/** The process logger. `destination` is for tests that read what was logged. */
export function createLogger(level: LogLevelName, destination?: NodeJS.WritableStream): Logger {
  return (destination ? pino(loggerOptions(level), destination) : pino(loggerOptions(level))) as Logger;
}

const boltLevels: Record<string, LogLevel> = {
  fatal: LogLevel.ERROR,
  error: LogLevel.ERROR,
  warn: LogLevel.WARN,
  info: LogLevel.INFO,
  debug: LogLevel.DEBUG,
  trace: LogLevel.DEBUG,
  silent: LogLevel.ERROR,
};

/**
 * Bolt and the Web API client log through this adapter, so their lines go through the same redaction. Bolt logs
 * varargs (strings and errors mixed); they become one scrubbed message, with the first error kept as `err`.
 */
export function toBoltLogger(logger: Logger): BoltLogger {
  let child = logger.child({ component: 'bolt' });
  const write =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...parts: unknown[]): void => {
      const err = parts.find((p): p is Error => p instanceof Error);
      const message = parts
        .map((p) => (p instanceof Error ? p.message : typeof p === 'string' ? p : safeJson(p)))
        .join(' ');
      if (err) child[level]({ err }, message);
      else child[level](message);
    };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: () => {
      // The process log level is configured once (LOG_LEVEL); Bolt may not change it.
    },
    getLevel: () => boltLevels[logger.level] ?? LogLevel.INFO,
    setName: (name: string) => {
      child = logger.child({ component: name });
    },
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

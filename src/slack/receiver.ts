/**
 * Bolt ⇄ Fastify bridge. Bolt gets a Receiver; Fastify gets an encapsulated plugin serving Slack's request URL.
 * The plugin reads bodies as raw strings (the signature covers the exact bytes), and those parsers exist only
 * inside the plugin, so every other route keeps Fastify's normal parsing.
 *
 * Per request: verify the v0 signature (±5 minutes), answer `ssl_check` and `url_verification`, drop duplicate
 * deliveries (Slack retries, replays), then hand the payload to Bolt and answer Slack with whatever the listener
 * acked. The answer goes out through Fastify's reply (no hijack), so `inject()` sees it like any other route.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { type App, type Receiver, ReceiverMultipleAckError } from '@slack/bolt';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { checkSlackSignature } from '../http/slackSignature.js';
import type { Logger } from '../logging.js';
import type { SlackRequestOutcome, SlackRequestType } from '../observability/metrics.js';
import { OUTSIDE_REQUEST_SCOPE } from '../observability/requestLogging.js';

export const SLACK_EVENTS_PATH = '/slack/events';

/** Slack gives 3 s; answering at 2.5 s leaves room for the network. */
const DEFAULT_ACK_DEADLINE_MS = 2_500;
/**
 * Slack retries an event immediately, after about 1 minute and after about 5 minutes; a replayed request passes
 * the signature check for ±5 minutes around its timestamp (a 10-minute span). 15 minutes covers both.
 */
const DEFAULT_DEDUPE_TTL_MS = 15 * 60_000;
/**
 * One entry (about 140 bytes) per delivery: 100,000 (14 MB) hold the whole window up to 110 deliveries a second, far
 * above Slack's Events API limit of 30,000 events per workspace per hour (8 a second).
 */
const DEFAULT_DEDUPE_MAX = 100_000;
export const DEDUPE_DEFAULTS = { ttlMs: DEFAULT_DEDUPE_TTL_MS, maxEntries: DEFAULT_DEDUPE_MAX } as const;
/** Slack's largest payloads (view submissions) are about 250 KB. */
const DEFAULT_BODY_LIMIT = 1024 * 1024;

export interface FastifyReceiverOptions {
  signingSecret: string;
  logger: Logger;
  /** Epoch ms; injectable so tests can age requests. */
  now?: () => number;
  /**
   * Answer Slack only after every listener finished (the ack body is held until then). For FaaS hosts and for
   * tests, where it makes `inject()` resolve after the listeners' Web API calls.
   */
  processBeforeResponse?: boolean;
  path?: string;
  /** When no listener has acked by then, answer 200 on its behalf so Slack does not time out. */
  ackDeadlineMs?: number;
  dedupe?: { maxEntries?: number; ttlMs?: number };
  bodyLimit?: number;
  /** Told the payload type and outcome of every request (for metrics). */
  onOutcome?: (info: { type: SlackRequestType; outcome: SlackRequestOutcome }) => void;
}

/** Tells Slack not to retry this delivery: it was handled, or retrying would not help. */
const NO_RETRY = { noRetry: true } as const;

type AckBody = string | Record<string, unknown> | undefined;

type Outcome = { kind: 'acked'; body: AckBody } | { kind: 'deadline' } | { kind: 'unhandled' } | { kind: 'failed' };

type SlackPayload = Record<string, unknown>;

interface Classified {
  kind: 'event' | 'command' | 'interaction' | 'options';
  /** Identifies the delivery across retries: event_id or trigger_id. */
  deliveryKey?: string;
}

/**
 * Keys of deliveries seen recently, kept for a window of time and bounded in number. Insertion order is age order
 * (a key seen again is moved to the end), so both expiry and eviction take from the front of the Map.
 */
export class RecentDeliveries {
  private readonly seenAt = new Map<string, number>();
  private prunedAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly ttlMs: number,
    readonly max: number,
    private readonly now: () => number,
  ) {}

  get size(): number {
    return this.seenAt.size;
  }

  /** Whether `key` was seen within the window, without recording it (seen() records). */
  has(key: string): boolean {
    const at = this.seenAt.get(key);
    return at !== undefined && this.now() - at <= this.ttlMs;
  }

  /**
   * Whether `key` was seen within the window; records it as seen now either way. A key seen again starts a new
   * window (Slack's retries come minutes apart).
   */
  seen(key: string): boolean {
    const now = this.now();
    const at = this.seenAt.get(key);
    if (at !== undefined) this.seenAt.delete(key);
    // A copy: a key cut from a request body is a V8 slice that would keep the whole body alive for the window
    // (measured: ~490 instead of ~140 bytes an entry for slash commands).
    this.seenAt.set(Buffer.from(key, 'utf8').toString('utf8'), now);
    if (this.seenAt.size > this.max) this.seenAt.delete(this.seenAt.keys().next().value as string);
    // Expired keys are swept at most once a second: a request pays for the sweep only now and then.
    if (now - this.prunedAt >= 1_000) this.pruneExpired(now);
    return at !== undefined && now - at <= this.ttlMs;
  }

  clear(): void {
    this.seenAt.clear();
  }

  private pruneExpired(now: number): void {
    this.prunedAt = now;
    for (const [key, at] of this.seenAt) {
      if (now - at <= this.ttlMs) return;
      this.seenAt.delete(key);
    }
  }
}

export class FastifyReceiver implements Receiver {
  private app: App | undefined;
  private readonly now: () => number;
  /** Keys of deliveries already received, bounded in number and age (on the injected clock). */
  private readonly deliveries: RecentDeliveries;
  private readonly processBeforeResponse: boolean;
  /** Without processBeforeResponse, Slack is answered on a listener's behalf if it has not acked in time. */
  private readonly deadlines: AckDeadlines | undefined;
  readonly path: string;

  constructor(private readonly options: FastifyReceiverOptions) {
    if (!options.signingSecret) throw new Error('FastifyReceiver needs the Slack signing secret.');
    this.now = options.now ?? Date.now;
    this.path = options.path ?? SLACK_EVENTS_PATH;
    this.processBeforeResponse = options.processBeforeResponse ?? false;
    this.deadlines = this.processBeforeResponse
      ? undefined
      : new AckDeadlines(options.ackDeadlineMs ?? DEFAULT_ACK_DEADLINE_MS);
    this.deliveries = new RecentDeliveries(
      options.dedupe?.ttlMs ?? DEFAULT_DEDUPE_TTL_MS,
      options.dedupe?.maxEntries ?? DEFAULT_DEDUPE_MAX,
      this.now,
    );
  }

  init(app: App): void {
    this.app = app;
  }

  // Fastify owns listening and closing; Bolt's start/stop have nothing to do here.
  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  /** The Slack request URL as an encapsulated plugin: its raw-body parsers do not leak to sibling routes. */
  readonly plugin: FastifyPluginAsync = async (instance) => {
    instance.removeAllContentTypeParsers();
    const rawString = { parseAs: 'string', bodyLimit: this.options.bodyLimit ?? DEFAULT_BODY_LIMIT } as const;
    const keepRaw = (_request: FastifyRequest, body: string | Buffer, done: (err: null, body: string) => void) =>
      done(null, body as string);
    // Slack's two content types by name: Fastify caches the parser it finds for those, while a request that only
    // the catch-all matches has its content type parsed again every time. Anything else is read too, for the
    // handler to refuse with a 400.
    instance.addContentTypeParser(['application/x-www-form-urlencoded', 'application/json'], rawString, keepRaw);
    instance.addContentTypeParser('*', rawString, keepRaw);
    // Out of the request scope (its promise hooks cost more than the rest of our request handling): listeners get
    // the request's logger from Bolt's context as `requestLog`.
    instance.post(this.path, { config: OUTSIDE_REQUEST_SCOPE }, (request, reply) => this.handle(request, reply));
  };

  /**
   * Not async: the answer is sent from Bolt's ack (or the deadline) directly, without a promise chain of its own
   * in between. A throw here reaches Fastify's error handler (500), like a rejection would.
   */
  private handle(request: FastifyRequest, reply: FastifyReply): undefined {
    const log = request.log;
    const rawBody = typeof request.body === 'string' ? request.body : '';
    const contentType = request.headers['content-type'] ?? '';
    const isForm = contentType.startsWith('application/x-www-form-urlencoded');

    // The body is parsed once, before the signature check, because two answers depend on it: Slack's SSL check
    // (unsigned; Bolt skips the check too) and the metric label of a rejected request.
    let body: SlackPayload | undefined;
    if (isForm) {
      const form = parseForm(rawBody);
      if (form?.ssl_check === '1') return this.answerNow(reply, 'ssl_check', 'ok', 200);
      body = form !== undefined && typeof form.payload === 'string' ? parseJsonObject(form.payload) : form;
    } else if (contentType.startsWith('application/json')) {
      body = parseJsonObject(rawBody);
    }

    const signature = checkSlackSignature({
      signingSecret: this.options.signingSecret,
      rawBody,
      timestamp: header(request, 'x-slack-request-timestamp'),
      signature: header(request, 'x-slack-signature'),
      nowMs: this.now(),
    });
    if (!signature.ok) {
      log.warn({ reason: signature.reason }, 'rejected a Slack request: signature check failed');
      // Labelled by what the body claims to be (a bounded set), to tell forged commands from stale retries.
      return this.answerNow(reply, payloadType(body), 'rejected_signature', 401);
    }

    if (!body) {
      log.warn({ contentType }, 'rejected a Slack request: body is not a Slack payload');
      return this.answerNow(reply, 'unknown', 'bad_request', 400, NO_RETRY);
    }
    const type = payloadType(body);
    if (body.type === 'url_verification') {
      return typeof body.challenge === 'string'
        ? this.answerNow(reply, type, 'ok', 200, { body: { challenge: body.challenge } })
        : this.answerNow(reply, type, 'bad_request', 400);
    }
    if (body.type === 'app_rate_limited') {
      log.warn({ minute: body.minute_rate_limited }, 'Slack reports the app is rate limited for events');
      return this.answerNow(reply, type, 'ok', 200);
    }

    const classified = classify(body);
    if (!classified) {
      log.warn('rejected a Slack request: unrecognised payload shape');
      return this.answerNow(reply, type, 'bad_request', 400, NO_RETRY);
    }

    const retryNum = parseRetryNum(header(request, 'x-slack-retry-num'));
    const retryReason = header(request, 'x-slack-retry-reason');
    if (this.isDuplicate(classified, rawBody, retryNum)) {
      log.info(
        { kind: classified.kind, retryNum, retryReason },
        'duplicate Slack delivery acknowledged, not processed',
      );
      return this.answerNow(reply, type, 'retry_skipped', 200, NO_RETRY);
    }

    const app = this.app;
    if (!app) throw new Error('FastifyReceiver used before Bolt called init().');
    const pending = new PendingAck(
      reply,
      log,
      type,
      classified.kind,
      this.options.onOutcome,
      this.processBeforeResponse,
    );
    this.deadlines?.add(pending);
    const customProperties = { requestLog: log };
    app.processEvent({ body, ack: pending.ackFn, retryNum, retryReason, customProperties }).then(
      () => pending.settled(undefined),
      (error: unknown) => pending.settled(error ?? new Error('a listener failed without an error')),
    );
    return undefined;
  }

  /** Answers Slack without running a listener, and counts the request. */
  private answerNow(
    reply: FastifyReply,
    type: SlackRequestType,
    outcome: SlackRequestOutcome,
    status: number,
    options: { noRetry?: boolean; body?: Record<string, unknown> } = {},
  ): undefined {
    if (options.noRetry) reply.header('x-slack-no-retry', '1');
    reply.code(status).send(options.body);
    this.options.onOutcome?.({ type, outcome });
    return undefined;
  }

  /**
   * A delivery is a duplicate when its event_id/trigger_id was seen, or, for the rare payload without one, when
   * Slack marks it as a retry of an identical body. One key is recorded per delivery, before processing starts,
   * so a retry that arrives while the first delivery is still running (Slack retries after 3 s) is dropped too.
   */
  private isDuplicate(classified: Classified, rawBody: string, retryNum: number | undefined): boolean {
    let key = classified.deliveryKey;
    if (key === undefined) {
      // Typeahead requests repeat legitimately (same text typed twice) and are only ever read: never deduplicated.
      if (classified.kind === 'options') return false;
      // Hashed on the first delivery too, or its first retry would find nothing to match.
      key = `body:${createHash('sha256').update(rawBody).digest('base64url')}`;
      return this.deliveries.seen(key) && retryNum !== undefined;
    }
    return this.deliveries.seen(key);
  }
}

/**
 * The ack deadlines of every pending request on one timer: a request costs a Set insert and delete rather than a
 * timer of its own (about 1.5% of a slash command's CPU under load). Every deadline is the same length, so the
 * Set's insertion order is deadline order. A deadline fires at most RESOLUTION_MS late (2.5 s → at most 2.6 s,
 * still inside Slack's 3 s).
 */
class AckDeadlines {
  private static readonly RESOLUTION_MS = 100;
  private readonly pending = new Set<PendingAck>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly ms: number) {}

  add(request: PendingAck): void {
    request.dueAt = performance.now() + this.ms;
    request.deadlines = this;
    this.pending.add(request);
    if (this.timer === undefined) this.arm(this.ms);
  }

  delete(request: PendingAck): void {
    this.pending.delete(request);
  }

  private arm(delayMs: number): void {
    this.timer = setTimeout(() => this.fire(), delayMs);
  }

  private fire(): void {
    this.timer = undefined;
    const now = performance.now();
    for (const request of this.pending) {
      if (request.dueAt > now) {
        this.arm(Math.max(request.dueAt - now, AckDeadlines.RESOLUTION_MS));
        return;
      }
      this.pending.delete(request);
      request.deadlinePassed();
    }
  }
}

/**
 * One request's way from Bolt to Slack's answer: the ack function Bolt gives the listener, the deadline, and the
 * answer, whichever comes first. A class with member-assigned callbacks rather than named closures: tsx (which
 * runs the bot) gives every named closure its name with a property definition, on every request.
 */
class PendingAck {
  /** Given to Bolt as the listener's `ack()`. */
  readonly ackFn: (response?: AckBody) => Promise<void>;
  private answered = false;
  private acked = false;
  private heldBody: AckBody;
  /** Set while the request waits in AckDeadlines. */
  deadlines: AckDeadlines | undefined;
  /** performance.now() by which it must be answered (AckDeadlines). */
  dueAt = 0;

  constructor(
    private readonly reply: FastifyReply,
    private readonly log: Logger,
    private readonly type: SlackRequestType,
    private readonly kind: Classified['kind'],
    private readonly onOutcome: FastifyReceiverOptions['onOutcome'],
    private readonly processBeforeResponse: boolean,
  ) {
    this.ackFn = (response) => this.ack(response);
  }

  /** Called by AckDeadlines when no listener acked in time. */
  deadlinePassed(): void {
    this.answer({ kind: 'deadline' });
  }

  /** Bolt's processEvent settled: the listener chain is done, or failed with `error`. */
  settled(error: unknown): void {
    if (error !== undefined) this.log.error({ err: error }, 'processing a Slack request failed');
    if (this.acked) this.answer({ kind: 'acked', body: this.heldBody });
    else this.answer(error === undefined ? { kind: 'unhandled' } : { kind: 'failed' });
  }

  private async ack(response: AckBody): Promise<void> {
    if (this.acked) throw new ReceiverMultipleAckError();
    this.acked = true;
    if (this.answered) {
      this.log.warn('a listener acknowledged after Slack had already been answered');
      return;
    }
    if (this.processBeforeResponse) this.heldBody = response;
    else this.answer({ kind: 'acked', body: response });
  }

  private answer(outcome: Outcome): void {
    if (this.answered) return;
    this.answered = true;
    this.deadlines?.delete(this);
    const { reply, log } = this;
    try {
      switch (outcome.kind) {
        case 'acked':
          sendAckBody(reply, outcome.body);
          this.observed('ok');
          return;
        case 'deadline':
          log.warn({ kind: this.kind }, 'no listener acknowledged in time; acknowledged on its behalf');
          reply.code(200).send();
          this.observed('ack_deadline');
          return;
        case 'unhandled':
          log.warn({ kind: this.kind }, 'no listener handled the Slack request');
          reply.code(404).header('x-slack-no-retry', '1').send();
          this.observed('unhandled');
          return;
        case 'failed':
          reply.code(500).header('x-slack-no-retry', '1').send();
          this.observed('error');
          return;
      }
    } catch (error) {
      // An ack body Fastify cannot send (it failed to serialise): its error handler answers 500.
      if (!reply.sent) reply.send(error);
    }
  }

  private observed(outcome: SlackRequestOutcome): void {
    this.onOutcome?.({ type: this.type, outcome });
  }
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseRetryNum(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

/**
 * A form body (slash commands: flat fields; interactivity: one `payload=<json>` field) as an object of strings, or
 * undefined when it has no field. One pass, decoding only the values that need it; duplicate names keep the last
 * value, like `Object.fromEntries(new URLSearchParams(body))`. `__proto__` is not a name Slack sends: skipped.
 */
export function parseForm(rawBody: string): Record<string, string> | undefined {
  let form: Record<string, string> | undefined;
  const length = rawBody.length;
  let start = 0;
  // The next `=` at or after `start` (`length` when there is none). It only moves forward, so a long body of
  // `&`-separated names without `=` stays linear (this runs before the signature check).
  let nextEq = -1;
  while (start < length) {
    let end = rawBody.indexOf('&', start);
    if (end === -1) end = length;
    if (end > start) {
      if (nextEq < start) {
        nextEq = rawBody.indexOf('=', start);
        if (nextEq === -1) nextEq = length;
      }
      const hasValue = nextEq < end;
      const name = decodeFormComponent(rawBody.slice(start, hasValue ? nextEq : end));
      const value = hasValue ? decodeFormComponent(rawBody.slice(nextEq + 1, end)) : '';
      if (name !== '__proto__') {
        form ??= {};
        form[name] = value;
      }
    }
    start = end + 1;
  }
  return form;
}

/** `+` is a space; percent-escapes are decoded as UTF-8, malformed ones kept as they are (as URLSearchParams does). */
function decodeFormComponent(text: string): string {
  const spaced = text.includes('+') ? text.replaceAll('+', ' ') : text;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return decodePercentBytes(spaced);
  }
}

/**
 * The lenient decoding URLSearchParams does where decodeURIComponent gives up: escapes become bytes, a `%` without
 * two hex digits stays, and bytes that are not UTF-8 become U+FFFD. (`querystring.unescape` would mangle any
 * character above U+00FF in such a value.)
 */
function decodePercentBytes(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  const out = Buffer.allocUnsafe(bytes.length);
  let length = 0;
  for (let i = 0; i < bytes.length; i += 1) {
    const high = hexValue(bytes[i + 1]);
    const low = hexValue(bytes[i + 2]);
    if (bytes[i] === 0x25 && high !== -1 && low !== -1) {
      out[length++] = high * 16 + low;
      i += 2;
    } else {
      out[length++] = bytes[i]!;
    }
  }
  return out.toString('utf8', 0, length);
}

function hexValue(byte: number | undefined): number {
  if (byte === undefined) return -1;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

/** Slack's JSON encodings (Events API bodies, interactivity payloads): an object, or undefined. */
function parseJsonObject(text: string): SlackPayload | undefined {
  try {
    return asObject(JSON.parse(text));
  } catch {
    return undefined;
  }
}

function asObject(value: unknown): SlackPayload | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as SlackPayload) : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

const INTERACTION_TYPES = new Set([
  'block_actions',
  'view_submission',
  'view_closed',
  'shortcut',
  'message_action',
  'interactive_message',
  'dialog_submission',
  'dialog_cancellation',
  'dialog_suggestion',
  'workflow_step_edit',
]);

/**
 * What kind of payload this is, or undefined when it lacks what Bolt needs to route it or has a shape Bolt 5
 * assumes and would crash on before any listener runs (a 500, and Slack retrying). Slack never sends such
 * payloads; the checks keep a forged-but-signed or corrupted one at a 400.
 */
function classify(body: SlackPayload): Classified | undefined {
  const triggerKey = str(body.trigger_id) ? `trigger:${body.trigger_id}` : undefined;
  if (!optionalId(body.team_id) || !optionalId(body.enterprise_id)) return undefined;

  if (body.type === 'event_callback') {
    const event = asObject(body.event);
    if (!event || !str(event.type)) return undefined;
    // Bolt reads these as a string or an object (message events carry objects for some subtypes).
    if (!stringOrObject(event.user) || !stringOrObject(event.channel)) return undefined;
    if (!optionalId(event.team) && !asObject(event.team)) return undefined;
    // Bolt reads the workspace of an event from its first authorization when there is one.
    if (Array.isArray(body.authorizations) && body.authorizations.length > 0) {
      const first = asObject(body.authorizations[0]);
      if (!first || !optionalId(first.team_id) || !optionalId(first.enterprise_id)) return undefined;
    }
    return { kind: 'event', deliveryKey: str(body.event_id) ? `event:${body.event_id}` : undefined };
  }
  if (str(body.command)) {
    if (!str(body.team_id) || !str(body.user_id)) return undefined;
    return { kind: 'command', deliveryKey: triggerKey };
  }
  if (!hasSlackIds(body)) return undefined;
  if (body.type === 'block_suggestion') {
    // Typeahead requests repeat legitimately (same text typed twice) and have no trigger_id: never keyed.
    return str(body.action_id) ? { kind: 'options' } : undefined;
  }
  if (typeof body.type === 'string' && INTERACTION_TYPES.has(body.type)) {
    // Bolt takes the first of `actions`, whenever there is the field, as the action.
    if ((body.type === 'block_actions' || body.actions !== undefined) && !isActionList(body.actions)) return undefined;
    if ((body.type === 'view_submission' || body.type === 'view_closed') && !asObject(body.view)) return undefined;
    return { kind: 'interaction', deliveryKey: triggerKey ?? viewClosedKey(body) };
  }
  return undefined;
}

/**
 * Workspace and organisation ids as Slack spells them (`T…`, `E…`: upper-case letters and digits). Bolt keys a
 * plain object by them (its client pool), so a name like "valueOf" would crash it.
 */
const SLACK_ID = /^[A-Z0-9]+$/;

/** Absent, null or empty (some payloads carry `enterprise_id=` outside Enterprise Grid), or a Slack id. */
function optionalId(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (typeof value === 'string' && SLACK_ID.test(value));
}

function stringOrObject(value: unknown): boolean {
  return value === undefined || typeof value === 'string' || asObject(value) !== undefined;
}

/** Interactions: who clicked (a non-empty id), and which workspace and organisation, when they say. */
function hasSlackIds(body: SlackPayload): boolean {
  const user = asObject(body.user);
  const userId = user ? user.id : body.user_id;
  if (!str(userId)) return false;
  if (user && !optionalId(user.team_id)) return false;
  for (const holder of [body.team, body.enterprise]) {
    if (holder === undefined || holder === null) continue;
    const object = asObject(holder);
    if (!object || !str(object.id) || !SLACK_ID.test(object.id as string)) return false;
  }
  return true;
}

/** Bolt takes the first action as the payload and reads its ids: a non-empty list of objects with an action_id. */
function isActionList(actions: unknown): boolean {
  return (
    Array.isArray(actions) &&
    actions.length > 0 &&
    actions.every((action) => asObject(action) !== undefined && typeof action.action_id === 'string')
  );
}

const NAMED_TYPES = new Set<SlackRequestType>([
  'block_actions',
  'view_submission',
  'view_closed',
  'block_suggestion',
  'shortcut',
  'message_action',
  'url_verification',
  'app_rate_limited',
]);

/** The metric label of a payload: Slack's name for the common types, a catch-all for the rest. */
function payloadType(body: SlackPayload | undefined): SlackRequestType {
  if (!body) return 'unknown';
  if (body.type === 'event_callback') return 'event';
  if (typeof body.command === 'string') return 'command';
  if (NAMED_TYPES.has(body.type as SlackRequestType)) return body.type as SlackRequestType;
  if (typeof body.type === 'string' && INTERACTION_TYPES.has(body.type)) return 'interaction';
  return 'unknown';
}

function viewClosedKey(body: SlackPayload): string | undefined {
  const view = asObject(body.view);
  return body.type === 'view_closed' && view && typeof view.id === 'string' ? `view_closed:${view.id}` : undefined;
}

/**
 * Ack bodies a listener built once and froze (the help, say) are serialised once, to UTF-8 bytes: JSON.stringify
 * of a Block Kit message was about 5% of a slash command's CPU, and a string body is copied into the response
 * headers' string and encoded again on every write (about 4 KB of garbage per answer for the help).
 */
const serialisedFrozenBodies = new WeakMap<object, Buffer>();

function sendAckBody(reply: FastifyReply, body: AckBody): FastifyReply {
  if (body === undefined || body === '') return reply.code(200).send();
  if (typeof body === 'string') return reply.code(200).type('text/plain; charset=utf-8').send(body);
  if (!Object.isFrozen(body)) return reply.code(200).send(body);
  let json = serialisedFrozenBodies.get(body);
  if (json === undefined) {
    json = Buffer.from(JSON.stringify(body), 'utf8');
    serialisedFrozenBodies.set(body, json);
  }
  return reply.code(200).type('application/json; charset=utf-8').send(json);
}

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
import { type AckFn, type App, type Receiver, type ReceiverEvent, ReceiverMultipleAckError } from '@slack/bolt';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import { checkSlackSignature } from '../http/slackSignature.js';
import type { Logger } from '../logging.js';
import type { SlackRequestOutcome, SlackRequestType } from '../observability/metrics.js';

export const SLACK_EVENTS_PATH = '/slack/events';

/** Slack gives 3 s; answering at 2.5 s leaves room for the network. */
const DEFAULT_ACK_DEADLINE_MS = 2_500;
/** Slack retries an event up to three times over about five minutes. */
const DEFAULT_DEDUPE_TTL_MS = 15 * 60_000;
const DEFAULT_DEDUPE_MAX = 10_000;
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

type AckBody = string | Record<string, unknown> | undefined;

type Outcome = { kind: 'acked'; body: AckBody } | { kind: 'deadline' } | { kind: 'unhandled' } | { kind: 'failed' };

type SlackPayload = Record<string, unknown>;

interface Classified {
  kind: 'event' | 'command' | 'interaction' | 'options';
  /** Identifies the delivery across retries: event_id or trigger_id. */
  deliveryKey?: string;
}

export class FastifyReceiver implements Receiver {
  private app: App | undefined;
  private readonly now: () => number;
  /** Keys of deliveries already received, bounded in number and age (on the injected clock). */
  private readonly deliveries: LRUCache<string, true>;
  readonly path: string;

  constructor(private readonly options: FastifyReceiverOptions) {
    if (!options.signingSecret) throw new Error('FastifyReceiver needs the Slack signing secret.');
    this.now = options.now ?? Date.now;
    this.path = options.path ?? SLACK_EVENTS_PATH;
    this.deliveries = new LRUCache<string, true>({
      max: options.dedupe?.maxEntries ?? DEFAULT_DEDUPE_MAX,
      ttl: options.dedupe?.ttlMs ?? DEFAULT_DEDUPE_TTL_MS,
      // Read the injected clock on every check (lru-cache otherwise memoises `now` for a moment).
      perf: { now: this.now },
      ttlResolution: 0,
    });
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
    instance.addContentTypeParser(
      '*',
      { parseAs: 'string', bodyLimit: this.options.bodyLimit ?? DEFAULT_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );
    instance.post(this.path, (request, reply) => this.handle(request, reply));
  };

  private async handle(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const log = request.log;
    const rawBody = typeof request.body === 'string' ? request.body : '';
    const contentType = String(request.headers['content-type'] ?? '');
    const isForm = contentType.startsWith('application/x-www-form-urlencoded');

    const observed = (type: SlackRequestType, outcome: SlackRequestOutcome, answer: FastifyReply) => {
      this.options.onOutcome?.({ type, outcome });
      return answer;
    };

    // Slack's SSL check carries no signature worth checking (Bolt skips it too) and needs nothing but a 200.
    if (isForm && new URLSearchParams(rawBody).get('ssl_check') === '1') {
      return observed('ssl_check', 'ok', reply.code(200).send());
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
      return observed(
        payloadType(parseBody(rawBody, isForm, contentType)),
        'rejected_signature',
        reply.code(401).send(),
      );
    }

    const body = parseBody(rawBody, isForm, contentType);
    if (!body) {
      log.warn({ contentType }, 'rejected a Slack request: body is not a Slack payload');
      return observed('unknown', 'bad_request', reply.code(400).header('x-slack-no-retry', '1').send());
    }
    const type = payloadType(body);
    if (body.type === 'url_verification') {
      return typeof body.challenge === 'string'
        ? observed(type, 'ok', reply.code(200).send({ challenge: body.challenge }))
        : observed(type, 'bad_request', reply.code(400).send());
    }
    if (body.type === 'app_rate_limited') {
      log.warn({ minute: body.minute_rate_limited }, 'Slack reports the app is rate limited for events');
      return observed(type, 'ok', reply.code(200).send());
    }

    const classified = classify(body);
    if (!classified) {
      log.warn('rejected a Slack request: unrecognised payload shape');
      return observed(type, 'bad_request', reply.code(400).header('x-slack-no-retry', '1').send());
    }

    const retryNum = parseRetryNum(header(request, 'x-slack-retry-num'));
    const retryReason = header(request, 'x-slack-retry-reason');
    if (this.isDuplicate(classified, rawBody, retryNum)) {
      log.info(
        { kind: classified.kind, retryNum, retryReason },
        'duplicate Slack delivery acknowledged, not processed',
      );
      return observed(type, 'retry_skipped', reply.code(200).header('x-slack-no-retry', '1').send());
    }

    const outcome = await this.dispatch(body, retryNum, retryReason, log);
    switch (outcome.kind) {
      case 'acked':
        return observed(type, 'ok', sendAckBody(reply, outcome.body));
      case 'deadline':
        log.warn({ kind: classified.kind }, 'no listener acknowledged in time; acknowledged on its behalf');
        return observed(type, 'ack_deadline', reply.code(200).send());
      case 'unhandled':
        log.warn({ kind: classified.kind }, 'no listener handled the Slack request');
        return observed(type, 'unhandled', reply.code(404).header('x-slack-no-retry', '1').send());
      case 'failed':
        return observed(type, 'error', reply.code(500).header('x-slack-no-retry', '1').send());
    }
  }

  /**
   * A delivery is a duplicate when its event_id/trigger_id was seen, or, for payloads without one, when Slack
   * marks it as a retry of an identical body. It is recorded before processing starts, so a retry that arrives
   * while the first delivery is still running (Slack retries after 3 s) is dropped too.
   */
  private isDuplicate(classified: Classified, rawBody: string, retryNum: number | undefined): boolean {
    const bodyKey = `body:${createHash('sha256').update(rawBody).digest('base64url')}`;
    const deliveryKey = classified.deliveryKey;
    const duplicate =
      (deliveryKey !== undefined && this.deliveries.has(deliveryKey)) ||
      (retryNum !== undefined && this.deliveries.has(bodyKey));
    if (deliveryKey !== undefined) this.deliveries.set(deliveryKey, true);
    this.deliveries.set(bodyKey, true);
    return duplicate;
  }

  private dispatch(
    body: SlackPayload,
    retryNum: number | undefined,
    retryReason: string | undefined,
    log: Logger,
  ): Promise<Outcome> {
    const app = this.app;
    if (!app) throw new Error('FastifyReceiver used before Bolt called init().');
    const processBeforeResponse = this.options.processBeforeResponse ?? false;

    return new Promise<Outcome>((resolve) => {
      let answered = false;
      let acked = false;
      let heldBody: AckBody;
      const answer = (outcome: Outcome) => {
        if (answered) return;
        answered = true;
        if (deadline) clearTimeout(deadline);
        resolve(outcome);
      };

      const ack: AckFn<any> = async (response?: AckBody) => {
        if (acked) throw new ReceiverMultipleAckError();
        acked = true;
        if (answered) {
          log.warn('a listener acknowledged after Slack had already been answered');
          return;
        }
        if (processBeforeResponse) heldBody = response;
        else answer({ kind: 'acked', body: response });
      };

      const deadline = processBeforeResponse
        ? undefined
        : setTimeout(() => answer({ kind: 'deadline' }), this.options.ackDeadlineMs ?? DEFAULT_ACK_DEADLINE_MS);

      const event: ReceiverEvent = { body, ack, retryNum, retryReason };
      app.processEvent(event).then(
        () => answer(acked ? { kind: 'acked', body: heldBody } : { kind: 'unhandled' }),
        (error: unknown) => {
          log.error({ err: error }, 'processing a Slack request failed');
          answer(acked ? { kind: 'acked', body: heldBody } : { kind: 'failed' });
        },
      );
    });
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

/** Slack's three encodings: a flat form (slash commands), `payload=<json>` (interactivity), JSON (events). */
function parseBody(rawBody: string, isForm: boolean, contentType: string): SlackPayload | undefined {
  try {
    if (isForm) {
      const form = new URLSearchParams(rawBody);
      const payload = form.get('payload');
      if (payload !== null) return asObject(JSON.parse(payload));
      const flat = Object.fromEntries(form);
      return Object.keys(flat).length > 0 ? flat : undefined;
    }
    if (contentType.startsWith('application/json')) return asObject(JSON.parse(rawBody));
    return undefined;
  } catch {
    return undefined;
  }
}

function asObject(value: unknown): SlackPayload | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as SlackPayload) : undefined;
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
 * What kind of payload this is, or undefined when it lacks what Bolt needs to route it (a payload Bolt cannot
 * type is otherwise silently ignored, leaving Slack waiting).
 */
function classify(body: SlackPayload): Classified | undefined {
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  const triggerKey = str(body.trigger_id) ? `trigger:${body.trigger_id}` : undefined;

  if (body.type === 'event_callback') {
    const event = asObject(body.event);
    if (!event || !str(event.type)) return undefined;
    return { kind: 'event', deliveryKey: str(body.event_id) ? `event:${body.event_id}` : undefined };
  }
  if (str(body.command)) {
    if (!str(body.team_id) || !str(body.user_id)) return undefined;
    return { kind: 'command', deliveryKey: triggerKey };
  }
  if (body.type === 'block_suggestion') {
    // Typeahead requests repeat legitimately (same text typed twice) and have no trigger_id: never keyed.
    return str(body.action_id) ? { kind: 'options' } : undefined;
  }
  if (typeof body.type === 'string' && INTERACTION_TYPES.has(body.type)) {
    if (!asObject(body.user) && !str(body.user_id)) return undefined;
    return { kind: 'interaction', deliveryKey: triggerKey ?? viewClosedKey(body) };
  }
  return undefined;
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

function sendAckBody(reply: FastifyReply, body: AckBody): FastifyReply {
  if (body === undefined || body === '') return reply.code(200).send();
  if (typeof body === 'string') return reply.code(200).type('text/plain; charset=utf-8').send(body);
  return reply.code(200).send(body);
}

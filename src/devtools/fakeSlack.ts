/**
 * A recording fake of Slack's Web API, as a `fetch` function. Give it to Bolt and WebClient as
 * `clientOptions: { fetch: slack.fetch, slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } }`.
 * It sees every outbound call: Web API methods (`http://slack.test/api/<method>`), `respond()` POSTs to
 * `http://slack.test/respond/...` (use `responseUrl()` in payloads), and file bytes posted to the
 * `upload_url` that `files.getUploadURLExternal` hands out. Anything else fails loudly (404 + a recorded
 * `unexpected` entry), so neither a test nor the demo can ever reach the real Slack.
 *
 * Dev tooling, not part of the bot: the test suite (through test/support/fakeSlack.ts) and `npm run demo` use it.
 *
 *   const slack = createFakeSlack();
 *   ... drive the app ...
 *   expect(slack.callsTo('chat.postEphemeral')[0].args.blocks).toHaveLength(2);
 *   slack.failNext('chat.postMessage', 'not_in_channel');      // scripted failure, once
 *   slack.rejectNativeBlocks = true;                             // table / data_visualization → invalid_blocks
 *
 * Block Kit limits are enforced like Slack does: messages answer `invalid_blocks`, views `invalid_arguments`,
 * with the problems in `response_metadata.messages` (and recorded on the call as `problems`).
 */
import { randomBytes } from 'node:crypto';
import { type CheckOptions, checkMessageBlocks, checkView } from './blockKitLimits.js';

export const FAKE_SLACK_ORIGIN = 'http://slack.test';
export const FAKE_SLACK_API_URL = `${FAKE_SLACK_ORIGIN}/api/`;

export interface SlackCall {
  method: string;
  /** Form fields, with JSON-encoded ones (blocks, view, attachments, files, …) decoded. */
  args: Record<string, any>;
  /** The bearer token the call carried. */
  token?: string;
  /** What the fake answered. */
  response: Record<string, any>;
  /** Block Kit problems found in the call, if it was refused for them. */
  problems?: string[];
}

export interface ResponseUrlPost {
  url: string;
  /** The JSON body Bolt's `respond()` sent. */
  body: Record<string, any>;
  status: number;
  problems?: string[];
}

export interface UploadPost {
  url: string;
  fileId: string;
  bytes: number;
  token?: string;
}

export interface ScriptedFailure {
  /** Slack's error code, e.g. `not_in_channel`, `invalid_blocks`, `ratelimited`, `expired_trigger_id`. */
  error: string;
  /** HTTP status to answer with (429 for rate limits, 500 for a Slack outage). Default 200 (`ok: false`). */
  status?: number;
  /** Seconds, for 429s. */
  retryAfter?: number;
  /** Extra fields merged into the error body (e.g. `response_metadata`). */
  extra?: Record<string, unknown>;
}

export interface FakeSlackUser {
  id: string;
  name?: string;
  real_name?: string;
  tz?: string;
  is_bot?: boolean;
  /** Workspace admin / owner flags, as users.info reports them (default false). */
  is_admin?: boolean;
  is_owner?: boolean;
  is_primary_owner?: boolean;
}

export interface FakeSlackOptions extends CheckOptions {
  /** Bot identity answered by auth.test. */
  botUserId?: string;
  botId?: string;
  teamId?: string;
}

export interface FakeSlack {
  readonly fetch: typeof fetch;
  readonly apiUrl: string;
  readonly calls: SlackCall[];
  readonly responses: ResponseUrlPost[];
  readonly uploads: UploadPost[];
  /** Requests to URLs the fake does not serve. A test that sees any of these has a bug. */
  readonly unexpected: string[];
  /** Refuse native data blocks (table, data_table, data_visualization) with `invalid_blocks`. */
  rejectNativeBlocks: boolean;
  callsTo(method: string): SlackCall[];
  lastCall(method: string): SlackCall | undefined;
  /** Methods called, in order (e.g. `['chat.postEphemeral', 'views.publish']`). */
  methods(): string[];
  /** The next `times` calls (default 1) to `method` fail with `failure`. */
  failNext(method: string, failure: string | ScriptedFailure, times?: number): void;
  /** Every call to `method` fails until `clearFailures()`. */
  failAlways(method: string, failure: string | ScriptedFailure): void;
  clearFailures(): void;
  addUser(user: FakeSlackUser): void;
  /** The last view published to a user's App Home. */
  homeOf(userId: string): Record<string, any> | undefined;
  /** A response_url the fake accepts; put it in slash-command and interaction payloads. */
  responseUrl(): string;
  /** Resolves when a call to `method` (matching `predicate`) has been recorded; for flows that end after the ack. */
  waitFor(method: string, predicate?: (call: SlackCall) => boolean, timeoutMs?: number): Promise<SlackCall>;
  reset(): void;
}

/** Fields WebClient sends JSON-encoded inside the form body. */
const JSON_FIELDS = new Set([
  'blocks',
  'attachments',
  'view',
  'files',
  'metadata',
  'options',
  'option_groups',
  'user_auth_blocks',
  'chunks',
]);

const MESSAGE_METHODS = new Set([
  'chat.postMessage',
  'chat.postEphemeral',
  'chat.update',
  'chat.scheduleMessage',
  'files.completeUploadExternal',
]);
const VIEW_METHODS = new Set(['views.open', 'views.update', 'views.push', 'views.publish']);

const id = (prefix: string) => `${prefix}${randomBytes(5).toString('hex').toUpperCase()}`;

export function createFakeSlack(options: FakeSlackOptions = {}): FakeSlack {
  const teamId = options.teamId ?? 'T0TEST';
  const calls: SlackCall[] = [];
  const responses: ResponseUrlPost[] = [];
  const uploads: UploadPost[] = [];
  const unexpected: string[] = [];
  const scripted = new Map<string, Array<{ failure: ScriptedFailure; remaining: number }>>();
  const users = new Map<string, FakeSlackUser>();
  const views = new Map<string, Record<string, any>>();
  const homes = new Map<string, Record<string, any>>();
  const pendingUploads = new Map<string, { filename?: string; title?: string }>();
  const waiters: Array<{ method: string; predicate: (c: SlackCall) => boolean; resolve: (c: SlackCall) => void }> = [];
  let clock = 1_700_000_000;

  const nextTs = () => {
    clock += 1;
    return `${clock}.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  };

  const takeFailure = (method: string): ScriptedFailure | undefined => {
    const queue = scripted.get(method);
    const entry = queue?.[0];
    if (!queue || !entry) return undefined;
    if (entry.remaining !== Number.POSITIVE_INFINITY) entry.remaining -= 1;
    if (entry.remaining <= 0) queue.shift();
    return entry.failure;
  };

  const record = (call: SlackCall) => {
    calls.push(call);
    for (const waiter of [...waiters]) {
      if (waiter.method === call.method && waiter.predicate(call)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(call);
      }
    }
  };

  const checkOptions = (): CheckOptions => ({ rejectNativeBlocks: fake.rejectNativeBlocks });

  const answerMethod = (method: string, args: Record<string, any>): Answer => {
    const failure = takeFailure(method);
    if (failure) {
      const status = failure.status ?? 200;
      const headers = status === 429 ? { 'retry-after': String(failure.retryAfter ?? 1) } : undefined;
      return { status, body: { ok: false, error: failure.error, ...failure.extra }, headers };
    }
    if (MESSAGE_METHODS.has(method) && args.blocks !== undefined) {
      const problems = checkMessageBlocks(args.blocks, checkOptions());
      if (problems.length > 0) return invalid('invalid_blocks', problems);
    }
    if (VIEW_METHODS.has(method)) {
      const problems = checkView(args.view, checkOptions());
      if (problems.length > 0) return invalid('invalid_arguments', problems);
    }
    const ok = (body: Record<string, any>) => ({ status: 200, body: { ok: true, ...body } });
    switch (method) {
      case 'auth.test':
        return ok({
          url: `${FAKE_SLACK_ORIGIN}/`,
          team: 'Test Team',
          user: 'audience-bot',
          team_id: teamId,
          user_id: options.botUserId ?? 'UBOT',
          bot_id: options.botId ?? 'BBOT',
        });
      case 'chat.postMessage': {
        if (!args.channel) return { status: 200, body: { ok: false, error: 'channel_not_found' } };
        if (!args.text && !args.blocks && !args.attachments)
          return { status: 200, body: { ok: false, error: 'no_text' } };
        const channel = String(args.channel).startsWith('U') ? `D${String(args.channel).slice(1)}` : args.channel;
        const ts = nextTs();
        return ok({
          channel,
          ts,
          message: { type: 'message', text: args.text, blocks: args.blocks, ts, thread_ts: args.thread_ts },
        });
      }
      case 'chat.postEphemeral':
        if (!args.channel || !args.user) return { status: 200, body: { ok: false, error: 'invalid_arguments' } };
        return ok({ message_ts: nextTs() });
      case 'chat.update':
        return ok({
          channel: args.channel,
          ts: args.ts,
          text: args.text,
          message: { text: args.text, blocks: args.blocks },
        });
      case 'chat.delete':
        return ok({ channel: args.channel, ts: args.ts });
      case 'chat.getPermalink':
        return ok({
          channel: args.channel,
          permalink: `${FAKE_SLACK_ORIGIN}/archives/${args.channel}/p${String(args.message_ts ?? '').replace('.', '')}`,
        });
      case 'conversations.join':
        return ok({ channel: { id: args.channel, is_member: true } });
      case 'conversations.open':
        return ok({
          channel: {
            id: `D${String(args.users ?? 'X')
              .split(',')[0]
              ?.slice(1)}`,
          },
        });
      case 'users.info': {
        const user = users.get(String(args.user));
        if (!user) return { status: 200, body: { ok: false, error: 'user_not_found' } };
        return ok({
          user: {
            id: user.id,
            team_id: teamId,
            name: user.name ?? user.id.toLowerCase(),
            real_name: user.real_name ?? user.name ?? user.id,
            tz: user.tz ?? 'Europe/Amsterdam',
            is_bot: user.is_bot ?? false,
            is_admin: user.is_admin ?? false,
            is_owner: user.is_owner ?? false,
            is_primary_owner: user.is_primary_owner ?? false,
            profile: { real_name: user.real_name ?? user.id, display_name: user.name ?? user.id },
          },
        });
      }
      case 'views.open':
      case 'views.push': {
        const view = { ...args.view, id: id('V'), hash: id('h'), team_id: teamId, state: { values: {} } };
        views.set(view.id, view);
        return ok({ view });
      }
      case 'views.update': {
        const existing = args.view_id ? views.get(String(args.view_id)) : undefined;
        if (args.view_id && !existing) return { status: 200, body: { ok: false, error: 'not_found' } };
        if (existing && args.hash && args.hash !== existing.hash) {
          return { status: 200, body: { ok: false, error: 'hash_conflict' } };
        }
        const view = {
          ...args.view,
          id: existing?.id ?? id('V'),
          hash: id('h'),
          team_id: teamId,
          state: { values: {} },
        };
        views.set(view.id, view);
        return ok({ view });
      }
      case 'views.publish': {
        if (!args.user_id) return { status: 200, body: { ok: false, error: 'invalid_arguments' } };
        const view = { ...args.view, id: id('V'), hash: id('h'), team_id: teamId };
        homes.set(String(args.user_id), view);
        return ok({ view });
      }
      case 'files.getUploadURLExternal': {
        const fileId = id('F');
        pendingUploads.set(fileId, { filename: args.filename });
        return ok({ upload_url: `${FAKE_SLACK_ORIGIN}/upload/${fileId}`, file_id: fileId });
      }
      case 'files.completeUploadExternal': {
        const files = Array.isArray(args.files) ? args.files : [];
        for (const f of files) {
          if (!pendingUploads.has(f.id)) return { status: 200, body: { ok: false, error: 'file_not_found' } };
        }
        return ok({
          files: files.map((f: any) => ({ id: f.id, title: f.title ?? pendingUploads.get(f.id)?.filename })),
        });
      }
      case 'files.info':
        return ok({
          file: { id: args.file, shares: args.channel ? { public: { [args.channel]: [{ ts: nextTs() }] } } : {} },
        });
      default:
        return { status: 200, body: { ok: false, error: 'unknown_method' } };
    }
  };

  const handle = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const token = request.headers.get('authorization')?.replace(/^Bearer\s+/i, '') || undefined;

    if (url.origin === FAKE_SLACK_ORIGIN && url.pathname.startsWith('/api/')) {
      const method = url.pathname.slice('/api/'.length);
      const args = await readArgs(request);
      const answer = answerMethod(method, args);
      record({ method, args, token: token ?? args.token, response: answer.body, problems: answer.problems });
      return new Response(JSON.stringify(answer.body), {
        status: answer.status,
        headers: { 'content-type': 'application/json', ...answer.headers },
      });
    }

    if (url.origin === FAKE_SLACK_ORIGIN && url.pathname.startsWith('/respond/')) {
      const text = await request.text();
      let body: Record<string, any> = {};
      try {
        body = JSON.parse(text);
      } catch {
        responses.push({ url: request.url, body: { raw: text }, status: 400 });
        return new Response('invalid_payload', { status: 400 });
      }
      const problems = body.blocks !== undefined ? checkMessageBlocks(body.blocks, checkOptions()) : [];
      const status = problems.length > 0 ? 400 : 200;
      responses.push({ url: request.url, body, status, problems: problems.length > 0 ? problems : undefined });
      return status === 200
        ? new Response('ok', { status })
        : new Response(
            JSON.stringify({ ok: false, error: 'invalid_blocks', response_metadata: { messages: problems } }),
            {
              status,
              headers: { 'content-type': 'application/json' },
            },
          );
    }

    if (url.origin === FAKE_SLACK_ORIGIN && url.pathname.startsWith('/upload/')) {
      const fileId = url.pathname.slice('/upload/'.length);
      if (!pendingUploads.has(fileId)) return new Response('unknown upload', { status: 404 });
      const form = await request.formData().catch(() => undefined);
      const part = form?.get('body') ?? form?.get('file');
      const bytes = part instanceof Blob ? part.size : typeof part === 'string' ? Buffer.byteLength(part) : 0;
      uploads.push({ url: request.url, fileId, bytes, token });
      return new Response(`OK - ${bytes}`, { status: 200 });
    }

    unexpected.push(`${request.method} ${request.url}`);
    return new Response('the fake Slack does not serve this URL', { status: 404 });
  };

  const fake: FakeSlack = {
    fetch: (async (input: Parameters<typeof fetch>[0], init?: RequestInit) =>
      handle(new Request(input as any, init))) as typeof fetch,
    apiUrl: FAKE_SLACK_API_URL,
    calls,
    responses,
    uploads,
    unexpected,
    rejectNativeBlocks: options.rejectNativeBlocks ?? false,
    callsTo: (method) => calls.filter((c) => c.method === method),
    lastCall: (method) => calls.filter((c) => c.method === method).at(-1),
    methods: () => calls.map((c) => c.method),
    failNext(method, failure, times = 1) {
      const entry = { failure: typeof failure === 'string' ? { error: failure } : failure, remaining: times };
      scripted.set(method, [...(scripted.get(method) ?? []), entry]);
    },
    failAlways(method, failure) {
      const entry = {
        failure: typeof failure === 'string' ? { error: failure } : failure,
        remaining: Number.POSITIVE_INFINITY,
      };
      scripted.set(method, [entry]);
    },
    clearFailures: () => scripted.clear(),
    addUser: (user) => void users.set(user.id, user),
    homeOf: (userId) => homes.get(userId),
    responseUrl: () => `${FAKE_SLACK_ORIGIN}/respond/${id('R')}`,
    waitFor(method, predicate = () => true, timeoutMs = 5_000) {
      const done = calls.find((c) => c.method === method && predicate(c));
      if (done) return Promise.resolve(done);
      return new Promise<SlackCall>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`fake Slack: no ${method} call within ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          method,
          predicate,
          resolve: (c) => {
            clearTimeout(timer);
            resolve(c);
          },
        });
      });
    },
    reset() {
      calls.length = 0;
      responses.length = 0;
      uploads.length = 0;
      unexpected.length = 0;
      scripted.clear();
      homes.clear();
      views.clear();
    },
  };
  return fake;
}

interface Answer {
  status: number;
  body: Record<string, any>;
  headers?: Record<string, string>;
  problems?: string[];
}

function invalid(error: string, problems: string[]): Answer {
  return {
    status: 200,
    body: { ok: false, error, errors: problems, response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) } },
    problems,
  };
}

async function readArgs(request: Request): Promise<Record<string, any>> {
  const contentType = request.headers.get('content-type') ?? '';
  const args: Record<string, any> = {};
  if (contentType.startsWith('application/json')) {
    return (await request.json().catch(() => ({}))) as Record<string, any>;
  }
  if (contentType.startsWith('multipart/form-data')) {
    const form = await request.formData();
    for (const [key, value] of form) args[key] = typeof value === 'string' ? decodeField(key, value) : value;
    return args;
  }
  for (const [key, value] of new URLSearchParams(await request.text())) args[key] = decodeField(key, value);
  return args;
}

function decodeField(key: string, value: string): unknown {
  if (!JSON_FIELDS.has(key)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/**
 * Faults soak: a few thousand mixed Slack requests (slash commands, quick queries, status and help, modal
 * openings, updates and submissions, Share / Break down / Re-run / Edit / Compare clicks, typeahead, App Home
 * events) from linked and unlinked people, against the real app, while the LinkedIn sandbox adds latency and
 * answers 429 and 500 at random (10% each; then a short storm where every attempt fails, so retries run out).
 * The LinkedIn client keeps its production retries and backoff.
 *
 * Asserted: no unhandled rejection or uncaught exception, no listener failure, every request answered 2xx within
 * its deadline, every person answered (ack body, respond(), or a message, view or Home addressed to them), every
 * stored query ends `done` or `failed` with its last message a result or a clear error respectively, nothing a
 * person reads leaks a stack trace or a credential, the heap does not keep growing, and the bounded in-memory
 * structures stay within their bounds. Counts and heap figures are printed.
 */
import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredQuery } from '../../src/db/types.js';
import { GROUP_BY_FACETS } from '../../src/linkedin/facets.js';
import { ACTION } from '../../src/slack/blocks/actions.js';
import { queryFlowExtension } from '../../src/slack/query/index.js';
import { decodeModalMetadata, encodeModalMetadata, MODAL_ACTION } from '../../src/slack/views/audienceModal.js';
import { type ModalInput, messageAction, modalAction, modalValues, submitView } from '../query/support.js';
import { TEST_TEAM_ID, triggerId } from '../support/slackRequests.js';
import { createTestApp, type TestApp } from '../support/testApp.js';
import {
  DeadlineError,
  installProcessGuard,
  leaksIn,
  mb,
  type ProcessGuard,
  type Random,
  readableText,
  runPool,
  seededRandom,
  settledHeapUsed,
  weighted,
  withDeadline,
} from './harness.js';
import {
  type AnswerKind,
  addressedTo,
  answerKind,
  CHANNEL,
  dmOf,
  queryIdsIn,
  SOAK_USERS,
  type SoakUser,
  US,
} from './world.js';

const SEED = Number(process.env.SOAK_SEED ?? 20_260_501);
const ROUNDS = Number(process.env.SOAK_ROUNDS ?? 6);
const REQUESTS_PER_ROUND = 400;
/**
 * A request may wait out LinkedIn's retries (three a call, up to 3.5 s of backoff together; a quick query makes
 * several calls); anything longer is a hang.
 */
const REQUEST_DEADLINE_MS = 25_000;
const FAULTS = { rate429: 0.1, rate500: 0.1, maxLatencyMs: 5 };
/**
 * Heap growth allowed between the end of round 2 and the end of the run, with what the test records dropped
 * each round. About 5 KB a request over the last 1,680: a leak of anything per request or per query shows.
 */
const HEAP_GROWTH_LIMIT = 8 * 1024 * 1024;
/** Small, so the insights result cache is full after round 1 and the heap compared is the steady state. */
const RESULT_CACHE_MAX = 50;

type TaskKind =
  | 'modal'
  | 'modalInvalid'
  | 'modalUpdate'
  | 'quick'
  | 'quickTypo'
  | 'status'
  | 'help'
  | 'share'
  | 'breakDown'
  | 'rerun'
  | 'edit'
  | 'compare'
  | 'staleClick'
  | 'options'
  | 'home';

const LINKED_WEIGHTS: Record<TaskKind, number> = {
  modal: 16,
  modalInvalid: 3,
  modalUpdate: 4,
  quick: 12,
  quickTypo: 3,
  status: 4,
  help: 3,
  share: 8,
  breakDown: 12,
  rerun: 9,
  edit: 5,
  compare: 3,
  staleClick: 2,
  options: 10,
  home: 6,
};
const UNLINKED_KINDS: readonly TaskKind[] = ['modal', 'quick', 'status', 'breakDown', 'rerun', 'options', 'home'];
const STORM_KINDS: readonly TaskKind[] = ['modal', 'quick', 'rerun'];

/** What the person got: a query's answer (result or error), a refusal/prompt/notice, or a view. */
type Answer = AnswerKind | 'ack' | 'respond' | 'view' | 'none';

/**
 * A copy of a string that does not point into the one it was cut from: the fake Slack's form fields are slices of
 * the whole request body, and keeping one would keep that body alive (the test's own leak, not the app's).
 */
const detach = (s: string): string => JSON.parse(JSON.stringify(s)) as string;

interface Window {
  user: SoakUser;
  callsFrom: number;
  /** The person's latest stored query before the task: a newer one was made by it. */
  latestBefore: string | undefined;
  responseUrls: Set<string>;
  triggers: Set<string>;
  views: Set<string>;
  acks: LightMyRequestResponse[];
}

describe('soak under LinkedIn faults', () => {
  let t: TestApp;
  let guard: ProcessGuard;
  let secrets: string[];
  const random: Random = seededRandom(SEED);

  const statuses = new Map<number, number>();
  const failures: string[] = [];
  const leaks: string[] = [];
  const listenerErrors: string[] = [];
  const tasks = new Map<string, number>();
  const answers = new Map<string, number>();
  /** The kind of the last message that named each stored query (results and errors carry its id in buttons). */
  const lastMessage = new Map<string, AnswerKind>();
  /** Where each query's private answer is, for clicks on it. */
  const dmAnswerAt = new Map<string, { channel: string; ts: string }>();
  let requests = 0;
  let roundRequests = 0;
  let asks = 0;

  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

  beforeAll(async () => {
    guard = installProcessGuard();
    // A small result cache fills up within the first round, so the heap compared later is the steady state
    // (with the default 1,000 entries, the cache would still be filling at the end of the run).
    t = await createTestApp({
      extensions: [queryFlowExtension({ resultCache: { max: RESULT_CACHE_MAX } })],
      captureLogs: true,
    });
    for (const u of SOAK_USERS) {
      t.slack.addUser({ id: u.key.userId, name: u.key.userId.toLowerCase() });
      if (u.member) await t.linkUser({ userId: u.key.userId, teamId: u.key.teamId, memberId: u.member });
    }
    secrets = [
      t.signingSecret,
      t.config.slack.botToken!,
      t.sandbox.clientSecret,
      ...SOAK_USERS.flatMap((u) => {
        const link = t.app.db.repos.links.get(u.key);
        return link ? [link.accessToken, link.refreshToken ?? ''] : [];
      }),
    ];
    t.slack.reset();
    t.logs.length = 0;
  }, 60_000);

  afterAll(async () => {
    guard?.uninstall();
    await t?.close();
  });

  /** Injects one request with a deadline; records its status, and any 5xx or hang as a failure. */
  async function send(label: string, w: Window, request: Promise<LightMyRequestResponse>) {
    requests++;
    roundRequests++;
    try {
      const res = await withDeadline(request, REQUEST_DEADLINE_MS, label);
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      if (res.statusCode >= 500) failures.push(`${label}: HTTP ${res.statusCode} ${res.body.slice(0, 200)}`);
      else if (res.statusCode !== 200) failures.push(`${label}: a well-formed request got HTTP ${res.statusCode}`);
      w.acks.push(res);
      return res;
    } catch (error) {
      failures.push(error instanceof DeadlineError ? `hung: ${error.message}` : `${label}: inject failed: ${error}`);
      return undefined;
    }
  }

  const openWindow = (user: SoakUser): Window => ({
    user,
    callsFrom: t.slack.calls.length,
    latestBefore: t.app.db.repos.queries.listRecent(user.key, 1)[0]?.id,
    responseUrls: new Set(),
    triggers: new Set(),
    views: new Set(),
    acks: [],
  });

  const freshTrigger = (w: Window) => {
    const trigger = triggerId();
    w.triggers.add(trigger);
    return trigger;
  };
  const freshResponseUrl = (w: Window) => {
    const url = t.slack.responseUrl();
    w.responseUrls.add(url);
    return url;
  };

  const command = (w: Window, text: string, channelId = CHANNEL) =>
    send(
      `/audience ${text.slice(0, 40)}`,
      w,
      t.command(text, {
        userId: w.user.key.userId,
        teamId: w.user.key.teamId,
        channelId,
        triggerId: freshTrigger(w),
        responseUrl: freshResponseUrl(w),
      }),
    );

  /** The modal the person sees now: the one opened with their trigger, as last updated. */
  const modalFor = (w: Window, trigger: string): Record<string, any> | undefined => {
    const opened = t.slack.calls
      .slice(w.callsFrom)
      .find((c) => c.method === 'views.open' && c.args.trigger_id === trigger && c.response.ok);
    if (!opened) return undefined;
    const id = opened.response.view.id as string;
    w.views.add(id);
    const updates = t.slack.calls.filter(
      (c) => c.method === 'views.update' && c.response.ok && c.response.view?.id === id,
    );
    return (updates.at(-1) ?? opened).response.view;
  };

  const skills = () => t.sandbox.catalog.skills.slice(0, 40).filter((s) => /^[A-Za-z ]+$/.test(s.name));
  const groupBy = () => random.pick(GROUP_BY_FACETS.filter((f) => f.name !== 'skills')).name;

  const audience = (user: SoakUser, overrides: Partial<ModalInput> = {}): ModalInput => {
    const skill = random.pick(skills());
    return {
      account: user.account,
      include: [
        [{ facet: 'locations', values: [{ urn: US, name: 'United States' }] }],
        [{ facet: 'skills', values: [{ urn: skill.urn, name: skill.name }] }],
      ],
      groupBy: groupBy(),
      count: String(random.int(1, 15)),
      ...overrides,
    };
  };

  /** Submits `view` filled in as `input`, with the layout the modal's own updates would have written. */
  const submit = (w: Window, view: Record<string, any>, input: ModalInput, values = modalValues(input)) => {
    let metadata = view.private_metadata as string | undefined;
    try {
      const meta = decodeModalMetadata(metadata);
      metadata = encodeModalMetadata({
        ...meta,
        includeRows: (input.include ?? [[]]).map((g) => Math.max(1, g.length)),
        excludeRows: Math.max(1, input.exclude?.length ?? 1),
      });
    } catch {
      // A view that is not the audience form (e.g. "no ad account"): submitted as it is.
    }
    return send('view_submission', w, submitView(t, w.user.key, { ...view, private_metadata: metadata }, values));
  };

  /** A stored query to click on: the person's own, or anyone's (clicks on others' answers act as the clicker). */
  const someQuery = (user: SoakUser, whose: 'own' | 'others' | 'anyone'): StoredQuery | undefined => {
    const linked = SOAK_USERS.filter((u) => u.member);
    const owners = whose === 'own' ? [user] : whose === 'others' ? linked.filter((u) => u !== user) : linked;
    const owner = random.pick(owners);
    const recent = t.app.db.repos.queries.listRecent(owner.key, 15);
    return recent.length > 0 ? random.pick(recent) : undefined;
  };

  /** Where a click on `query` happens: its private answer (owner), its shared message, or a channel message. */
  const clickPlace = (user: SoakUser, query: StoredQuery): { channel: string; ts: string } => {
    const dm = dmAnswerAt.get(query.id);
    if (query.userId === user.key.userId && dm && random.chance(0.7)) return dm;
    if (query.sharedChannelId && query.sharedTs && random.chance(0.8)) {
      return { channel: query.sharedChannelId, ts: query.sharedTs };
    }
    return { channel: CHANNEL, ts: `${1_700_000_000 + random.int(0, 9999)}.000100` };
  };

  const click = (w: Window, at: { channel: string; ts: string }, action: Parameters<typeof messageAction>[3]) =>
    send(`click ${action.actionId}`, w, messageAction(t, w.user.key, at, action, freshTrigger(w)));

  async function runTask(user: SoakUser, kind: TaskKind): Promise<void> {
    const w = openWindow(user);
    const linked = user.member !== undefined;
    let expectsQuery = false;
    switch (kind) {
      case 'modal':
      case 'modalInvalid':
      case 'modalUpdate': {
        await command(w, '');
        const view = modalFor(w, [...w.triggers][0]!);
        // A modal without a Submit button is a notice (no ad account, LinkedIn failed): Slack cannot submit it.
        if (!linked || !view?.submit) break;
        if (kind === 'modalUpdate') {
          const input = audience(user);
          await send(
            'modal add group',
            w,
            modalAction(t, user.key, view, { actionId: MODAL_ACTION.addIncludeGroup }, modalValues(input)),
          );
          break;
        }
        if (kind === 'modalInvalid') {
          // A count LinkedIn cannot take and no breakdown: the form shows what to fix; nothing is asked.
          const res = await submit(w, view, { ...audience(user), groupBy: undefined, count: '0' });
          if (res && res.json().response_action !== 'errors')
            failures.push('an invalid form was not sent back with errors');
          break;
        }
        expectsQuery = true;
        await submit(w, view, audience(user));
        break;
      }
      case 'quick':
      case 'quickTypo': {
        const skill = random.pick(skills()).name;
        const text =
          kind === 'quick'
            ? `location:"United States" skill:"${skill}" by:${groupBy()} top:${random.int(1, 12)}${user.account === 'urn:li:sponsoredAccount:123' ? ' account:123' : ''}`
            : `location:"United States" skil:${skill}x by:nothing top:${random.pick(['0', 'many', '500'])}`;
        expectsQuery = kind === 'quick' && linked;
        await command(w, text);
        break;
      }
      case 'status':
        await command(w, 'status');
        break;
      case 'help':
        await command(w, random.pick(['help', '?', 'HELP']));
        break;
      case 'share': {
        // Share is on the asker's private answer (shared copies have none); others can only forge the click.
        const own = random.chance(0.85);
        // (An owner's Share on an answer already shared, from anywhere but their DM copy, is acknowledged
        // silently; no such button exists: the shared copy and the updated DM copy have none.)
        const query = someQuery(user, own ? 'own' : 'others');
        const dm = query && dmAnswerAt.get(query.id);
        if (!query || (own && !dm)) return runTask(user, 'modal');
        const at = own && dm ? dm : { channel: CHANNEL, ts: '1700000000.000200' };
        await click(w, at, { actionId: ACTION.shareToChannel, value: query.id });
        break;
      }
      case 'breakDown': {
        const query = someQuery(user, linked && random.chance(0.6) ? 'own' : 'anyone');
        if (!query) return runTask(user, linked ? 'quick' : 'status');
        const facet = random.pick(GROUP_BY_FACETS.filter((f) => f.urn !== query.spec.groupBy)).name;
        expectsQuery = linked;
        await click(w, clickPlace(user, query), { actionId: ACTION.breakDownBy, selected: `${query.id}|${facet}` });
        break;
      }
      case 'rerun': {
        const query = someQuery(user, linked && random.chance(0.7) ? 'own' : 'anyone');
        if (!query) return runTask(user, linked ? 'quick' : 'status');
        expectsQuery = linked;
        if (random.chance(0.5)) {
          await send(
            'rerun from home',
            w,
            t.action({
              actionId: ACTION.queryRerun,
              value: query.id,
              userId: user.key.userId,
              container: 'home',
              triggerId: freshTrigger(w),
            }),
          );
        } else {
          await click(w, clickPlace(user, query), { actionId: ACTION.queryRerun, value: query.id });
        }
        break;
      }
      case 'edit':
      case 'compare': {
        const query = someQuery(user, 'own');
        if (!query) return runTask(user, 'modal');
        const trigger = freshTrigger(w);
        await send(
          `click ${kind}`,
          w,
          messageAction(
            t,
            user.key,
            clickPlace(user, query),
            { actionId: kind === 'edit' ? ACTION.editQuery : ACTION.compareWith, value: query.id },
            trigger,
          ),
        );
        const view = modalFor(w, trigger);
        if (!view?.submit || random.chance(0.2)) break;
        expectsQuery = true;
        await submit(w, view, audience(user, kind === 'compare' ? { groupBy: undefined } : {}));
        break;
      }
      case 'staleClick':
        await click(
          w,
          { channel: dmOf(user.key.userId), ts: '1700000000.000100' },
          {
            actionId: random.pick([ACTION.queryRerun, ACTION.shareToChannel, ACTION.editQuery]),
            value: randomUUID(),
          },
        );
        break;
      case 'options': {
        const prefix = random.pick(skills()).name.slice(0, random.int(1, 5));
        const res = await send(
          'block_suggestion',
          w,
          t.suggest({ actionId: 'facet_values:skills', value: prefix, userId: user.key.userId }),
        );
        if (res && !Array.isArray(res.json().options)) failures.push(`typeahead answered without options: ${res.body}`);
        break;
      }
      case 'home':
        await send('app_home_opened', w, t.event(homeEvent(user.key.userId)));
        break;
    }
    settle(w, kind, expectsQuery);
  }

  const homeEvent = (userId: string) => ({
    token: 'deprecated-verification-token',
    team_id: TEST_TEAM_ID,
    api_app_id: 'A0TEST',
    type: 'event_callback',
    event_id: `Ev${randomUUID().replace(/-/g, '').slice(0, 12)}`,
    event_time: Math.floor(t.clock.now() / 1000),
    event: { type: 'app_home_opened', user: userId, channel: dmOf(userId), tab: 'home', event_ts: '1700000000.1' },
    authorizations: [{ team_id: TEST_TEAM_ID, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
  });

  /** What the person got from one task, attributed through their window; records leaks and silences. */
  function settle(w: Window, kind: TaskKind, expectsQuery: boolean) {
    bump(tasks, kind);
    const mine = t.slack.calls
      .slice(w.callsFrom)
      .filter((c) => c.response.ok && addressedTo(c, w.user.key.userId, w.views, w.triggers));
    const responded = t.slack.responses.filter((r) => w.responseUrls.has(r.url));
    const acked = w.acks.filter((r) => r.body.length > 0);

    for (const c of mine) {
      const problems = leaksIn(readableText(c.args.blocks ?? c.args.view ?? c.args.text), secrets);
      if (problems.length > 0) leaks.push(`${c.method} to ${w.user.key.userId}: ${problems.join(', ')}`);
      const kind = answerKind(c);
      if (kind === 'other' || !c.method.startsWith('chat.')) continue;
      let ids = queryIdsIn(c.args.blocks);
      // A comparison posted in a thread has no buttons: it answers the query this task made.
      if (ids.length === 0 && kind === 'result') {
        const latest = t.app.db.repos.queries.listRecent(w.user.key, 1)[0]?.id;
        ids = latest && latest !== w.latestBefore ? [latest] : [];
      }
      for (const id of ids) {
        lastMessage.set(id, kind);
        if (c.method === 'chat.update') dmAnswerAt.set(id, { channel: detach(c.args.channel), ts: detach(c.args.ts) });
      }
    }
    for (const r of [...responded.map((x) => x.body), ...acked.map((x) => x.body)]) {
      const problems = leaksIn(readableText(r), secrets);
      if (problems.length > 0) leaks.push(`answer to ${w.user.key.userId}: ${problems.join(', ')}`);
    }

    const finals = mine.filter((c) => c.method.startsWith('chat.') && answerKind(c) !== 'other');
    // A clear error says what happened and what to do next.
    for (const c of finals.filter((f) => answerKind(f) === 'error')) {
      if (!readableText(c.args.blocks).includes('*Next:*'))
        failures.push(`an error without a next step: ${c.args.text}`);
    }
    let answer: Answer = 'none';
    if (finals.length > 0) answer = answerKind(finals.at(-1)!);
    else if (responded.length > 0) answer = 'respond';
    else if (acked.length > 0) answer = 'ack';
    else if (mine.length > 0) answer = 'view';
    bump(answers, `${expectsQuery ? 'ask' : 'other'}:${answer}`);
    if (expectsQuery) asks++;
    if (expectsQuery && answer === 'view') {
      const seen = mine
        .map(
          (c) =>
            `${c.method}:${c.args.view?.callback_id ?? answerKind(c)}:${c.args.channel}:${String(c.args.text).slice(0, 200)}`,
        )
        .join(' ');
      failures.push(
        `${kind} by ${w.user.key.userId}: only a view changed [${seen}] acks ${w.acks.map((a) => a.statusCode)}`,
      );
    }
    if (answer === 'none') {
      failures.push(`${kind} by ${w.user.key.userId}: nobody answered (${w.acks.map((a) => a.statusCode).join(',')})`);
    }
  }

  /** Between rounds (nothing in flight): tally what was sent, check the logs and the store, then drop it all. */
  function closeRound(round: number) {
    const refused = t.slack.calls.filter((c) => !c.response.ok);
    for (const c of refused)
      failures.push(`round ${round}: Slack refused ${c.method}: ${c.response.error} ${c.problems ?? ''}`);
    if (t.slack.unexpected.length > 0)
      failures.push(`round ${round}: unexpected URLs ${t.slack.unexpected.join(', ')}`);
    for (const line of t.logs.flatMap((chunk) => chunk.split('\n')).filter(Boolean)) {
      const entry = JSON.parse(line) as { level: number; msg?: string; err?: { message?: string } };
      if (entry.level >= 50) listenerErrors.push(`${entry.msg}: ${entry.err?.message ?? ''}`);
    }
    for (const u of SOAK_USERS) {
      const pending = t.app.db.repos.queries.listRecent(u.key, 1_000_000).filter((q) => q.status === 'pending');
      for (const q of pending) failures.push(`round ${round}: query ${q.id} of ${u.key.userId} left pending`);
    }
    t.slack.reset();
    t.logs.length = 0;
  }

  it('answers every request and every person, ends every query, and keeps its memory', async () => {
    const started = Date.now();
    const heap: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      Object.assign(t.sandbox.knobs, {
        latencyMs: random.int(0, FAULTS.maxLatencyMs),
        rate429: FAULTS.rate429,
        rate500: FAULTS.rate500,
      });
      roundRequests = 0;
      await runPool(SOAK_USERS.length, SOAK_USERS.length, async (i) => {
        const user = SOAK_USERS[i]!;
        while (roundRequests < REQUESTS_PER_ROUND) {
          const kind = user.member ? weighted(random, LINKED_WEIGHTS) : random.pick(UNLINKED_KINDS);
          await runTask(user, kind);
        }
      });
      closeRound(round);
      // Time moves on between rounds: caches and their TTLs turn over as they would in a day of use.
      t.clock.advance(11 * 60_000);
      heap.push(await settledHeapUsed());
    }
    // A storm: every LinkedIn attempt fails, half with 429 and half with 500, so retries run out and queries fail
    // for LinkedIn's reasons too (at 10% + 10%, three retries absorb nearly all of it). Two asks per person.
    Object.assign(t.sandbox.knobs, { rate429: 0.5, rate500: 0.5 });
    await runPool(SOAK_USERS.length, SOAK_USERS.length, async (i) => {
      const user = SOAK_USERS[i]!;
      for (let k = 0; k < 2; k++) await runTask(user, random.pick(STORM_KINDS));
    });
    closeRound(ROUNDS + 1);
    Object.assign(t.sandbox.knobs, { rate429: 0, rate500: 0 });
    const seconds = (Date.now() - started) / 1000;

    // The store: every query ended, and its last message says how (results for done, errors for failed).
    const stored = SOAK_USERS.flatMap((u) => t.app.db.repos.queries.listRecent(u.key, 1_000_000));
    const byStatus = { done: 0, failed: 0, pending: 0 };
    const failedBy = new Map<string, number>();
    const mismatched: string[] = [];
    for (const q of stored) {
      byStatus[q.status]++;
      if (q.status === 'failed') bump(failedBy, q.error?.code ?? 'none');
      const said = lastMessage.get(q.id);
      const expected = q.status === 'done' ? 'result' : 'error';
      if (said !== expected) mismatched.push(`${q.id} (${q.status}, ${q.userId}): last message ${said ?? 'none'}`);
    }

    const metrics = (await t.server.inject({ method: 'GET', url: '/metrics' })).body;
    const metric = (name: string, labels: string) =>
      Number(new RegExp(`^audience_bot_${name}\\{${labels}\\} (\\d+)`, 'm').exec(metrics)?.[1] ?? 0);
    const linkedinByStatus = (status: string) =>
      [
        ...metrics.matchAll(
          new RegExp(`^audience_bot_linkedin_calls_total\\{[^}]*status="${status}"[^}]*\\} (\\d+)`, 'gm'),
        ),
      ]
        .map((m) => Number(m[1]))
        .reduce((a, b) => a + b, 0);
    // The receiver's record of recent deliveries (for Slack's retries) is private: read, never changed.
    const deliveries = (t.app.slack.receiver as unknown as { deliveries?: { size: number; max: number } }).deliveries;
    const names = t.app.linkedin.nameCacheStats();

    const report = {
      seed: SEED,
      seconds,
      requests,
      httpStatuses: Object.fromEntries(statuses),
      tasks: Object.fromEntries(tasks),
      queriesAsked: {
        total: asks,
        resultMessages: answers.get('ask:result') ?? 0,
        errorMessages: answers.get('ask:error') ?? 0,
        // Quick queries whose names LinkedIn could not resolve (it failed): explained in the command's reply.
        explainedBeforeStoring: (answers.get('ask:respond') ?? 0) + (answers.get('ask:ack') ?? 0),
        unanswered: (answers.get('ask:none') ?? 0) + (answers.get('ask:view') ?? 0),
      },
      otherAnswers: Object.fromEntries([...answers].filter(([k]) => k.startsWith('other:')).sort()),
      storedQueries: { total: stored.length, ...byStatus, failedBy: Object.fromEntries([...failedBy].sort()) },
      queriesMetric: {
        answered: metric('queries_total', 'outcome="answered"'),
        failed: metric('queries_total', 'outcome="failed"'),
        invalid: metric('queries_total', 'outcome="invalid"'),
      },
      linkedinAttempts: {
        ok: linkedinByStatus('200') + linkedinByStatus('201'),
        http429: linkedinByStatus('429'),
        http500: linkedinByStatus('500'),
      },
      heap: heap.map(mb),
      heapGrowthFromRound2: mb(heap[ROUNDS - 1]! - heap[1]!),
      dedupeEntries: `${deliveries?.size}/${deliveries?.max}`,
      nameCache: names.size,
    };
    console.log(`soak report ${JSON.stringify(report, null, 2)}`);

    expect(guard.errors).toEqual([]);
    expect(listenerErrors).toEqual([]);
    expect(failures.slice(0, 20)).toEqual([]);
    expect(leaks.slice(0, 20)).toEqual([]);
    expect(requests).toBeGreaterThanOrEqual(ROUNDS * REQUESTS_PER_ROUND);
    expect([...statuses.keys()].every((s) => s < 500)).toBe(true);
    // The faults really happened, and both outcomes of a query were seen.
    expect(report.linkedinAttempts.http429).toBeGreaterThan(20);
    expect(report.linkedinAttempts.http500).toBeGreaterThan(20);
    expect(byStatus.pending).toBe(0);
    expect(byStatus.done).toBeGreaterThan(100);
    expect(byStatus.failed).toBeGreaterThan(10);
    const linkedinFailures = [...failedBy]
      .filter(([code]) => code === 'linkedin_rate_limited' || code === 'linkedin_server_error')
      .reduce((sum, [, n]) => sum + n, 0);
    expect(linkedinFailures).toBeGreaterThanOrEqual(3);
    expect(mismatched.slice(0, 20)).toEqual([]);
    // Every ask ended in a result, a clear error, or (quick queries LinkedIn could not resolve) a reply.
    expect(report.queriesAsked.unanswered).toBe(0);
    // Memory: with the caches full after round 1, the last two thirds of the run add next to nothing.
    expect(heap[ROUNDS - 1]! - heap[1]!).toBeLessThan(HEAP_GROWTH_LIMIT);
    expect(deliveries?.size, 'the receiver no longer keeps `deliveries`: update this check').toBeTypeOf('number');
    expect(deliveries!.size).toBeLessThanOrEqual(deliveries!.max);
    // Deliveries older than the dedupe window (15 min; the clock moves 11 min a round) are let go.
    expect(deliveries!.size).toBeLessThan(4 * REQUESTS_PER_ROUND);
    expect(names.size).toBeLessThanOrEqual(5000);
  }, 180_000);
});

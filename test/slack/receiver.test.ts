/**
 * The receiver on its own: a real Bolt App on a real Fastify instance, with listeners written for the test.
 * The whole bot's behaviour through the same receiver is covered in commands/linking tests.
 */

import { App } from '@slack/bolt';
import fc from 'fast-check';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, type Logger } from '../../src/logging.js';
import { requestLogging, requestServerOptions } from '../../src/observability/requestLogging.js';
import {
  DEDUPE_DEFAULTS,
  FastifyReceiver,
  type FastifyReceiverOptions,
  parseForm,
  RecentDeliveries,
} from '../../src/slack/receiver.js';
import { capturingLogger } from '../support/capturedLogs.js';
import { createFakeSlack } from '../support/fakeSlack.js';
import {
  appHomeOpened,
  blockActions,
  blockSuggestion,
  retryOf,
  signCommand,
  signEvent,
  signedRequest,
  signInteraction,
  slashCommand,
} from '../support/slackRequests.js';

const signingSecret = 'receiver-test-secret';
const sign = (extra = {}) => ({ signingSecret, ...extra });

interface Harness {
  server: FastifyInstance;
  app: App;
  runs: string[];
}

const servers: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function harness(
  options: Partial<FastifyReceiverOptions> = {},
  register?: (app: App, runs: string[]) => void,
): Promise<Harness> {
  const slack = createFakeSlack();
  const logger = createLogger('silent');
  const receiver = new FastifyReceiver({ signingSecret, logger, processBeforeResponse: true, ...options });
  const app = new App({
    receiver,
    authorize: async () => ({ botToken: 'xoxb-test', botId: 'BBOT', botUserId: 'UBOT' }),
    clientOptions: { slackApiUrl: slack.apiUrl, fetch: slack.fetch, retryConfig: { retries: 0 } },
  });
  app.error(async (error) => {
    throw error;
  });
  const runs: string[] = [];
  if (register) register(app, runs);
  else {
    app.command('/audience', async ({ ack, command }) => {
      runs.push(`command:${command.text}`);
      await ack(`got ${command.text}`);
    });
    app.event('app_home_opened', async ({ event }) => {
      runs.push(`event:${event.user}`);
    });
    app.action('press', async ({ ack }) => {
      runs.push('action');
      await ack();
    });
    app.options('pick', async ({ ack, options: suggestion }) => {
      runs.push(`options:${suggestion.value}`);
      await ack({ options: [{ text: { type: 'plain_text', text: suggestion.value }, value: suggestion.value }] });
    });
  }
  const server = Fastify();
  // A sibling route proves the raw-body parsers stay inside the Slack plugin.
  server.post('/json-echo', async (request) => ({ received: request.body }));
  await server.register(receiver.plugin);
  servers.push(server);
  return { server, app, runs };
}

const FORM = 'application/x-www-form-urlencoded';
const interaction = (payload: Record<string, unknown>) => `payload=${encodeURIComponent(JSON.stringify(payload))}`;
const press = () => blockActions({ actionId: 'press', userId: 'U1' });
const appHomeOpenedWith = (fields: Record<string, unknown>) => {
  const envelope = appHomeOpened({ userId: 'U1' });
  return { ...envelope, event: { ...(envelope.event as Record<string, unknown>), ...fields } };
};

describe('FastifyReceiver', () => {
  it('runs a slash command listener and answers with its ack body', async () => {
    const { server, runs } = await harness();
    const res = await server.inject(signCommand(slashCommand({ text: 'hello' }), sign()));
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('got hello');
    expect(runs).toEqual(['command:hello']);
  });

  it('answers JSON ack bodies (options for a typeahead) as JSON', async () => {
    const { server, runs } = await harness();
    const res = await server.inject(signInteraction(blockSuggestion({ actionId: 'pick', value: 'Pyt' }), sign()));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ options: [{ text: { type: 'plain_text', text: 'Pyt' }, value: 'Pyt' }] });
    // The same typeahead text again is a new request, not a duplicate.
    await server.inject(signInteraction(blockSuggestion({ actionId: 'pick', value: 'Pyt' }), sign()));
    expect(runs).toEqual(['options:Pyt', 'options:Pyt']);
  });

  it('takes ids as Slack sends them: an empty enterprise_id outside Enterprise Grid, an Enterprise Grid org', async () => {
    const { server, runs } = await harness();
    const plain = { ...slashCommand({ text: 'plain' }), enterprise_id: '', enterprise_name: '' };
    const grid = { ...slashCommand({ text: 'grid', teamId: 'T0GRID1' }), enterprise_id: 'E0ORG42' };
    for (const body of [plain, grid]) expect((await server.inject(signCommand(body, sign()))).statusCode).toBe(200);
    expect(runs).toEqual(['command:plain', 'command:grid']);
  });

  it('serialises a frozen ack body once and answers it as JSON every time', async () => {
    const body = Object.freeze({ text: 'the same for everyone', blocks: Object.freeze([]) });
    const { server } = await harness({}, (app) => {
      app.command('/audience', async ({ ack }) => {
        await ack(body);
      });
    });
    for (let i = 0; i < 2; i++) {
      const res = await server.inject(signCommand(slashCommand({ text: `${i}` }), sign()));
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json()).toEqual({ text: 'the same for everyone', blocks: [] });
    }
  });

  it('acks events itself (Bolt) and runs the listener', async () => {
    const { server, runs } = await harness();
    const res = await server.inject(signEvent(appHomeOpened({ userId: 'U42' }), sign()));
    expect(res.statusCode).toBe(200);
    expect(runs).toEqual(['event:U42']);
  });

  it('gives listeners the request’s logger (with its request id) as context.requestLog', async () => {
    const { logger, lines } = capturingLogger('info');
    const receiver = new FastifyReceiver({ signingSecret, logger, processBeforeResponse: true });
    const app = new App({
      receiver,
      authorize: async () => ({ botToken: 'xoxb-test', botId: 'BBOT', botUserId: 'UBOT' }),
    });
    app.command('/audience', async ({ ack, context }) => {
      (context.requestLog as Logger).info('from the listener');
      await ack();
    });
    const server = Fastify({ loggerInstance: logger, ...requestServerOptions() });
    servers.push(server);
    await server.register(requestLogging);
    await server.register(receiver.plugin);
    const res = await server.inject(
      signCommand(slashCommand({ text: 'x' }), sign({ headers: { 'x-request-id': 'slack-req-7' } })),
    );
    expect(res.statusCode).toBe(200);
    expect(lines<{ msg: string; reqId?: string }>().find((l) => l.msg === 'from the listener')?.reqId).toBe(
      'slack-req-7',
    );
  });

  it('keeps normal JSON parsing on routes outside the Slack plugin', async () => {
    const { server } = await harness();
    const res = await server.inject({ method: 'POST', url: '/json-echo', payload: { a: 1 } });
    expect(res.json()).toEqual({ received: { a: 1 } });
  });

  describe('signatures', () => {
    it('rejects a request signed with another secret (401) without running anything', async () => {
      const { server, runs } = await harness();
      const res = await server.inject(signCommand(slashCommand({ text: 'x' }), sign({ forgeWithSecret: 'wrong' })));
      expect(res.statusCode).toBe(401);
      expect(runs).toEqual([]);
    });

    it('rejects stale (> 5 min) and future (> 5 min) timestamps', async () => {
      const { server, runs } = await harness();
      const stale = await server.inject(signCommand(slashCommand({ text: 'x' }), sign({ ageSeconds: 301 })));
      const future = await server.inject(signCommand(slashCommand({ text: 'x' }), sign({ ageSeconds: -301 })));
      expect([stale.statusCode, future.statusCode]).toEqual([401, 401]);
      expect(runs).toEqual([]);
    });

    it('rejects a missing signature', async () => {
      const { server } = await harness();
      const req = signCommand(slashCommand({ text: 'x' }), sign());
      delete req.headers['x-slack-signature'];
      expect((await server.inject(req)).statusCode).toBe(401);
    });

    it('uses the injected clock, so a request is judged against the app’s time', async () => {
      const at = 1_800_000_000_000;
      const { server, runs } = await harness({ now: () => at });
      const fresh = await server.inject(signCommand(slashCommand({ text: 'ok' }), sign({ now: at - 60_000 })));
      const old = await server.inject(signCommand(slashCommand({ text: 'old' }), sign({ now: at - 400_000 })));
      expect([fresh.statusCode, old.statusCode]).toEqual([200, 401]);
      expect(runs).toEqual(['command:ok']);
    });
  });

  describe('Slack handshakes', () => {
    it('answers url_verification with the challenge', async () => {
      const { server } = await harness();
      const res = await server.inject(signEvent({ type: 'url_verification', challenge: 'c-123', token: 't' }, sign()));
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ challenge: 'c-123' });
    });

    it('answers ssl_check with an empty 200', async () => {
      const { server } = await harness();
      const res = await server.inject({
        method: 'POST',
        url: '/slack/events',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'ssl_check=1&token=abc',
      });
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe('');
    });
  });

  describe('retries and replays', () => {
    it('runs an event once when Slack retries it (same event_id), acking the retry with X-Slack-No-Retry', async () => {
      const { server, runs } = await harness();
      const first = signEvent(appHomeOpened({ userId: 'U1', eventId: 'Ev1' }), sign());
      expect((await server.inject(first)).statusCode).toBe(200);
      const retry = await server.inject(retryOf(first, sign({ retryNum: 1, retryReason: 'http_timeout' })));
      expect(retry.statusCode).toBe(200);
      expect(retry.headers['x-slack-no-retry']).toBe('1');
      expect(runs).toEqual(['event:U1']);
    });

    it('runs a slash command once when the identical signed request is replayed', async () => {
      const { server, runs } = await harness();
      const req = signCommand(slashCommand({ text: 'once' }), sign());
      await server.inject(req);
      const replay = await server.inject(req);
      expect(replay.statusCode).toBe(200);
      expect(runs).toEqual(['command:once']);
    });

    it('runs a block action once for one trigger_id', async () => {
      const { server, runs } = await harness();
      const payload = blockActions({ actionId: 'press', triggerId: '111.222.abc' });
      await server.inject(signInteraction(payload, sign()));
      await server.inject(retryOf(signInteraction(payload, sign()), sign({ retryNum: 2 })));
      expect(runs).toEqual(['action']);
    });

    it('treats a retry that arrives while the first delivery still runs as a duplicate', async () => {
      let release!: () => void;
      const gate = new Promise<void>((r) => {
        release = r;
      });
      const { server, runs } = await harness({ processBeforeResponse: false }, (app, r) => {
        app.event('app_home_opened', async () => {
          r.push('started');
          await gate;
        });
      });
      const first = signEvent(appHomeOpened({ eventId: 'EvSlow' }), sign());
      const firstResponse = await server.inject(first);
      expect(firstResponse.statusCode).toBe(200);
      const retry = await server.inject(retryOf(first, sign()));
      expect(retry.headers['x-slack-no-retry']).toBe('1');
      release();
      expect(runs).toEqual(['started']);
    });

    it('forgets deliveries after the dedupe window, and beyond its size', async () => {
      let now = 1_800_000_000_000;
      const { server, runs } = await harness({ now: () => now, dedupe: { ttlMs: 60_000, maxEntries: 4 } });
      const first = signEvent(appHomeOpened({ userId: 'U1', eventId: 'EvWindow' }), sign({ now }));
      await server.inject(first);
      now += 59_000;
      await server.inject(retryOf(first, sign({ now })));
      expect(runs).toEqual(['event:U1']);
      // The window counts from the last delivery seen.
      now += 61_000;
      await server.inject(retryOf(first, sign({ now })));
      expect(runs).toEqual(['event:U1', 'event:U1']);

      // One entry per delivery (its event_id): three more fit beside it, a fourth pushes the oldest out.
      const kept = signEvent(appHomeOpened({ userId: 'U2', eventId: 'EvKept' }), sign({ now }));
      await server.inject(kept);
      for (const id of ['EvA', 'EvB', 'EvC'])
        await server.inject(signEvent(appHomeOpened({ userId: 'U3', eventId: id }), sign({ now })));
      await server.inject(retryOf(kept, sign({ now })));
      expect(runs.filter((r) => r === 'event:U2')).toHaveLength(1);
      // The retry was the newest sighting of EvKept; EvA is now the oldest and goes first.
      await server.inject(signEvent(appHomeOpened({ userId: 'U3', eventId: 'EvD' }), sign({ now })));
      await server.inject(signEvent(appHomeOpened({ userId: 'U4', eventId: 'EvA' }), sign({ now })));
      await server.inject(retryOf(kept, sign({ now })));
      expect(runs.filter((r) => r === 'event:U2')).toHaveLength(1);
      expect(runs.filter((r) => r === 'event:U4')).toHaveLength(1);
    });

    it('recognises a retry of a delivery without an id by its body, but only when Slack marks it as a retry', async () => {
      const { server, runs } = await harness();
      const envelope = appHomeOpened({ userId: 'U7' });
      delete envelope.event_id;
      const first = signEvent(envelope, sign());
      await server.inject(first);
      const retry = await server.inject(retryOf(first, sign({ retryNum: 1 })));
      expect(retry.headers['x-slack-no-retry']).toBe('1');
      expect(runs).toEqual(['event:U7']);
      // The same body again without the retry headers is not Slack's retry: processed.
      await server.inject(signEvent(envelope, sign()));
      expect(runs).toEqual(['event:U7', 'event:U7']);
    });

    it('never drops a typeahead request, even one marked as a retry', async () => {
      const { server, runs } = await harness();
      const suggestion = signInteraction(blockSuggestion({ actionId: 'pick', value: 'Mar' }), sign());
      await server.inject(suggestion);
      const again = await server.inject(retryOf(suggestion, sign({ retryNum: 1 })));
      expect(again.statusCode).toBe(200);
      expect(runs).toEqual(['options:Mar', 'options:Mar']);
    });
  });

  describe('form bodies (parseForm)', () => {
    // Form bodies are ASCII (Slack percent-encodes the rest); the pieces favour what form encoding is made of,
    // escapes of valid and broken UTF-8 included.
    const formPiece = fc.oneof(
      fc.constantFrom('&', '=', '+', '%', '%2', '%2B', '%26', '%3D', '%C3%A9', '%C3', '%E2%82', '%zz', '__proto__'),
      fc.string({ unit: 'binary-ascii', maxLength: 6 }),
    );
    const formBody = fc.array(formPiece, { maxLength: 30 }).map((pieces) => pieces.join(''));

    it('reads what URLSearchParams reads, in one pass', () => {
      fc.assert(
        fc.property(formBody, (body) => {
          // Its constructor also drops a leading `?` (a query string's); a body is not one.
          fc.pre(!body.startsWith('?'));
          const expected = Object.fromEntries([...new URLSearchParams(body)].filter(([name]) => name !== '__proto__'));
          const hasFields = [...new URLSearchParams(body)].length > 0;
          const parsed = parseForm(body);
          if (!hasFields) expect(parsed).toBeUndefined();
          else expect({ ...parsed }).toEqual(expected);
        }),
        { numRuns: 2_000 },
      );
    });

    it('keeps raw non-ASCII characters beside broken escapes (where Node’s URLSearchParams mangles them)', () => {
      expect(parseForm('text=%C3%A9t%C3%A9')).toEqual({ text: 'été' });
      expect(parseForm('text=%zz+caf\u00e9+%E2%82')).toEqual({ text: '%zz café \ufffd' });
    });

    it('never gives a body a prototype of its choosing', () => {
      const parsed = parseForm('__proto__=x&command=%2Faudience');
      expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
      expect(parsed).toEqual({ command: '/audience' });
    });
  });

  describe('the dedupe window (RecentDeliveries)', () => {
    const { ttlMs, maxEntries } = DEDUPE_DEFAULTS;

    it('seen(): false the first time, true within the window, false again once it has passed', () => {
      let now = 0;
      const recent = new RecentDeliveries(1_000, 10, () => now);
      expect(recent.seen('a')).toBe(false);
      now += 1_000;
      expect(recent.seen('a')).toBe(true);
      // Seen again at 1,000: a new window starts there.
      now += 1_000;
      expect(recent.seen('a')).toBe(true);
      now += 1_001;
      expect(recent.seen('a')).toBe(false);
      expect(recent.size).toBe(1);
    });

    it('by default remembers a delivery through Slack’s retries after 1 and 5 minutes at 100 deliveries a second', () => {
      let now = 1_800_000_000_000;
      const recent = new RecentDeliveries(ttlMs, maxEntries, () => now);
      const perSecond = 100;
      const deliver = (seconds: number) => {
        for (let i = 0; i < seconds * perSecond; i += 1) {
          recent.seen(`trigger:${now}.${i}`);
          now += 1000 / perSecond;
        }
      };
      recent.seen('event:EvFirst');
      deliver(60);
      expect(recent.has('event:EvFirst')).toBe(true);
      recent.seen('event:EvFirst');
      deliver(5 * 60);
      expect(recent.has('event:EvFirst')).toBe(true);
      // 36,000 other deliveries in between: a cache bounded by count alone at 10,000 would have forgotten it.
      expect(recent.size).toBeGreaterThan(36_000);
      expect(recent.size).toBeLessThanOrEqual(maxEntries);
      // Past the window it is forgotten, and expired keys leave the map.
      deliver(ttlMs / 1000 + 1);
      expect(recent.has('event:EvFirst')).toBe(false);
      expect(recent.size).toBeLessThanOrEqual((ttlMs / 1000 + 1) * perSecond + 1);
    });

    it('keeps at most its maximum, dropping the oldest first', () => {
      let now = 0;
      const recent = new RecentDeliveries(60_000, 1_000, () => now);
      for (let i = 0; i < 2_500; i += 1) {
        recent.seen(`k${i}`);
        now += 1;
      }
      expect(recent.size).toBe(1_000);
      expect(recent.has('k1499')).toBe(false);
      expect(recent.has('k1500')).toBe(true);
      expect(recent.has('k2499')).toBe(true);
    });

    it('forgets a key after the window even when no sweep has run yet', () => {
      let now = 0;
      const recent = new RecentDeliveries(1_000, 10, () => now);
      recent.seen('a');
      now += 1_000;
      expect(recent.has('a')).toBe(true);
      now += 1;
      expect(recent.has('a')).toBe(false);
      recent.seen('b');
      expect(recent.size).toBe(1);
    });
  });

  describe('bad payloads', () => {
    it.each([
      ['unparseable JSON', '{"type": "event_callback", ', 'application/json'],
      ['a JSON array', '[1,2,3]', 'application/json'],
      ['an event without an event', JSON.stringify({ type: 'event_callback', event_id: 'E1' }), 'application/json'],
      ['a payload= field that is not JSON', 'payload=%7Bnope', 'application/x-www-form-urlencoded'],
      ['a command without a user', 'command=%2Faudience&team_id=T1&text=x', 'application/x-www-form-urlencoded'],
      [
        'an interaction of an unknown type',
        `payload=${encodeURIComponent('{"type":"mystery"}')}`,
        'application/x-www-form-urlencoded',
      ],
      ['an unsupported content type', 'hello', 'text/plain'],
      ['an empty body', '', 'application/json'],
      // Shapes Bolt 5 assumes and crashes on (a 500) before any listener runs.
      ['a command from a team id like "valueOf"', 'command=%2Faudience&team_id=valueOf&user_id=U1', FORM],
      ['block_actions whose actions are not a list', interaction({ ...press(), actions: 'press' }), FORM],
      ['block_actions whose action has no id', interaction({ ...press(), actions: [{ value: 'x' }] }), FORM],
      ['an interaction from a user with an empty id', interaction({ ...press(), user: { id: '' } }), FORM],
      ['an interaction from a team whose id is not text', interaction({ ...press(), team: { id: false } }), FORM],
      ['an interaction from a team "constructor"', interaction({ ...press(), team: { id: 'constructor' } }), FORM],
      ['view_closed without a view', interaction({ type: 'view_closed', user: { id: 'U1' } }), FORM],
      ['an event whose user is null', JSON.stringify(appHomeOpenedWith({ user: null })), 'application/json'],
      ['an event whose channel is a number', JSON.stringify(appHomeOpenedWith({ channel: 7 })), 'application/json'],
      [
        'an event whose authorization names no workspace',
        JSON.stringify({ ...appHomeOpened(), authorizations: [null] }),
        'application/json',
      ],
    ])('answers 400 to %s, signed correctly, without running a listener', async (_label, body, contentType) => {
      const { server, runs } = await harness();
      const res = await server.inject(signedRequest(body, contentType, sign()));
      expect(res.statusCode).toBe(400);
      expect(runs).toEqual([]);
    });

    it('answers 404 when no listener handles a well-formed request', async () => {
      const { server } = await harness();
      const res = await server.inject(signCommand(slashCommand({ command: '/unknown' }), sign()));
      expect(res.statusCode).toBe(404);
    });

    it('answers 500 (not a crash) when a listener throws before acking', async () => {
      const { server } = await harness({}, (app) => {
        app.command('/audience', async () => {
          throw new Error('boom');
        });
      });
      const res = await server.inject(signCommand(slashCommand(), sign()));
      expect(res.statusCode).toBe(500);
      expect(res.body).not.toContain('boom');
    });
  });

  describe('the 3-second rule', () => {
    it('answers as soon as the listener acks, while it keeps working', async () => {
      let finished = false;
      const { server } = await harness({ processBeforeResponse: false }, (app) => {
        app.command('/audience', async ({ ack }) => {
          await ack('working on it');
          await new Promise((r) => setTimeout(r, 200));
          finished = true;
        });
      });
      const res = await server.inject(signCommand(slashCommand(), sign()));
      expect(res.body).toBe('working on it');
      expect(finished).toBe(false);
    });

    it('acknowledges on the listener’s behalf when it has not acked by the deadline', async () => {
      const { server } = await harness({ processBeforeResponse: false, ackDeadlineMs: 50 }, (app) => {
        app.command('/audience', async ({ ack }) => {
          await new Promise((r) => setTimeout(r, 300));
          await ack('too late');
        });
      });
      const res = await server.inject(signCommand(slashCommand(), sign()));
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe('');
    });

    it('keeps every pending request to its own deadline, on one shared timer', async () => {
      const { server } = await harness({ processBeforeResponse: false, ackDeadlineMs: 150 }, (app) => {
        app.command('/audience', async ({ ack, command }) => {
          const [delay, answer] = command.text.split(' ');
          await new Promise((r) => setTimeout(r, Number(delay)));
          await ack(answer);
        });
      });
      const send = (text: string) => server.inject(signCommand(slashCommand({ text }), sign()));
      // Staggered: the second slow one starts 100 ms after the first, so its deadline is 100 ms later.
      const first = send('600 late-1');
      const quick = send('10 quick');
      await new Promise((r) => setTimeout(r, 100));
      const second = send('600 late-2');
      const [a, q, b] = await Promise.all([first, quick, second]);
      // The slow ones were answered empty by their deadlines (their own acks come 450 ms later); the quick one by
      // its listener, and its deadline did not answer it again.
      expect(q.body).toBe('quick');
      expect([a.body, b.body]).toEqual(['', '']);
    });

    it('with processBeforeResponse, answers only after the listener finished its Web API calls', async () => {
      const order: string[] = [];
      const { server } = await harness({ processBeforeResponse: true }, (app) => {
        app.command('/audience', async ({ ack, client }) => {
          await ack('acked');
          await client.chat.postMessage({ channel: 'C1', text: 'after the ack' });
          order.push('posted');
        });
      });
      const res = await server.inject(signCommand(slashCommand(), sign()));
      order.push('answered');
      expect(res.body).toBe('acked');
      expect(order).toEqual(['posted', 'answered']);
    });
  });
});

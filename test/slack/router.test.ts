/**
 * The listener router on a real Bolt App: each request reaches the listener Bolt's own matching would pick, with
 * the arguments Bolt would give it, and nothing else runs.
 */
import { App, type Receiver } from '@slack/bolt';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BOLT_APP_DEFAULTS } from '../../src/slack/app.js';
import { createListenerRouter, type SlackListeners } from '../../src/slack/router.js';

const receiver: Receiver = { init() {}, start: async () => {}, stop: async () => {} };

function appWith(register: (listeners: SlackListeners, seen: string[]) => void) {
  const app = new App({
    receiver,
    authorize: async () => ({ botToken: 'xoxb-test', botId: 'BBOT', botUserId: 'UBOT' }),
    ...BOLT_APP_DEFAULTS,
  });
  app.error(async (error) => {
    throw error;
  });
  const seen: string[] = [];
  const router = createListenerRouter();
  register(router.listeners, seen);
  router.attach(app);
  const send = async (body: Record<string, unknown>) => {
    const acks: unknown[] = [];
    await app.processEvent({
      body,
      ack: async (response?: unknown) => {
        acks.push(response ?? null);
      },
    });
    return acks;
  };
  return { app, seen, send };
}

const command = (name: string) => ({
  team_id: 'T1',
  user_id: 'U1',
  command: name,
  text: 'hi',
  channel_id: 'C1',
  response_url: 'https://hooks.slack.test/commands/1',
  trigger_id: '1.2.3',
});
const blockAction = (actionId: string, value = 'v') => ({
  type: 'block_actions',
  team: { id: 'T1' },
  user: { id: 'U1', team_id: 'T1' },
  trigger_id: '1.2.4',
  actions: [{ type: 'button', action_id: actionId, block_id: 'b', value, action_ts: '1.2' }],
});
const view = (type: 'view_submission' | 'view_closed', callbackId: string) => ({
  type,
  team: { id: 'T1' },
  user: { id: 'U1', team_id: 'T1' },
  view: { id: 'V1', type: 'modal', callback_id: callbackId, state: { values: {} }, private_metadata: '' },
});
const suggestion = (actionId: string) => ({
  type: 'block_suggestion',
  team: { id: 'T1' },
  user: { id: 'U1', team_id: 'T1' },
  action_id: actionId,
  block_id: 'b',
  value: 'ja',
});
const event = (type: string) => ({
  type: 'event_callback',
  team_id: 'T1',
  event_id: 'Ev1',
  event: { type, user: 'U1', tab: 'home', event_ts: '1.2' },
});

describe('createListenerRouter', () => {
  it('routes each surface by its id, with the arguments Bolt gives listeners', async () => {
    const { seen, send } = appWith((app, seen) => {
      app.command('/audience', async ({ ack, command, respond, say, client, context, next }) => {
        seen.push(
          `command:${command.text}:${typeof respond}:${typeof say}:${typeof client.chat.postMessage}:${context.botToken}`,
        );
        next();
        await ack('ok');
      });
      app.action('share', async ({ ack, action, body }) => {
        seen.push(`action:${(action as { value: string }).value}:${body.type}`);
        await ack();
      });
      app.view('modal', async ({ ack, view }) => {
        seen.push(`submit:${view.callback_id}`);
        await ack({ response_action: 'clear' });
      });
      app.view({ callback_id: 'modal', type: 'view_closed' }, async ({ ack }) => {
        seen.push('closed');
        await ack();
      });
      app.options({ action_id: /^facet_values:/ }, async ({ ack, options }) => {
        seen.push(`options:${options.value}`);
        await ack({ options: [] });
      });
      app.event('app_home_opened', async ({ event }) => {
        seen.push(`event:${event.user}`);
      });
    });

    expect(await send(command('/audience'))).toEqual(['ok']);
    expect(await send(blockAction('share', 'q1'))).toEqual([null]);
    expect(await send(view('view_submission', 'modal'))).toEqual([{ response_action: 'clear' }]);
    expect(await send(view('view_closed', 'modal'))).toEqual([null]);
    expect(await send(suggestion('facet_values:skills'))).toEqual([{ options: [] }]);
    // Events are acknowledged by Bolt itself before any listener runs.
    expect(await send(event('app_home_opened'))).toEqual([null]);
    expect(seen).toEqual([
      'command:hi:function:function:function:xoxb-test',
      'action:q1:block_actions',
      'submit:modal',
      'closed',
      'options:ja',
      'event:U1',
    ]);
  });

  it('runs nothing for a request no listener matches, so the receiver can say so', async () => {
    const { seen, send } = appWith((app, seen) => {
      app.command('/audience', async ({ ack }) => {
        seen.push('command');
        await ack();
      });
      app.action('share', async ({ ack }) => {
        seen.push('share');
        await ack();
      });
      app.view('modal', async ({ ack }) => {
        seen.push('submit');
        await ack();
      });
    });
    expect(await send(command('/other'))).toEqual([]);
    expect(await send(blockAction('unknown'))).toEqual([]);
    // A bare callback id means submissions only, as in Bolt.
    expect(await send(view('view_closed', 'modal'))).toEqual([]);
    expect(await send(view('view_submission', 'other'))).toEqual([]);
    expect(seen).toEqual([]);
  });

  it('runs every matching listener, exact ids and patterns alike, and reports a failure', async () => {
    const { seen, send } = appWith((app, seen) => {
      app.action('share', async ({ ack }) => {
        seen.push('exact');
        await ack();
      });
      app.action(/^sh/, async () => {
        seen.push('pattern');
      });
      app.action(/^never/, async () => {
        seen.push('never');
      });
      app.action('boom', async () => {
        throw new Error('listener failed');
      });
    });
    await send(blockAction('share'));
    expect(seen.sort()).toEqual(['exact', 'pattern']);
    await expect(send(blockAction('boom'))).rejects.toThrow('listener failed');
  });

  it('runs middleware added with use() before the listeners, in order', async () => {
    const { seen, send } = appWith((app, seen) => {
      app.use(async ({ next }) => {
        seen.push('first');
        await next();
        seen.push('after');
      });
      app.command('/audience', async ({ ack }) => {
        seen.push('command');
        await ack();
      });
    });
    await send(command('/audience'));
    expect(seen).toEqual(['first', 'command', 'after']);
  });

  it('skips the bot’s own events and messages, as Bolt’s ignoreSelf (which the App runs without) would', async () => {
    const { seen, send } = appWith((app, seen) => {
      app.event('app_home_opened', async ({ event }) => {
        seen.push(`home:${event.user}`);
      });
      app.event('member_joined_channel', async ({ event }) => {
        seen.push(`joined:${event.user}`);
      });
      app.event('message', async ({ event }) => {
        seen.push(`message:${(event as { bot_id?: string }).bot_id}`);
      });
    });
    const withEvent = (fields: Record<string, unknown>) => ({ ...event('x'), event: { event_ts: '1.2', ...fields } });
    await send(withEvent({ type: 'app_home_opened', user: 'UBOT' }));
    await send(withEvent({ type: 'member_joined_channel', user: 'UBOT', channel: 'C1' }));
    await send(withEvent({ type: 'message', subtype: 'bot_message', bot_id: 'BBOT', channel: 'C1', ts: '1.3' }));
    await send(withEvent({ type: 'message', subtype: 'bot_message', bot_id: 'BOTHER', channel: 'C1', ts: '1.4' }));
    await send(withEvent({ type: 'app_home_opened', user: 'U1' }));
    expect(seen).toEqual(['joined:UBOT', 'message:BOTHER', 'home:U1']);
  });

  it('refuses, at registration, what it cannot route as Bolt would', () => {
    const router = createListenerRouter();
    const listener = async () => {};
    expect(() => router.listeners.action({ block_id: 'b' } as never, listener)).toThrow(/block_id/);
    expect(() => router.listeners.view({ callback_id: 'x', type: 'view_opened' } as never, listener)).toThrow(
      /view_opened/,
    );
    expect(() => router.listeners.command('/audience', listener, listener)).toThrow(/exactly one listener/);
    router.attach(new App({ receiver, authorize: async () => ({ botToken: 'xoxb-test' }) }));
    expect(() => router.listeners.command('/late', listener)).toThrow(/after the router was attached/);
  });
});

describe('createListenerRouter against Bolt’s own matching', () => {
  // The same registrations on an App (Bolt matches) and through the router; any request must run the same ones.
  const registrations = (app: SlackListeners, seen: string[]) => {
    const note = (label: string) => async (args: any) => {
      seen.push(label);
      await args.ack?.();
    };
    app.command('/audience', note('command:/audience'));
    app.command('/other', note('command:/other'));
    app.action('share', note('action:share'));
    app.action('rerun', note('action:rerun'));
    app.action(/^facet_/, note('action:/^facet_/'));
    app.view('modal', note('view:modal'));
    app.view({ callback_id: 'modal', type: 'view_closed' }, note('closed:modal'));
    app.view({ callback_id: 'either' }, note('view:either'));
    app.options({ action_id: /^facet_values:/ }, note('options:/^facet_values:/'));
    app.options('pick', note('options:pick'));
    app.event('app_home_opened', note('event:app_home_opened'));
    app.event('member_joined_channel', note('event:member_joined_channel'));
  };

  const ids = fc.constantFrom('share', 'rerun', 'facet_x', 'facet_values:skills', 'pick', 'modal', 'either', 'other');
  const user = fc.constantFrom('U1', 'UBOT');
  const request = fc.oneof(
    fc.record({ name: fc.constantFrom('/audience', '/other', '/none') }).map(({ name }) => command(name)),
    fc.record({ id: ids }).map(({ id }) => blockAction(id)),
    fc
      .record({ type: fc.constantFrom('view_submission', 'view_closed') as fc.Arbitrary<'view_submission'>, id: ids })
      .map(({ type, id }) => view(type, id)),
    fc.record({ id: ids }).map(({ id }) => suggestion(id)),
    fc
      .record({ type: fc.constantFrom('app_home_opened', 'member_joined_channel', 'team_join'), user })
      .map(({ type, user }) => ({ ...event(type), event: { type, user, channel: 'C1', event_ts: '1.2' } })),
  );

  it('runs the listeners Bolt would run, for any request', async () => {
    const native = new App({
      receiver,
      authorize: async () => ({ botToken: 'xoxb-test', botId: 'BBOT', botUserId: 'UBOT' }),
    });
    const nativeSeen: string[] = [];
    registrations(native as unknown as SlackListeners, nativeSeen);
    const routed = appWith(registrations);
    await fc.assert(
      fc.asyncProperty(request, async (body) => {
        nativeSeen.length = 0;
        routed.seen.length = 0;
        await native.processEvent({ body: structuredClone(body), ack: async () => {} });
        await routed.send(structuredClone(body));
        expect([...routed.seen].sort()).toEqual([...nativeSeen].sort());
      }),
      { numRuns: 300 },
    );
  });
});

/**
 * `/audience` and its sub-commands through the real app: signed requests in, the ack body or the response_url
 * post and Web API calls out.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SlackExtensionFactory } from '../../src/main.js';
import { checkMessageBlocks } from '../support/blockKitLimits.js';
import { retryOf, signCommand, signEvent, slashCommand, TEST_TEAM_ID } from '../support/slackRequests.js';
import { createTestApp, findButtonUrl, type TestApp } from '../support/testApp.js';

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

const U1 = { teamId: TEST_TEAM_ID, userId: 'U1' };
const text = (res: { json(): any }) => JSON.stringify(res.json());

describe('/audience sub-commands', () => {
  beforeEach(async () => {
    // The core app alone: no feature extensions, so a bare /audience falls back to the help.
    t = await createTestApp({ extensions: [] });
  });

  it('help explains every sub-command, the query ones included, privately', async () => {
    const res = await t.command('help', U1);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.response_type).toBe('ephemeral');
    expect(checkMessageBlocks(body.blocks)).toEqual([]);
    for (const piece of [
      'opens the audience explorer',
      'by:jobFunctions',
      '/audience link',
      '/audience status',
      '/audience unlink',
      '/audience help',
    ]) {
      expect(text(res)).toContain(piece);
    }
  });

  it('link replies privately with a one-time link bound to the person', async () => {
    const res = await t.command('link', U1);
    const body = res.json();
    expect(body.response_type).toBe('ephemeral');
    expect(checkMessageBlocks(body.blocks)).toEqual([]);
    const url = new URL(findButtonUrl(body)!);
    expect(url.pathname).toBe('/oauth/linkedin/start');
    // Sub-commands are case-insensitive and the link is fresh each time.
    const again = await t.command('  LINK ', U1);
    expect(findButtonUrl(again.json())).not.toBe(url.toString());
  });

  it('status says when nobody is linked', async () => {
    const res = await t.command('status', U1);
    expect(res.json().response_type).toBe('ephemeral');
    expect(text(res)).toContain('not linked to LinkedIn');
  });

  it('status names the member and the default ad account once linked', async () => {
    await t.linkUser({ userId: 'U1' });
    const res = await t.command('status', U1);
    const body = res.json();
    expect(checkMessageBlocks(body.blocks)).toEqual([]);
    expect(text(res)).toContain('Linked to LinkedIn as *Maya Chen*');
    expect(text(res)).toContain('Northwind Traders – Global (123)');
    expect(text(res)).toContain('Account manager');
  });

  it('unlink acks at once, revokes at LinkedIn, and confirms through response_url', async () => {
    await t.linkUser({ userId: 'U1' });
    const token = t.app.db.repos.links.get(U1)!.accessToken;
    const res = await t.command('unlink', U1);
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
    const reply = t.slack.responses.at(-1)!;
    expect(reply.body.response_type).toBe('ephemeral');
    expect(reply.body.text).toContain('LinkedIn has revoked');
    expect(t.app.db.repos.links.get(U1)).toBeUndefined();
    expect((await t.app.linkedin.introspect(token)).active).toBe(false);
    expect(JSON.stringify(t.slack.homeOf('U1'))).toContain('not linked');
    // Unlinking again is harmless.
    await t.command('unlink', U1);
    expect(t.slack.responses.at(-1)!.body.text).toContain('no LinkedIn link to remove');
  });

  it('answers /audience with no text or with query text with the help until the query flow is plugged in', async () => {
    for (const query of ['', 'by:jobFunctions location:"United States" top:10']) {
      const res = await t.command(query, U1);
      expect(res.statusCode).toBe(200);
      expect(text(res)).toContain('opens the audience explorer');
    }
  });

  it('runs a retried delivery of the same command once', async () => {
    const req = signCommand(slashCommand({ text: 'link', userId: 'U1' }), t.sign());
    const first = await t.server.inject(req);
    const retry = await t.server.inject(retryOf(req, t.sign({ retryNum: 1 })));
    expect(first.statusCode).toBe(200);
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['x-slack-no-retry']).toBe('1');
    expect(retry.body).toBe('');
  });

  it('rejects forged and stale requests with 401 and runs nothing', async () => {
    const forged = await t.command('link', U1, { forgeWithSecret: 'not-the-secret' });
    const stale = await t.command('link', U1, { ageSeconds: 6 * 60 });
    const future = await t.command('link', U1, { ageSeconds: -6 * 60 });
    expect([forged.statusCode, stale.statusCode, future.statusCode]).toEqual([401, 401, 401]);
    expect(forged.body).toBe('');
  });

  it('answers url_verification on the same URL', async () => {
    const res = await t.server.inject(signEvent({ type: 'url_verification', challenge: 'abc' }, t.sign()));
    expect(res.json()).toEqual({ challenge: 'abc' });
  });
});

describe('extensions (how the query flow plugs in)', () => {
  it('routes bare and query-text /audience to audienceQuery, adds sub-commands, help lines and listeners', async () => {
    const seen: string[] = [];
    const queryFlow: SlackExtensionFactory = (context) => ({
      name: 'query-flow-under-test',
      audienceQuery: async ({ command, ack }) => {
        seen.push(`query:${command.text}`);
        // A feature uses the link service the same way the query flow will.
        await context.linking.accessTokenFor({ teamId: command.team_id, userId: command.user_id });
        await ack({ response_type: 'ephemeral', text: 'querying' });
      },
      subcommands: {
        templates: async ({ ack }) => {
          seen.push('templates');
          await ack('your templates');
        },
      },
      helpLines: ['*`/audience templates`* lists saved audiences.'],
      register(app) {
        app.action('query_rerun', async ({ ack, action }) => {
          seen.push(`rerun:${(action as { value?: string }).value}`);
          await ack();
        });
      },
    });
    t = await createTestApp({ extensions: [queryFlow] });
    await t.linkUser({ userId: 'U1' });

    expect((await t.command('by:jobFunctions top:5', U1)).json().text).toBe('querying');
    expect((await t.command('', U1)).json().text).toBe('querying');
    expect((await t.command('templates', U1)).body).toBe('your templates');
    expect(text(await t.command('help', U1))).toContain('/audience templates');
    await t.action({ actionId: 'query_rerun', value: 'q-42', userId: 'U1', container: 'home' });
    expect(seen).toEqual(['query:by:jobFunctions top:5', 'query:', 'templates', 'rerun:q-42']);
  });

  it('turns NotLinkedError from a handler into a private link prompt', async () => {
    t = await createTestApp({
      extensions: [
        (context) => ({
          name: 'needs-linkedin',
          audienceQuery: async ({ command }) => {
            await context.linking.accessTokenFor({ teamId: command.team_id, userId: command.user_id });
          },
        }),
      ],
    });
    const res = await t.command('by:skills', U1);
    const body = res.json();
    expect(body.response_type).toBe('ephemeral');
    expect(JSON.stringify(body)).toContain('not linked yet');
    expect(findButtonUrl(body)).toMatch(/\/oauth\/linkedin\/start\?ticket=/);
  });

  it('answers a failing handler with a sentence, never a stack trace', async () => {
    t = await createTestApp({
      extensions: [
        () => ({
          name: 'broken',
          audienceQuery: async () => {
            throw new Error('internal detail at /srv/app.js:12');
          },
        }),
      ],
    });
    const res = await t.command('by:skills', U1);
    expect(res.statusCode).toBe(200);
    expect(res.json().text).toBe('Something went wrong on our side. Please try again in a moment.');
    expect(res.body).not.toContain('internal detail');
  });
});

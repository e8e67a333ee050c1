/**
 * The LinkedIn link end to end, on the real app: `/audience link` → the one-time start URL → the sandbox's
 * consent page → the callback → a stored, encrypted link, a DM and a fresh App Home. And every way it must refuse.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEST_TEAM_ID } from '../support/slackRequests.js';
import { createTestApp, findButtonUrl, TEST_PUBLIC_URL, type TestApp } from '../support/testApp.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ captureLogs: true });
});
afterEach(async () => {
  await t.close();
});

const key = (userId: string) => ({ teamId: TEST_TEAM_ID, userId });
const MINUTE = 60_000;

/** `/audience link` as `userId`; the one-time start URL from its private reply. */
async function startUrlFor(userId: string): Promise<string> {
  const res = await t.command('link', { userId });
  expect(res.statusCode).toBe(200);
  const url = findButtonUrl(res.json());
  expect(url).toBeDefined();
  return url!;
}

/** Start URL → the consent page URL (as a path on the bot's server) and the OAuth state in it. */
async function consentFor(browser: ReturnType<TestApp['browser']>, startUrl: string) {
  const start = await browser.get(startUrl);
  expect(start.statusCode).toBe(302);
  const consent = new URL(start.headers.location as string);
  return { consent, state: consent.searchParams.get('state')! };
}

/** The sandbox approves as `memberId` and redirects to our callback: that callback URL. */
async function approve(browser: ReturnType<TestApp['browser']>, consent: URL, memberId = 'maya-chen') {
  const approved = await browser.get(`${consent.pathname}${consent.search}&member=${memberId}`);
  expect(approved.statusCode).toBe(302);
  return approved.headers.location as string;
}

describe('linking a LinkedIn account', () => {
  it('goes from /audience link to a stored, encrypted link, and tells the person in Slack', async () => {
    const res = await t.command('link', { userId: 'U1' });
    const body = res.json();
    expect(body.response_type).toBe('ephemeral');
    const startUrl = findButtonUrl(body)!;
    expect(startUrl.startsWith(`${TEST_PUBLIC_URL}/oauth/linkedin/start?ticket=`)).toBe(true);

    const browser = t.browser();
    const { consent, state } = await consentFor(browser, startUrl);
    // The browser goes to LinkedIn's (here: the sandbox's) consent page with the documented parameters.
    expect(`${consent.origin}${consent.pathname}`).toBe(`${TEST_PUBLIC_URL}/linkedin-sandbox/oauth/v2/authorization`);
    expect(consent.searchParams.get('response_type')).toBe('code');
    expect(consent.searchParams.get('client_id')).toBe(t.sandbox.clientId);
    expect(consent.searchParams.get('redirect_uri')).toBe(`${TEST_PUBLIC_URL}/oauth/linkedin/callback`);
    expect(consent.searchParams.get('scope')).toBe('r_ads rw_ads openid profile');
    expect(state.length).toBeGreaterThan(20);
    expect(browser.cookies().map((c) => c.name)).toContain('__Host-linkedin-oauth-state');

    // The consent page itself renders through the bot's server.
    const page = await browser.get(`${consent.pathname}${consent.search}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Maya Chen');

    const callback = await approve(browser, consent);
    expect(callback.startsWith(`${TEST_PUBLIC_URL}/oauth/linkedin/callback?`)).toBe(true);
    const done = await browser.get(callback);
    expect(done.statusCode).toBe(200);
    expect(done.headers['content-type']).toContain('text/html');
    expect(done.body).toContain('Maya Chen');
    expect(done.body).toContain('slack://app?team=T0TEST&amp;id=A0TEST&amp;tab=home');

    const link = t.app.db.repos.links.get(key('U1'))!;
    expect(link).toMatchObject({ memberUrn: 'urn:li:person:maya-chen', memberName: 'Maya Chen', status: 'active' });
    expect(link.scopes).toEqual(expect.arrayContaining(['r_ads', 'rw_ads', 'openid', 'profile']));
    expect(link.refreshToken).toBeDefined();
    expect((await t.app.linkedin.introspect(link.accessToken)).active).toBe(true);

    // Tokens are sealed at rest: neither token appears in the database files.
    const files = [t.dbPath, `${t.dbPath}-wal`].map((f) => {
      try {
        return readFileSync(f);
      } catch {
        return Buffer.alloc(0);
      }
    });
    const raw = Buffer.concat(files);
    expect(raw.length).toBeGreaterThan(0);
    expect(raw.includes(Buffer.from(link.accessToken))).toBe(false);
    expect(raw.includes(Buffer.from(link.refreshToken!))).toBe(false);
    expect(raw.includes(Buffer.from('Maya Chen'))).toBe(true);

    // The member's ad accounts are cached, with a default chosen.
    const accounts = t.app.db.repos.preferences.getCachedAccounts(key('U1'))!;
    expect(accounts.length).toBeGreaterThan(0);
    expect(accounts).toEqual(await t.app.linkedin.adAccounts(link.accessToken));
    expect(t.app.db.repos.preferences.getDefaultAccount(key('U1'))).toBe(
      accounts.find((a) => a.status === 'ACTIVE')!.urn,
    );

    // Slack: a DM confirming the link, then the App Home republished.
    const dm = t.slack.lastCall('chat.postMessage')!;
    expect(dm.args.channel).toBe('U1');
    expect(dm.args.text).toContain('Maya Chen');
    expect(JSON.stringify(t.slack.homeOf('U1'))).toContain('Maya Chen');

    // No token, code, state or ticket in any Slack message or log line (the bot token only in the auth header).
    const code = new URL(callback).searchParams.get('code')!;
    const ticket = new URL(startUrl).searchParams.get('ticket')!;
    const slackTraffic = JSON.stringify([t.slack.calls.map((c) => c.args), t.slack.responses, res.json()]);
    const logs = t.logs.join('');
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of [link.accessToken, link.refreshToken!, code, state, t.config.slack.botToken!]) {
      expect(slackTraffic).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
    // The ticket is in the person's own private message, by design, and nowhere in the logs.
    expect(logs).not.toContain(ticket);
  });

  it('accepts a ticket once only', async () => {
    const startUrl = await startUrlFor('U1');
    expect((await t.browser().get(startUrl)).statusCode).toBe(302);
    const again = await t.browser().get(startUrl);
    expect(again.statusCode).toBe(410);
    expect(again.body).toContain('already used');
  });

  it('refuses a ticket after 10 minutes', async () => {
    const startUrl = await startUrlFor('U1');
    t.clock.advance(10 * MINUTE + 1);
    const res = await t.browser().get(startUrl);
    expect(res.statusCode).toBe(410);
    expect(res.body).toContain('expired');
  });

  it('refuses a forged or altered ticket', async () => {
    const startUrl = new URL(await startUrlFor('U1'));
    const [id, signature] = startUrl.searchParams.get('ticket')!.split('.');
    const altered = `${TEST_PUBLIC_URL}/oauth/linkedin/start?ticket=${id}.${signature!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`;
    expect((await t.browser().get(altered)).statusCode).toBe(400);
    expect((await t.browser().get(`${TEST_PUBLIC_URL}/oauth/linkedin/start?ticket=made-up.value`)).statusCode).toBe(
      400,
    );
    expect((await t.browser().get(`${TEST_PUBLIC_URL}/oauth/linkedin/start`)).statusCode).toBe(400);
    // The genuine ticket still works: the forgeries did not burn it.
    expect((await t.browser().get(startUrl.toString())).statusCode).toBe(302);
  });

  it('refuses a reused state and keeps the link as it was', async () => {
    const browser = t.browser();
    const { consent } = await consentFor(browser, await startUrlFor('U1'));
    const callback = await approve(browser, consent);
    expect((await browser.get(callback)).statusCode).toBe(200);
    const before = t.app.db.repos.links.get(key('U1'))!;

    // Same URL again, even with the cookie put back: the state is single use.
    const res = await t.server.inject({
      method: 'GET',
      url: callback.slice(TEST_PUBLIC_URL.length),
      headers: { cookie: `__Host-linkedin-oauth-state=${new URL(callback).searchParams.get('state')}` },
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('already completed');
    expect(t.app.db.repos.links.get(key('U1'))!.accessToken).toBe(before.accessToken);
  });

  it('refuses an expired state', async () => {
    const browser = t.browser();
    const { consent } = await consentFor(browser, await startUrlFor('U1'));
    const callback = await approve(browser, consent);
    t.clock.advance(10 * MINUTE + 1);
    const res = await browser.get(callback);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('expired');
    expect(t.app.db.repos.links.get(key('U1'))).toBeUndefined();
  });

  it('refuses a state that belongs to another Slack user, without burning it', async () => {
    const alice = t.browser();
    const bob = t.browser();
    const { consent: aliceConsent } = await consentFor(alice, await startUrlFor('UALICE'));
    await consentFor(bob, await startUrlFor('UBOB'));
    const aliceCallback = await approve(alice, aliceConsent);

    // Bob's browser (with Bob's own state cookie) presents Alice's state.
    const stolen = await bob.get(aliceCallback);
    expect(stolen.statusCode).toBe(400);
    expect(stolen.body).toContain('belongs to someone else');
    // A browser that started nothing is refused too.
    expect((await t.browser().get(aliceCallback)).statusCode).toBe(400);
    expect(t.app.db.repos.links.get(key('UALICE'))).toBeUndefined();
    expect(t.app.db.repos.links.get(key('UBOB'))).toBeUndefined();

    // Alice can still finish her own link.
    expect((await alice.get(aliceCallback)).statusCode).toBe(200);
    expect(t.app.db.repos.links.get(key('UALICE'))?.memberName).toBe('Maya Chen');
  });

  it('shows a clear page and links nothing when consent is declined', async () => {
    const browser = t.browser();
    const { consent, state } = await consentFor(browser, await startUrlFor('U1'));
    // The person presses Cancel on the consent page (a form POST), LinkedIn redirects with the error.
    const form = Object.fromEntries(consent.searchParams);
    const cancelled = await browser.post(consent.pathname, { ...form, decision: 'cancel' });
    expect(cancelled.statusCode).toBe(302);
    const callback = new URL(cancelled.headers.location as string);
    expect(callback.searchParams.get('error')).toBe('user_cancelled_authorize');
    expect(callback.searchParams.get('state')).toBe(state);

    const page = await browser.get(callback.toString());
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Linking cancelled');
    expect(t.app.db.repos.links.get(key('U1'))).toBeUndefined();
    expect(t.slack.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('treats user_cancelled_login like a declined consent', async () => {
    const browser = t.browser();
    const { state } = await consentFor(browser, await startUrlFor('U1'));
    const page = await browser.get(
      `${TEST_PUBLIC_URL}/oauth/linkedin/callback?error=user_cancelled_login&error_description=x&state=${state}`,
    );
    expect(page.body).toContain('Linking cancelled');
    expect(t.app.db.repos.links.get(key('U1'))).toBeUndefined();
  });

  it('changes nothing when LinkedIn refuses the code exchange', async () => {
    const browser = t.browser();
    const { state } = await consentFor(browser, await startUrlFor('U1'));
    const res = await browser.get(`${TEST_PUBLIC_URL}/oauth/linkedin/callback?code=AQnot-a-real-code&state=${state}`);
    expect(res.statusCode).toBe(502);
    expect(res.body).toContain('nothing was changed');
    expect(t.app.db.repos.links.get(key('U1'))).toBeUndefined();
    expect(t.slack.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('re-links a person as another member, replacing the first link', async () => {
    await t.linkUser({ userId: 'U1', memberId: 'maya-chen' });
    const res = await t.command('link', { userId: 'U1' });
    expect(JSON.stringify(res.json())).toContain('You are linked to LinkedIn as *Maya Chen*');
    const second = await t.linkUser({ userId: 'U1', memberId: 'liam-okafor' });
    expect(second.page.statusCode).toBe(200);
    expect(t.app.db.repos.links.get(key('U1'))?.memberUrn).toBe('urn:li:person:liam-okafor');
  });
});

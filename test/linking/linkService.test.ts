/**
 * The link service on the real app: tokens from the sandbox (sharing the test clock), storage in SQLite, and the
 * Slack fake for what the person is told.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NoAdAccountError, NotLinkedError, RelinkRequiredError } from '../../src/errors.js';
import { NetworkError } from '../../src/linkedin/errors.js';
import { createLinkService } from '../../src/linking/service.js';
import { deriveTicketKey } from '../../src/linking/tickets.js';
import { TEST_TEAM_ID } from '../support/slackRequests.js';
import { createTestApp, findButtonUrl, type TestApp } from '../support/testApp.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const U1 = { teamId: TEST_TEAM_ID, userId: 'U1' };
const DAY = 24 * 3600_000;
const dmsTo = (userId: string) => t.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === userId);

describe('accessTokenFor', () => {
  it('rejects with NotLinkedError for a person who never linked', async () => {
    await expect(t.app.linking.accessTokenFor(U1)).rejects.toBeInstanceOf(NotLinkedError);
  });

  it('hands out the stored token while it is valid for more than 5 minutes', async () => {
    await t.linkUser(U1);
    const stored = t.app.db.repos.links.get(U1)!;
    expect(await t.app.linking.accessTokenFor(U1)).toBe(stored.accessToken);
    t.clock.advance(59 * DAY);
    expect(await t.app.linking.accessTokenFor(U1)).toBe(stored.accessToken);
  });

  it('refreshes a token that expires within 5 minutes, stores the new one, and it works at LinkedIn', async () => {
    await t.linkUser(U1);
    const before = t.app.db.repos.links.get(U1)!;
    t.clock.set(before.accessTokenExpiresAt - 4 * 60_000);
    const fresh = await t.app.linking.accessTokenFor(U1);
    expect(fresh).not.toBe(before.accessToken);
    const after = t.app.db.repos.links.get(U1)!;
    expect(after.accessToken).toBe(fresh);
    expect(after.accessTokenExpiresAt).toBeGreaterThan(before.accessTokenExpiresAt);
    expect(after.status).toBe('active');
    expect((await t.app.linkedin.introspect(fresh)).active).toBe(true);
    // The next call uses the stored fresh token.
    expect(await t.app.linking.accessTokenFor(U1)).toBe(fresh);
  });

  it('refreshes past expiry (the clock moved 61 days)', async () => {
    await t.linkUser(U1);
    const before = t.app.db.repos.links.get(U1)!;
    t.clock.advance(61 * DAY);
    expect((await t.app.linkedin.introspect(before.accessToken)).active).toBe(false);
    const fresh = await t.app.linking.accessTokenFor(U1);
    expect(fresh).not.toBe(before.accessToken);
    expect(await t.app.linkedin.adAccounts(fresh)).not.toHaveLength(0);
  });

  it('shares one refresh between concurrent callers', async () => {
    await t.linkUser(U1);
    t.clock.advance(61 * DAY);
    const tokens = await Promise.all([1, 2, 3].map(() => t.app.linking.accessTokenFor(U1)));
    expect(new Set(tokens).size).toBe(1);
  });

  it('asks to re-link, once, when the refresh token was revoked', async () => {
    await t.linkUser(U1);
    const link = t.app.db.repos.links.get(U1)!;
    await t.app.linkedin.revoke(link.refreshToken!);
    t.clock.advance(61 * DAY);
    const dmsBefore = dmsTo('U1').length;

    await expect(t.app.linking.accessTokenFor(U1)).rejects.toBeInstanceOf(RelinkRequiredError);
    expect(t.app.db.repos.links.get(U1)!.status).toBe('needs_relink');
    const notices = dmsTo('U1').slice(dmsBefore);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.args.text).toContain('expired or was revoked');
    // The notice carries a fresh one-time link that works.
    const url = findButtonUrl(notices[0]!.args.blocks)!;
    expect((await t.browser().get(url)).statusCode).toBe(302);
    expect(JSON.stringify(t.slack.homeOf('U1'))).toContain('Link again');

    // Asked again: still refused, but the person is not told twice.
    await expect(t.app.linking.accessTokenFor(U1)).rejects.toBeInstanceOf(RelinkRequiredError);
    expect(dmsTo('U1').slice(dmsBefore)).toHaveLength(1);
  });

  it('asks to re-link when the token expired and there is no refresh token', async () => {
    await t.linkUser(U1);
    const link = t.app.db.repos.links.get(U1)!;
    // An app without programmatic refresh tokens (not an MDP partner) gets none.
    t.app.db.repos.links.upsert({ ...link, refreshToken: undefined, refreshTokenExpiresAt: undefined });
    t.clock.set(link.accessTokenExpiresAt - 60_000);
    // Within the refresh window but still valid: the remaining token is used.
    expect(await t.app.linking.accessTokenFor(U1)).toBe(link.accessToken);
    t.clock.set(link.accessTokenExpiresAt + 1);
    await expect(t.app.linking.accessTokenFor(U1)).rejects.toBeInstanceOf(RelinkRequiredError);
    expect(t.app.db.repos.links.get(U1)!.status).toBe('needs_relink');
  });

  it('keeps the link when LinkedIn fails transiently during a refresh', async () => {
    await t.linkUser(U1);
    const link = t.app.db.repos.links.get(U1)!;
    // The same service over the real client, except that the token endpoint is down (a retryable failure).
    const outage = createLinkService({
      repos: t.app.db.repos,
      linkedin: {
        ...t.app.linkedin,
        refresh: async () => {
          throw new NetworkError('fetch failed');
        },
      },
      now: () => t.clock.now(),
      notify: async () => {},
      ticketKey: deriveTicketKey('test'),
      publicUrl: t.config.publicUrl,
    });
    t.clock.set(link.accessTokenExpiresAt - 60_000);
    // Still valid for a minute: the old token is used.
    expect(await outage.accessTokenFor(U1)).toBe(link.accessToken);
    // Expired: the failure is surfaced as is (try later), not as "link again".
    t.clock.set(link.accessTokenExpiresAt + 1);
    await expect(outage.accessTokenFor(U1)).rejects.toBeInstanceOf(NetworkError);
    expect(t.app.db.repos.links.get(U1)!.status).toBe('active');
  });

  it('a person whose link was reported rejected is asked to re-link', async () => {
    await t.linkUser(U1);
    await t.app.linking.reportRejectedToken(U1);
    expect(t.app.db.repos.links.get(U1)!.status).toBe('needs_relink');
    await expect(t.app.linking.accessTokenFor(U1)).rejects.toBeInstanceOf(RelinkRequiredError);
  });
});

describe('unlink', () => {
  it('revokes the grant at LinkedIn and deletes everything here', async () => {
    await t.linkUser(U1);
    const link = t.app.db.repos.links.get(U1)!;
    const result = await t.app.linking.unlink(U1);
    expect(result).toEqual({ wasLinked: true, revoked: true });
    expect(t.app.db.repos.links.get(U1)).toBeUndefined();
    expect(t.app.db.repos.preferences.getDefaultAccount(U1)).toBeUndefined();
    expect((await t.app.linkedin.introspect(link.accessToken)).active).toBe(false);
    expect((await t.app.linkedin.introspect(link.refreshToken!)).active).toBe(false);
    expect(JSON.stringify(t.slack.homeOf('U1'))).toContain('not linked');
    await expect(t.app.linking.accessTokenFor(U1)).rejects.toBeInstanceOf(NotLinkedError);
  });

  it('says so when there was nothing to unlink', async () => {
    expect(await t.app.linking.unlink(U1)).toEqual({ wasLinked: false, revoked: false });
  });
});

describe('ad accounts', () => {
  it('serves cached accounts and refreshes them on demand', async () => {
    await t.linkUser(U1);
    const cached = await t.app.linking.accounts(U1);
    expect(cached.map((a) => a.name)).toContain('Northwind Traders – Global');
    t.app.db.repos.preferences.setCachedAccounts(U1, cached.slice(0, 1));
    expect(await t.app.linking.accounts(U1)).toHaveLength(1);
    expect(await t.app.linking.accounts(U1, { refresh: true })).toEqual(cached);
  });

  it('stores a default account only if it is one of the member’s', async () => {
    await t.linkUser(U1);
    const accounts = await t.app.linking.accounts(U1);
    const other = accounts.at(-1)!;
    expect((await t.app.linking.setDefaultAccount(U1, other.urn)).urn).toBe(other.urn);
    expect(t.app.linking.status(U1)).toMatchObject({ linked: true, defaultAccountUrn: other.urn });
    await expect(t.app.linking.setDefaultAccount(U1, 'urn:li:sponsoredAccount:999')).rejects.toBeInstanceOf(
      NoAdAccountError,
    );
    expect(t.app.db.repos.preferences.getDefaultAccount(U1)).toBe(other.urn);
  });
});

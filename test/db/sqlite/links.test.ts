import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/types.js';
import { makeTempDir, manualClock, openTestDb, sampleLink, type TempDir } from '../helpers.js';

describe('links repository', () => {
  let dir: TempDir;
  let db: Database;
  const clock = manualClock();
  const key = { teamId: 'T0001', userId: 'U0001' };

  beforeEach(() => {
    dir = makeTempDir();
    clock.set(1_750_000_000_000);
    db = openTestDb(dir, { now: clock.now });
  });
  afterEach(() => {
    db.close();
    dir.remove();
  });

  it('stores a link and reads it back with plain tokens', () => {
    const stored = db.repos.links.upsert(sampleLink());
    expect(stored).toEqual({ ...sampleLink(), createdAt: clock.now(), updatedAt: clock.now() });
    expect(db.repos.links.get(key)).toEqual(stored);
    expect(db.repos.links.get({ teamId: 'T0001', userId: 'U9999' })).toBeUndefined();
    expect(db.repos.links.get({ teamId: 'T9999', userId: 'U0001' })).toBeUndefined();
  });

  it('keeps one link per Slack user: a second upsert replaces it and keeps the creation time', () => {
    const first = db.repos.links.upsert(sampleLink({ status: 'needs_relink', relinkNotifiedAt: clock.now() }));
    clock.advance(60_000);
    const second = db.repos.links.upsert(
      sampleLink({ memberUrn: 'urn:li:person:other', accessToken: 'new-access', refreshToken: undefined }),
    );
    expect(db.repos.links.count()).toBe(1);
    expect(second.createdAt).toBe(first.createdAt);
    expect(second.updatedAt).toBe(first.createdAt + 60_000);
    const read = db.repos.links.get(key)!;
    expect(read).toEqual(second);
    expect(read.memberUrn).toBe('urn:li:person:other');
    expect(read.accessToken).toBe('new-access');
    expect(read.refreshToken).toBeUndefined();
    expect(read.refreshTokenExpiresAt).toBe(sampleLink().refreshTokenExpiresAt);
    expect(read.status).toBe('active');
    expect(read.relinkNotifiedAt).toBeUndefined();
  });

  it('keeps links of different users and teams apart', () => {
    db.repos.links.upsert(sampleLink());
    db.repos.links.upsert(sampleLink({ userId: 'U0002', accessToken: 'token-of-u2' }));
    db.repos.links.upsert(sampleLink({ teamId: 'T0002', accessToken: 'token-of-t2' }));
    expect(db.repos.links.count()).toBe(3);
    expect(db.repos.links.get({ teamId: 'T0001', userId: 'U0002' })?.accessToken).toBe('token-of-u2');
    expect(db.repos.links.get({ teamId: 'T0002', userId: 'U0001' })?.accessToken).toBe('token-of-t2');
    expect(db.repos.links.get(key)?.accessToken).toBe(sampleLink().accessToken);
  });

  it('updates tokens, keeping the refresh token when none is given, and reactivates the link', () => {
    db.repos.links.upsert(sampleLink());
    db.repos.links.markNeedsRelink(key, clock.now());
    clock.advance(1_000);
    db.repos.links.updateTokens(key, { accessToken: 'refreshed-access', accessTokenExpiresAt: 1_770_000_000_000 });
    let link = db.repos.links.get(key)!;
    expect(link.accessToken).toBe('refreshed-access');
    expect(link.accessTokenExpiresAt).toBe(1_770_000_000_000);
    expect(link.refreshToken).toBe(sampleLink().refreshToken);
    expect(link.refreshTokenExpiresAt).toBe(sampleLink().refreshTokenExpiresAt);
    expect(link.status).toBe('active');
    expect(link.relinkNotifiedAt).toBeUndefined();
    expect(link.updatedAt).toBe(clock.now());

    db.repos.links.updateTokens(key, {
      accessToken: 'access-3',
      accessTokenExpiresAt: 1,
      refreshToken: 'refresh-3',
      refreshTokenExpiresAt: 2,
    });
    link = db.repos.links.get(key)!;
    expect([link.accessToken, link.accessTokenExpiresAt, link.refreshToken, link.refreshTokenExpiresAt]).toEqual([
      'access-3',
      1,
      'refresh-3',
      2,
    ]);
  });

  it('does nothing when updating tokens of a user without a link', () => {
    db.repos.links.updateTokens(key, { accessToken: 'orphan', accessTokenExpiresAt: 1 });
    expect(db.repos.links.get(key)).toBeUndefined();
    expect(db.repos.links.count()).toBe(0);
  });

  it('marks a link for re-linking and remembers when the person was told', () => {
    db.repos.links.upsert(sampleLink());
    db.repos.links.markNeedsRelink(key);
    expect(db.repos.links.get(key)).toMatchObject({ status: 'needs_relink', relinkNotifiedAt: undefined });
    db.repos.links.markNeedsRelink(key, 1_750_000_123_000);
    expect(db.repos.links.get(key)).toMatchObject({ status: 'needs_relink', relinkNotifiedAt: 1_750_000_123_000 });
    // Marking again without a time keeps the earlier notification.
    db.repos.links.markNeedsRelink(key);
    expect(db.repos.links.get(key)?.relinkNotifiedAt).toBe(1_750_000_123_000);
    // Tokens are untouched.
    expect(db.repos.links.get(key)?.accessToken).toBe(sampleLink().accessToken);
  });

  it('deletes a link and says whether there was one', () => {
    db.repos.links.upsert(sampleLink());
    db.repos.links.upsert(sampleLink({ userId: 'U0002' }));
    expect(db.repos.links.delete(key)).toBe(true);
    expect(db.repos.links.delete(key)).toBe(false);
    expect(db.repos.links.get(key)).toBeUndefined();
    expect(db.repos.links.count()).toBe(1);
  });

  it('returns copies: changing a returned link changes nothing stored', () => {
    const stored = db.repos.links.upsert(sampleLink());
    stored.scopes.push('w_everything');
    expect(db.repos.links.get(key)?.scopes).toEqual(sampleLink().scopes);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database, OAuthStateRecord } from '../../../src/db/types.js';
import { makeTempDir, openTestDb, type TempDir, testSealer } from '../helpers.js';

const T0 = 1_750_000_000_000;

function ticket(overrides: Partial<OAuthStateRecord> = {}): Omit<OAuthStateRecord, 'consumedAt'> {
  return {
    id: 'state-abc',
    kind: 'oauth_state',
    teamId: 'T0001',
    userId: 'U0001',
    createdAt: T0,
    expiresAt: T0 + 600_000,
    data: { channelId: 'C0001', returnTo: { view: 'home' }, attempts: 2 },
    ...overrides,
  };
}

describe('OAuth states repository', () => {
  let dir: TempDir;
  let db: Database;

  beforeEach(() => {
    dir = makeTempDir();
    db = openTestDb(dir);
  });
  afterEach(() => {
    db.close();
    dir.remove();
  });

  it('consumes a fresh record once, handing back its data', () => {
    db.repos.oauthStates.create(ticket());
    const first = db.repos.oauthStates.consume('state-abc', 'oauth_state', T0 + 1_000);
    expect(first).toEqual({ ok: true, record: { ...ticket(), consumedAt: T0 + 1_000 } });
    expect(db.repos.oauthStates.consume('state-abc', 'oauth_state', T0 + 2_000)).toEqual({ ok: false, reason: 'used' });
  });

  it('keeps records without data free of a data field', () => {
    db.repos.oauthStates.create(ticket({ data: undefined }));
    const result = db.repos.oauthStates.consume('state-abc', 'oauth_state', T0);
    expect(result.ok).toBe(true);
    expect(result.ok && result.record).toEqual({ ...ticket({ data: undefined }), consumedAt: T0 });
    expect(result.ok && result.record.data).toBeUndefined();
  });

  it('answers expired at and after the expiry time, and does not mark the record used', () => {
    db.repos.oauthStates.create(ticket());
    expect(db.repos.oauthStates.consume('state-abc', 'oauth_state', T0 + 600_000)).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(db.repos.oauthStates.consume('state-abc', 'oauth_state', T0 + 600_001)).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(db.repos.oauthStates.consume('state-abc', 'oauth_state', T0 + 599_999).ok).toBe(true);
  });

  it('answers unknown for a missing id and for a record of the other kind', () => {
    expect(db.repos.oauthStates.consume('nope', 'oauth_state', T0)).toEqual({ ok: false, reason: 'unknown' });
    db.repos.oauthStates.create(ticket({ id: 'ticket-1', kind: 'link_ticket' }));
    expect(db.repos.oauthStates.consume('ticket-1', 'oauth_state', T0)).toEqual({ ok: false, reason: 'unknown' });
    // The wrong-kind attempt did not spend the ticket.
    expect(db.repos.oauthStates.consume('ticket-1', 'link_ticket', T0).ok).toBe(true);
  });

  it('lets only one of two connections to the same file consume a record', () => {
    const sealer = testSealer();
    const a = openTestDb(dir, { sealer, name: 'shared.sqlite' });
    const b = openTestDb(dir, { sealer, name: 'shared.sqlite' });
    try {
      a.repos.oauthStates.create(ticket());
      const results = [
        b.repos.oauthStates.consume('state-abc', 'oauth_state', T0 + 1),
        a.repos.oauthStates.consume('state-abc', 'oauth_state', T0 + 2),
      ];
      expect(results.map((r) => r.ok)).toEqual([true, false]);
      expect(results[1]).toEqual({ ok: false, reason: 'used' });
    } finally {
      a.close();
      b.close();
    }
  });

  it('refuses a second record with the same id', () => {
    db.repos.oauthStates.create(ticket());
    expect(() => db.repos.oauthStates.create(ticket({ userId: 'U0002' }))).toThrow(/UNIQUE/);
  });

  it('deletes expired records only, consumed or not', () => {
    db.repos.oauthStates.create(ticket({ id: 'old-used', expiresAt: T0 + 10 }));
    db.repos.oauthStates.consume('old-used', 'oauth_state', T0 + 1);
    db.repos.oauthStates.create(ticket({ id: 'old', expiresAt: T0 + 20 }));
    db.repos.oauthStates.create(ticket({ id: 'fresh', expiresAt: T0 + 1_000 }));
    expect(db.repos.oauthStates.deleteExpired(T0 + 20)).toBe(2);
    expect(db.repos.oauthStates.deleteExpired(T0 + 20)).toBe(0);
    expect(db.repos.oauthStates.consume('old', 'oauth_state', T0)).toEqual({ ok: false, reason: 'unknown' });
    expect(db.repos.oauthStates.consume('fresh', 'oauth_state', T0 + 30).ok).toBe(true);
  });
});

import { existsSync, readFileSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SealedTokenTamperedError } from '../../../src/crypto/errors.js';
import { makeTempDir, openTestDb, sampleLink, type TempDir, testSealer } from '../helpers.js';

const ACCESS = 'AQV-plain-access-token-must-never-hit-disk-7f3a';
const REFRESH = 'AQX-plain-refresh-token-must-never-hit-disk-9c1e';
const REFRESHED = 'AQV-refreshed-access-token-also-secret-55d0';

/** Every byte SQLite wrote for this database: the main file and, when present, the WAL and shared memory. */
function storedBytes(file: string): Buffer {
  return Buffer.concat(
    [file, `${file}-wal`, `${file}-shm`].filter((path) => existsSync(path)).map((path) => readFileSync(path)),
  );
}

describe('tokens at rest', () => {
  let dir: TempDir;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => dir.remove());

  it('never writes a token in plain text, while open (WAL) or after close', () => {
    const file = dir.file('bot.sqlite');
    const sealer = testSealer();
    const db = openTestDb(dir, { sealer });
    db.repos.links.upsert(sampleLink({ accessToken: ACCESS, refreshToken: REFRESH }));
    db.repos.links.updateTokens(sampleLink(), { accessToken: REFRESHED, accessTokenExpiresAt: 1 });

    const whileOpen = storedBytes(file);
    // The scan sees what was written: the member's name is stored in the clear.
    expect(whileOpen.includes(sampleLink().memberName)).toBe(true);
    for (const token of [ACCESS, REFRESH, REFRESHED]) expect(whileOpen.includes(token)).toBe(false);
    db.close();

    const afterClose = storedBytes(file);
    expect(afterClose.includes(sampleLink().memberName)).toBe(true);
    for (const token of [ACCESS, REFRESH, REFRESHED]) {
      expect(afterClose.includes(token)).toBe(false);
      expect(afterClose.includes(Buffer.from(token).toString('base64'))).toBe(false);
    }

    const reopened = openTestDb(dir, { sealer });
    expect(reopened.repos.links.get(sampleLink())).toMatchObject({ accessToken: REFRESHED, refreshToken: REFRESH });
    reopened.close();
  });

  it('stores sealed values in the token columns', () => {
    const sealer = testSealer();
    const db = openTestDb(dir, { sealer });
    db.repos.links.upsert(sampleLink());
    db.close();
    const raw = new BetterSqlite3(dir.file('bot.sqlite'), { readonly: true });
    const row = raw.prepare('SELECT access_token_sealed, refresh_token_sealed FROM linkedin_links').get() as {
      access_token_sealed: string;
      refresh_token_sealed: string;
    };
    raw.close();
    for (const value of Object.values(row)) expect(value).toMatch(new RegExp(`^v1\\.${sealer.currentKeyId}\\.`));
  });

  it('refuses a sealed token copied into another person’s row', () => {
    const file = dir.file('bot.sqlite');
    const sealer = testSealer();
    const db = openTestDb(dir, { sealer });
    db.repos.links.upsert(sampleLink({ userId: 'U_VICTIM', accessToken: 'victim-token' }));
    db.repos.links.upsert(sampleLink({ userId: 'U_ATTACKER', accessToken: 'attacker-token' }));
    db.close();

    const raw = new BetterSqlite3(file);
    raw
      .prepare(
        `UPDATE linkedin_links SET access_token_sealed =
           (SELECT access_token_sealed FROM linkedin_links WHERE user_id = 'U_VICTIM') WHERE user_id = 'U_ATTACKER'`,
      )
      .run();
    raw.close();

    const reopened = openTestDb(dir, { sealer });
    expect(() => reopened.repos.links.get({ teamId: 'T0001', userId: 'U_ATTACKER' })).toThrow(SealedTokenTamperedError);
    expect(reopened.repos.links.get({ teamId: 'T0001', userId: 'U_VICTIM' })?.accessToken).toBe('victim-token');
    reopened.close();
  });
});

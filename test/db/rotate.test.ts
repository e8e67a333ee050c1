import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runRotateKeyCli } from '../../src/cli/rotate-key.js';
import { SealedTokenKeyUnknownError } from '../../src/crypto/errors.js';
import { createTokenSealer, keyIdOf } from '../../src/crypto/sealer.js';
import { TokenRotationError } from '../../src/db/errors.js';
import { rotateTokenKey } from '../../src/db/rotate.js';
import { makeTempDir, openTestDb, sampleLink, type TempDir } from './helpers.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

function sealedColumns(file: string): string[] {
  const raw = new BetterSqlite3(file, { readonly: true });
  try {
    return raw
      .prepare(
        'SELECT access_token_sealed AS v FROM linkedin_links UNION ALL SELECT refresh_token_sealed FROM linkedin_links',
      )
      .pluck()
      .all()
      .filter((v): v is string => typeof v === 'string');
  } finally {
    raw.close();
  }
}

function recordingIo() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

describe('rotateTokenKey', () => {
  let dir: TempDir;
  let file: string;
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);

  beforeEach(() => {
    dir = makeTempDir();
    file = dir.file('bot.sqlite');
    const db = openTestDb(dir, { sealer: createTokenSealer({ current: oldKey }) });
    db.repos.links.upsert(sampleLink({ userId: 'U1', accessToken: 'access-1', refreshToken: 'refresh-1' }));
    db.repos.links.upsert(sampleLink({ userId: 'U2', accessToken: 'access-2', refreshToken: undefined }));
    db.repos.links.upsert(sampleLink({ userId: 'U3', accessToken: 'access-3', refreshToken: 'refresh-3' }));
    db.close();
  });
  afterEach(() => dir.remove());

  it('re-seals every token under the new key; the bot then runs with the new key alone', () => {
    const report = rotateTokenKey(file, oldKey, newKey);
    expect(report).toEqual({ resealedLinks: 3, resealedTokens: 5, alreadyCurrentLinks: 0, totalLinks: 3 });
    for (const value of sealedColumns(file)) expect(value.split('.')[1]).toBe(keyIdOf(newKey));

    const withNewKey = openTestDb(dir, { sealer: createTokenSealer({ current: newKey }) });
    expect(withNewKey.repos.links.get({ teamId: 'T0001', userId: 'U1' })).toMatchObject({
      accessToken: 'access-1',
      refreshToken: 'refresh-1',
    });
    expect(withNewKey.repos.links.get({ teamId: 'T0001', userId: 'U2' })).toMatchObject({
      accessToken: 'access-2',
      refreshToken: undefined,
    });
    expect(withNewKey.repos.links.get({ teamId: 'T0001', userId: 'U3' })?.refreshToken).toBe('refresh-3');
    withNewKey.close();

    const withOldKey = openTestDb(dir, { sealer: createTokenSealer({ current: oldKey }) });
    expect(() => withOldKey.repos.links.get({ teamId: 'T0001', userId: 'U1' })).toThrow(SealedTokenKeyUnknownError);
    withOldKey.close();
  });

  it('is safe to run again: the second run finds everything current', () => {
    rotateTokenKey(file, oldKey, newKey);
    const before = sealedColumns(file);
    expect(rotateTokenKey(file, oldKey, newKey)).toEqual({
      resealedLinks: 0,
      resealedTokens: 0,
      alreadyCurrentLinks: 3,
      totalLinks: 3,
    });
    expect(sealedColumns(file)).toEqual(before);
  });

  it('finishes a half-done rotation (some links under the new key already)', () => {
    const db = openTestDb(dir, { sealer: createTokenSealer({ current: newKey }) });
    db.repos.links.upsert(sampleLink({ userId: 'U4', accessToken: 'access-4' }));
    db.close();
    expect(rotateTokenKey(file, oldKey, newKey)).toMatchObject({
      resealedLinks: 3,
      alreadyCurrentLinks: 1,
      totalLinks: 4,
    });
  });

  it('changes nothing when one token cannot be opened with either key', () => {
    const stranger = randomBytes(32);
    const db = openTestDb(dir, { sealer: createTokenSealer({ current: stranger }) });
    db.repos.links.upsert(sampleLink({ userId: 'U9', accessToken: 'access-9' }));
    db.close();
    const before = sealedColumns(file);
    expect(() => rotateTokenKey(file, oldKey, newKey)).toThrow(TokenRotationError);
    expect(sealedColumns(file)).toEqual(before);
  });

  it('refuses the same key twice, a missing file, and a file without links table', () => {
    expect(() => rotateTokenKey(file, oldKey, Buffer.from(oldKey))).toThrow(/same key/);
    expect(() => rotateTokenKey(dir.file('absent.sqlite'), oldKey, newKey)).toThrow(TokenRotationError);
    expect(existsSync(dir.file('absent.sqlite'))).toBe(false);
    new BetterSqlite3(dir.file('empty.sqlite')).close();
    expect(() => rotateTokenKey(dir.file('empty.sqlite'), oldKey, newKey)).toThrow(/no linkedin_links table/);
  });
});

describe('rotate-key CLI', () => {
  let dir: TempDir;
  let file: string;
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);

  beforeEach(() => {
    dir = makeTempDir();
    file = dir.file('bot.sqlite');
    const db = openTestDb(dir, { sealer: createTokenSealer({ current: oldKey }) });
    db.repos.links.upsert(sampleLink({ accessToken: 'cli-access-token', refreshToken: 'cli-refresh-token' }));
    db.close();
  });
  afterEach(() => dir.remove());

  it('takes the keys from arguments and prints counts only', () => {
    const { out, err, io } = recordingIo();
    const code = runRotateKeyCli(
      ['--db', file, '--from', oldKey.toString('hex'), '--to', newKey.toString('base64')],
      {},
      io,
    );
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out.join('\n')).toMatch(/Re-sealed 2 token\(s\) of 1 link\(s\)/);
    const printed = out.join('\n');
    for (const secret of [oldKey.toString('hex'), newKey.toString('base64'), 'cli-access-token']) {
      expect(printed).not.toContain(secret);
    }
    expect(sealedColumns(file)[0]!.split('.')[1]).toBe(keyIdOf(newKey));
  });

  it('takes the keys and the database from the environment', () => {
    const { out, io } = recordingIo();
    const env = {
      DATABASE_URL: file,
      TOKEN_ENCRYPTION_KEY: oldKey.toString('hex'),
      NEW_TOKEN_ENCRYPTION_KEY: newKey.toString('hex'),
    };
    expect(runRotateKeyCli([], env, io)).toBe(0);
    expect(out[0]).toMatch(/Re-sealed 2 token\(s\) of 1 link\(s\)/);
  });

  it('fails without a key, with a malformed key, or with stray arguments, echoing no key', () => {
    const missing = recordingIo();
    expect(runRotateKeyCli(['--db', file, '--from', oldKey.toString('hex')], {}, missing.io)).toBe(2);
    expect(missing.err.join('\n')).toMatch(/Both keys are needed/);

    const malformed = recordingIo();
    expect(runRotateKeyCli(['--db', file, '--from', 'abc123', '--to', newKey.toString('hex')], {}, malformed.io)).toBe(
      1,
    );
    expect(malformed.err.join('\n')).toMatch(/32 bytes/);
    expect(malformed.err.join('\n')).not.toContain(newKey.toString('hex'));

    const stray = recordingIo();
    expect(runRotateKeyCli([oldKey.toString('hex'), newKey.toString('hex')], {}, stray.io)).toBe(2);
    expect(stray.err.join('\n')).not.toContain(oldKey.toString('hex'));
    // Nothing was rotated by the failed runs.
    expect(sealedColumns(file)[0]!.split('.')[1]).toBe(keyIdOf(oldKey));
  });

  it('runs as a script with tsx', async () => {
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/rotate-key.ts', '--db', file], {
      cwd: repoRoot,
      env: {
        ...process.env,
        TOKEN_ENCRYPTION_KEY: oldKey.toString('hex'),
        NEW_TOKEN_ENCRYPTION_KEY: newKey.toString('hex'),
      },
    });
    expect(stdout).toMatch(/Re-sealed 2 token\(s\) of 1 link\(s\)/);
    expect(stdout).not.toContain(newKey.toString('hex'));
    expect(readFileSync(file).includes('cli-access-token')).toBe(false);
    expect(sealedColumns(file)[0]!.split('.')[1]).toBe(keyIdOf(newKey));
  });
});

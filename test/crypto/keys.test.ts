import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TokenKeyError } from '../../src/crypto/errors.js';
import { SANDBOX_KEY_FILE } from '../../src/crypto/keys.js';
import { loadOrCreateSandboxKey, parseKey, resolveTokenKey } from '../../src/crypto/sealer.js';

function recordingLogger() {
  const warnings: string[] = [];
  return { warnings, warn: (message: string) => warnings.push(message) };
}

describe('parseKey', () => {
  const key = randomBytes(32);

  it('reads 64 hex characters in either case', () => {
    expect(parseKey(key.toString('hex'))).toEqual(key);
    expect(parseKey(key.toString('hex').toUpperCase())).toEqual(key);
  });

  it('reads base64 with or without padding, and base64url', () => {
    expect(parseKey(key.toString('base64'))).toEqual(key);
    expect(parseKey(key.toString('base64').replace(/=$/, ''))).toEqual(key);
    expect(parseKey(key.toString('base64url'))).toEqual(key);
    expect(parseKey(`  ${key.toString('hex')}\n`)).toEqual(key);
  });

  it.each([
    ['an empty string', ''],
    ['63 hex characters', 'a'.repeat(63)],
    ['16 bytes of hex', randomBytes(16).toString('hex')],
    ['48 bytes of base64', randomBytes(48).toString('base64')],
    ['a passphrase', 'correct horse battery staple'],
  ])('rejects %s without echoing it', (_what, value) => {
    expect(() => parseKey(value)).toThrow(TokenKeyError);
    try {
      parseKey(value);
    } catch (error) {
      if (value) expect((error as Error).message).not.toContain(value);
    }
  });
});

describe('loadOrCreateSandboxKey', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sealer-keys-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('generates a key readable by the owner only, warns once, and reuses it on the next start', () => {
    const dataDir = join(dir, 'nested', 'data');
    const logger = recordingLogger();
    const first = loadOrCreateSandboxKey(dataDir, logger);
    expect(first).toHaveLength(32);
    const file = join(dataDir, SANDBOX_KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(parseKey(readFileSync(file, 'utf8'))).toEqual(first);
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toContain('TOKEN_ENCRYPTION_KEY');
    expect(logger.warnings[0]).not.toContain(first.toString('hex'));

    const second = loadOrCreateSandboxKey(dataDir, logger);
    expect(second).toEqual(first);
    expect(logger.warnings).toHaveLength(1);
  });

  it('refuses a key file that holds no key', () => {
    writeFileSync(join(dir, SANDBOX_KEY_FILE), 'not a key\n');
    expect(() => loadOrCreateSandboxKey(dir)).toThrow(TokenKeyError);
  });
});

describe('resolveTokenKey', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sealer-resolve-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prefers the configured key and writes no file', () => {
    const key = randomBytes(32);
    expect(resolveTokenKey({ configuredKey: key.toString('hex'), mode: 'sandbox', dataDir: dir })).toEqual(key);
    expect(() => statSync(join(dir, SANDBOX_KEY_FILE))).toThrow();
  });

  it('generates a sandbox key only in sandbox mode', () => {
    expect(() => resolveTokenKey({ mode: 'live', dataDir: dir })).toThrow(TokenKeyError);
    const key = resolveTokenKey({ mode: 'sandbox', dataDir: dir, logger: recordingLogger() });
    expect(loadOrCreateSandboxKey(dir)).toEqual(key);
  });
});

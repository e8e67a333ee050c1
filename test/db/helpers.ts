import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTokenSealer, type TokenSealer } from '../../src/crypto/sealer.js';
import { openDatabase } from '../../src/db/sqlite/client.js';
import type { AudienceQuerySpec, Database, LinkedInLink } from '../../src/db/types.js';

export interface TempDir {
  path: string;
  file(name: string): string;
  remove(): void;
}

export function makeTempDir(prefix = 'db-test-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, file: (name) => join(path, name), remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function testSealer(key: Buffer = randomBytes(32)): TokenSealer {
  return createTokenSealer({ current: key });
}

/** A controllable clock: every call returns the current value, `advance` moves it. */
export function manualClock(start = 1_750_000_000_000) {
  let value = start;
  return { now: () => value, advance: (ms: number) => (value += ms), set: (ms: number) => (value = ms) };
}

export function openTestDb(
  dir: TempDir,
  options: { sealer?: TokenSealer; now?: () => number; name?: string } = {},
): Database {
  return openDatabase({
    url: dir.file(options.name ?? 'bot.sqlite'),
    sealer: options.sealer ?? testSealer(),
    now: options.now,
  });
}

export function sampleLink(
  overrides: Partial<Omit<LinkedInLink, 'createdAt' | 'updatedAt'>> = {},
): Omit<LinkedInLink, 'createdAt' | 'updatedAt'> {
  return {
    teamId: 'T0001',
    userId: 'U0001',
    memberUrn: 'urn:li:person:abc123',
    memberName: 'Ada Lovelace',
    accessToken: 'AQV-access-token-plaintext-0001',
    accessTokenExpiresAt: 1_760_000_000_000,
    refreshToken: 'AQX-refresh-token-plaintext-0001',
    refreshTokenExpiresAt: 1_780_000_000_000,
    scopes: ['r_ads', 'r_basicprofile'],
    status: 'active',
    ...overrides,
  };
}

export function sampleSpec(overrides: Partial<AudienceQuerySpec> = {}): AudienceQuerySpec {
  return {
    accountUrn: 'urn:li:sponsoredAccount:507404993',
    criteria: {
      include: {
        and: [
          { or: { 'urn:li:adTargetingFacet:locations': ['urn:li:geo:103644278'] } },
          { or: { 'urn:li:adTargetingFacet:skills': ['urn:li:skill:17', 'urn:li:skill:1311'] } },
        ],
      },
      exclude: { or: { 'urn:li:adTargetingFacet:seniorities': ['urn:li:seniority:10'] } },
    },
    groupBy: 'urn:li:adTargetingFacet:industries',
    orderBy: 'AUDIENCE_PERCENTAGE',
    maxReturnCount: 10,
    ...overrides,
  };
}

/**
 * The writes the crash test interrupts, and the rules that tell a whole row from a half-written one.
 * Every value a write stores can be recomputed from the row's own key and a generation number stored alongside it,
 * so a row that mixes two writes (a token of one generation with the expiry of another, a query marked done without
 * its result, a result that is not the one computed for the query) is detected after the restart.
 */
import { createHash, randomBytes } from 'node:crypto';
import type {
  AudienceQuerySpec,
  Database,
  LinkStatus,
  QueryError,
  SlackUserKey,
  StoredQuery,
} from '../../src/db/types.js';
import type { AudienceInsight, MemberAdAccount } from '../../src/linkedin/types.js';

export const TEAM_IDS = ['T0CRASH1', 'T0CRASH2'] as const;
export const CHART_STYLES = ['bar', 'donut', 'table'] as const;
export const SEGMENTS_PER_RESULT = 100;
export const SCOPES = ['r_ads', 'r_ads_reporting', 'r_basicprofile'];

/** Expiries encode the generation of the token they belong to: a torn row pairs a token with the wrong one. */
const ACCESS_EXPIRY_EPOCH = 1_760_000_000_000;
const REFRESH_EXPIRY_EPOCH = 1_790_000_000_000;
const GENERATION_MS = 60_000;
const TOKEN_PREFIX = { access: 'AQV', refresh: 'AQX' } as const;
export type TokenKind = keyof typeof TOKEN_PREFIX;
const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Deterministic pseudo-random numbers in [0, 1) from a string (mulberry32 seeded by SHA-256). */
function seededRandom(seed: string): () => number {
  let state = Number.parseInt(sha256(seed).slice(0, 8), 16);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The code of a typed error (or its class name): never its message, which could quote stored data. */
export const errorCode = (error: unknown) =>
  (error as { code?: unknown }).code?.toString() ?? (error as Error).name ?? 'unknown error';

/**
 * Expected values are recomputed for every row after every restart; remembering them keeps the rounds fast.
 * Callers must not modify what they get.
 */
function remembered<T>(compute: (id: string) => T): (id: string) => T {
  const known = new Map<string, T>();
  return (id) => {
    let value = known.get(id);
    if (value === undefined) {
      value = compute(id);
      known.set(id, value);
    }
    return value;
  };
}

const keyText = (key: SlackUserKey) => `${key.teamId}/${key.userId}`;

// ---------------------------------------------------------------------------------------------------------------
// Links

export const accessExpiryOf = (generation: number) => ACCESS_EXPIRY_EPOCH + generation * GENERATION_MS;
export const refreshExpiryOf = (generation: number) => REFRESH_EXPIRY_EPOCH + generation * GENERATION_MS;

function tokenDigest(key: SlackUserKey, kind: TokenKind, generation: number, body: string): string {
  return sha256(`${keyText(key)}|${kind}|${generation}|${body}`).slice(0, 16);
}

/** A LinkedIn-sized token (500–1000 characters) that names its owner's generation and carries a digest of itself. */
export function makeToken(key: SlackUserKey, kind: TokenKind, generation: number): string {
  const length = 500 + Math.floor(Math.random() * 501);
  const header = `${TOKEN_PREFIX[kind]}_${generation}_`;
  // What is left once the header and `_<16-hex digest>` are counted.
  const bytes = randomBytes(length - header.length - 17);
  let body = '';
  for (const byte of bytes) body += TOKEN_ALPHABET[byte % TOKEN_ALPHABET.length];
  return `${header}${body}_${tokenDigest(key, kind, generation, body)}`;
}

/** The generation a token was made for, or a description of what is wrong with it. */
export function readToken(key: SlackUserKey, kind: TokenKind, token: string): number | string {
  const match = /^([A-Z]{3})_(\d+)_([A-Za-z0-9]+)_([0-9a-f]{16})$/.exec(token);
  if (!match) return `${kind} token is not in the token format (length ${token.length})`;
  const [, prefix, generationText, body, digest] = match as unknown as [string, string, string, string, string];
  const generation = Number(generationText);
  if (prefix !== TOKEN_PREFIX[kind]) return `${kind} token has prefix ${prefix}`;
  if (digest !== tokenDigest(key, kind, generation, body)) return `${kind} token digest does not match its content`;
  if (token.length < 500 || token.length > 1000) return `${kind} token has length ${token.length}`;
  return generation;
}

export const memberUrnOf = (key: SlackUserKey) => `urn:li:person:${sha256(keyText(key)).slice(0, 10)}`;
export const memberNameOf = (key: SlackUserKey) => `Member ${key.userId}`;

export interface LinkCheck {
  accessGeneration: number;
  refreshGeneration: number;
  status?: LinkStatus;
  problems: string[];
}

/** Reads one link through the repository (which opens both sealed tokens) and checks it is one whole write. */
export function checkLink(db: Database, key: SlackUserKey): LinkCheck {
  const problems: string[] = [];
  let link: ReturnType<Database['repos']['links']['get']>;
  try {
    link = db.repos.links.get(key);
  } catch (error) {
    // The error names the failure (tampered, malformed), never the token.
    return { accessGeneration: -1, refreshGeneration: -1, problems: [`cannot be read: ${errorCode(error)}`] };
  }
  if (!link) return { accessGeneration: -1, refreshGeneration: -1, problems: ['is missing'] };

  const access = readToken(key, 'access', link.accessToken);
  const refresh =
    link.refreshToken === undefined ? 'refresh token is missing' : readToken(key, 'refresh', link.refreshToken);
  if (typeof access === 'string') problems.push(access);
  if (typeof refresh === 'string') problems.push(refresh);
  const accessGeneration = typeof access === 'number' ? access : -1;
  const refreshGeneration = typeof refresh === 'number' ? refresh : -1;
  if (accessGeneration >= 0 && link.accessTokenExpiresAt !== accessExpiryOf(accessGeneration)) {
    problems.push(`access token of generation ${accessGeneration} has the expiry of another generation`);
  }
  if (refreshGeneration >= 0 && link.refreshTokenExpiresAt !== refreshExpiryOf(refreshGeneration)) {
    problems.push(`refresh token of generation ${refreshGeneration} has the expiry of another generation`);
  }
  // A refresh keeps or replaces the refresh token, never brings back an older one than the access token's.
  if (refreshGeneration > accessGeneration) problems.push('refresh token is newer than the access token');
  if (link.memberUrn !== memberUrnOf(key) || link.memberName !== memberNameOf(key)) {
    problems.push('member fields belong to someone else');
  }
  if (JSON.stringify(link.scopes) !== JSON.stringify(SCOPES)) problems.push('scopes are not the ones written');
  if (link.status === 'active' && link.relinkNotifiedAt !== undefined) {
    problems.push('is active but still marked as notified for re-linking');
  }
  if (link.updatedAt < link.createdAt) problems.push('was updated before it was created');
  return { accessGeneration, refreshGeneration, status: link.status, problems };
}

// ---------------------------------------------------------------------------------------------------------------
// Saved queries: the id is `q_<run>_<seq>`; everything else written to the row is computed from it.

const INDUSTRY_FACET = 'urn:li:adTargetingFacet:industries';

export const queryId = (run: string, seq: number) => `q_${run}_${seq}`;

/** Every odd query of a run is a breakdown of the one created just before it. */
export function parentIdOf(id: string): string | undefined {
  const match = /^q_([0-9a-f]+)_(\d+)$/.exec(id);
  if (!match) return undefined;
  const seq = Number(match[2]);
  return seq % 2 === 1 ? queryId(match[1]!, seq - 1) : undefined;
}

export const specOf = remembered((id): AudienceQuerySpec => {
  const random = seededRandom(`spec|${id}`);
  const pick = (count: number, base: number) =>
    Array.from({ length: count }, (_, i) => `${base + i * 7 + Math.floor(random() * 5)}`);
  return {
    accountUrn: `urn:li:sponsoredAccount:${500_000_000 + Math.floor(random() * 1_000_000)}`,
    criteria: {
      include: {
        and: [
          { or: { 'urn:li:adTargetingFacet:locations': pick(3, 100_000_000).map((n) => `urn:li:geo:${n}`) } },
          { or: { 'urn:li:adTargetingFacet:skills': pick(5, 1).map((n) => `urn:li:skill:${n}`) } },
        ],
      },
      exclude: { or: { 'urn:li:adTargetingFacet:seniorities': ['urn:li:seniority:10'] } },
    },
    groupBy: INDUSTRY_FACET,
    orderBy: 'AUDIENCE_PERCENTAGE',
    maxReturnCount: SEGMENTS_PER_RESULT,
  };
});

export const resultOf = remembered((id): AudienceInsight => {
  const random = seededRandom(`result|${id}`);
  const counts = Array.from({ length: SEGMENTS_PER_RESULT }, () => 300 + Math.floor(random() * 2_000_000));
  counts.sort((a, b) => b - a);
  const total = counts.reduce((sum, n) => sum + n, 0) + Math.floor(random() * 5_000_000);
  return {
    groupedBy: INDUSTRY_FACET,
    totalAudienceCount: total,
    segments: counts.map((entityCount, i) => ({
      entityCount,
      entityPercentage: entityCount / total,
      value: `urn:li:industry:${i * 13 + 1 + Math.floor(random() * 13)}`,
    })),
  };
});

export const namesOf = remembered((id): Record<string, string> => {
  const random = seededRandom(`names|${id}`);
  return Object.fromEntries(
    resultOf(id).segments.map((segment) => [
      segment.value,
      `Industry ${segment.value.slice('urn:li:industry:'.length)} ${Math.floor(random() * 1e9).toString(36)}`,
    ]),
  );
});

export const errorOf = (id: string): QueryError => ({
  code: 'LINKEDIN_RATE_LIMITED',
  message: `LinkedIn throttled query ${id}; try again in a minute.`,
  status: 429,
});
export const channelOf = (id: string) => `C${sha256(`channel|${id}`).slice(0, 9).toUpperCase()}`;
export const sharedTsOf = (id: string) =>
  `1750000000.${sha256(`ts|${id}`).replace(/\D/g, '').padEnd(6, '0').slice(0, 6)}`;
/** Which queries the writer lets fail: about one in eight, fixed by the id. */
export const failsOf = (id: string) => Number.parseInt(sha256(`fails|${id}`).slice(0, 2), 16) < 32;

export interface QueryCheck {
  status: StoredQuery['status'];
  shared: boolean;
  problems: string[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function checkQuery(db: Database, id: string): QueryCheck {
  const problems: string[] = [];
  const query = db.repos.queries.get(id);
  if (!query) return { status: 'pending', shared: false, problems: ['is missing'] };
  if (!same(query.spec, specOf(id))) problems.push('spec is not the one written');
  if (query.parentId !== parentIdOf(id)) problems.push('parent is not the one written');
  if (query.channelId !== channelOf(id)) problems.push('channel is not the one written');
  const hasResult = query.result !== undefined || query.names !== undefined;
  if (query.status === 'pending' && (hasResult || query.error !== undefined)) {
    problems.push('is pending but has a result or an error');
  }
  if (query.status === 'done') {
    if (failsOf(id)) problems.push('is done but was made to fail');
    if (!same(query.result, resultOf(id))) problems.push('result is not the 100-segment result written');
    if (!same(query.names, namesOf(id))) problems.push('names are not the ones written');
    if (query.error !== undefined) problems.push('is done but has an error');
  }
  if (query.status === 'failed') {
    if (!failsOf(id)) problems.push('failed but was made to succeed');
    if (!same(query.error, errorOf(id))) problems.push('error is not the one written');
    if (hasResult) problems.push('failed but has a result');
  }
  const shared = query.sharedChannelId !== undefined || query.sharedTs !== undefined;
  if (shared) {
    if (query.status !== 'done') problems.push('was shared before it was done');
    if (query.sharedChannelId !== channelOf(id) || query.sharedTs !== sharedTsOf(id)) {
      problems.push('share location is not the one written');
    }
  }
  return { status: query.status, shared, problems };
}

// ---------------------------------------------------------------------------------------------------------------
// Preferences and OAuth states

/** The first `count` ad accounts of a person: a prefix of one fixed list, so any stored list can be recomputed. */
export function accountsOf(key: SlackUserKey, count: number): MemberAdAccount[] {
  const random = seededRandom(`accounts|${keyText(key)}`);
  return Array.from({ length: count }, (_, i) => {
    const id = 500_000_000 + i * 1000 + Math.floor(random() * 1000);
    return {
      urn: `urn:li:sponsoredAccount:${id}`,
      id,
      name: `Account ${i} of ${key.userId}`,
      status: 'ACTIVE',
      currency: i % 2 === 0 ? 'USD' : 'EUR',
      test: false,
      role: i % 3 === 0 ? 'ACCOUNT_MANAGER' : 'VIEWER',
    };
  });
}
export const MAX_ACCOUNTS = 12;

export function checkPreferences(db: Database, key: SlackUserKey): string[] {
  const problems: string[] = [];
  const cached = db.repos.preferences.getCachedAccounts(key);
  if (cached !== undefined && !same(cached, accountsOf(key, cached.length))) {
    problems.push('cached accounts are not a list that was written');
  }
  const defaultAccount = db.repos.preferences.getDefaultAccount(key);
  if (defaultAccount !== undefined && !accountsOf(key, MAX_ACCOUNTS).some((a) => a.urn === defaultAccount)) {
    problems.push('default account is not one of the person’s accounts');
  }
  return problems;
}

export const stateDataOf = (id: string) => ({ channelId: channelOf(id), check: sha256(`state|${id}`) });

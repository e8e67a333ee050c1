import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { isVersionActive, latestVersion, version8 } from '../../src/sandbox/versions.js';
import { apiFor, BASE, DAY, DOC_SAMPLE_BODY, testClock, VERSION } from './helpers.js';

const clock = testClock();
const sleeps: number[] = [];
let sandbox: Sandbox;
let token: string;

beforeAll(async () => {
  sandbox = await buildSandbox({
    now: clock.now,
    populationSize: 20_000,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  token = sandbox.issueToken('maya-chen').access_token;
});
afterAll(() => sandbox.close());

const get = (path: string, headers: Record<string, string>) => sandbox.fetch(`${BASE}${path}`, { headers });
const auth = (t = token) => ({ Authorization: `Bearer ${t}`, 'LinkedIn-Version': VERSION });
const ACCOUNTS = '/rest/adAccountUsers?q=authenticatedUser';

describe('access token checks', () => {
  it('401 EMPTY_ACCESS_TOKEN without a token', async () => {
    const variants: Array<Record<string, string>> = [
      { 'LinkedIn-Version': VERSION },
      { 'LinkedIn-Version': VERSION, Authorization: 'Bearer ' },
    ];
    for (const headers of variants) {
      const res = await get(ACCOUNTS, headers);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({
        status: 401,
        serviceErrorCode: 401,
        code: 'EMPTY_ACCESS_TOKEN',
        message: 'Empty oauth2_access_token',
      });
    }
  });

  it('401 INVALID_ACCESS_TOKEN for an unknown token', async () => {
    const res = await get(ACCOUNTS, auth('AQVnotarealtoken123456789'));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      status: 401,
      serviceErrorCode: 65600,
      code: 'INVALID_ACCESS_TOKEN',
      message: 'Invalid access token',
    });
  });

  it('401 EXPIRED_ACCESS_TOKEN after 60 days', async () => {
    const local = testClock();
    const sb = await buildSandbox({ now: local.now, populationSize: 1000 });
    try {
      const t = sb.issueToken('maya-chen').access_token;
      local.advance(60 * DAY - 1000);
      expect((await sb.fetch(`${BASE}${ACCOUNTS}`, { headers: auth(t) })).status).toBe(200);
      local.advance(2000);
      const res = await sb.fetch(`${BASE}${ACCOUNTS}`, { headers: auth(t) });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { code: string }).code).toBe('EXPIRED_ACCESS_TOKEN');
    } finally {
      await sb.close();
    }
  });

  it('401 for a token of another sandbox (tokens are per instance)', async () => {
    const other = await buildSandbox({ now: clock.now, populationSize: 1000 });
    try {
      const foreign = other.issueToken('maya-chen').access_token;
      expect((await get(ACCOUNTS, auth(foreign))).status).toBe(401);
    } finally {
      await other.close();
    }
  });
});

describe('LinkedIn-Version', () => {
  it('400 VERSION_MISSING without the header', async () => {
    const res = await get(ACCOUNTS, { Authorization: `Bearer ${token}` });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-restli-gateway-error')).toBe('true');
    expect(await res.json()).toEqual({
      status: 400,
      code: 'VERSION_MISSING',
      message: 'A version must be present. Please specify a version by adding the LinkedIn-Version header.',
    });
  });

  it.each([
    ['a sunset version', '202404', '20240401'],
    ['a version from the future', '202701', '20270101'],
    ['a version one year and a month old', '202510', '20251001'],
    ['garbage', 'latest', 'latest'],
  ])('426 NONEXISTENT_VERSION for %s', async (_name, version, echoed) => {
    const res = await get(ACCOUNTS, { Authorization: `Bearer ${token}`, 'LinkedIn-Version': version });
    expect(res.status).toBe(426);
    expect(await res.json()).toEqual({
      status: 426,
      code: 'NONEXISTENT_VERSION',
      message: `Requested version ${echoed} is not active`,
    });
  });

  it('serves versions of the last year, with or without a patch suffix', async () => {
    for (const v of ['202512', '202609', '202611', '202611.01']) {
      expect((await get(ACCOUNTS, { Authorization: `Bearer ${token}`, 'LinkedIn-Version': v })).status).toBe(200);
    }
  });

  it('follows the clock and the activeVersions knob', async () => {
    expect(isVersionActive('202609', Date.UTC(2027, 8, 14), undefined)).toBe(true);
    expect(isVersionActive('202609', Date.UTC(2027, 8, 15), undefined)).toBe(false);
    expect(isVersionActive('202609', Date.UTC(2026, 7, 31), undefined)).toBe(false);
    expect(latestVersion(Date.UTC(2026, 10, 29))).toBe('202611');
    expect(version8('202611.03')).toBe('20261103');
    sandbox.knobs.activeVersions = ['202611'];
    try {
      expect((await get(ACCOUNTS, auth())).status).toBe(426);
      expect((await get(ACCOUNTS, { ...auth(), 'LinkedIn-Version': '202611' })).status).toBe(200);
    } finally {
      delete sandbox.knobs.activeVersions;
    }
  });
});

describe('knobs', () => {
  it('injects 429 and 500 at the configured rates, reproducibly for a seed', async () => {
    const run = async () => {
      const sb = await buildSandbox({
        now: clock.now,
        populationSize: 1000,
        seed: 99,
        knobs: { rate429: 0.3, rate500: 0.2 },
      });
      const t = sb.issueToken('maya-chen').access_token;
      const statuses: number[] = [];
      const bodies: unknown[] = [];
      for (let i = 0; i < 200; i++) {
        const res = await sb.fetch(`${BASE}${ACCOUNTS}`, { headers: auth(t) });
        statuses.push(res.status);
        if (res.status !== 200) bodies.push(await res.json());
      }
      await sb.close();
      return { statuses, bodies };
    };
    const a = await run();
    const b = await run();
    expect(a.statuses).toEqual(b.statuses);
    const share = (s: number) => a.statuses.filter((x) => x === s).length / a.statuses.length;
    expect(share(429)).toBeGreaterThan(0.2);
    expect(share(429)).toBeLessThan(0.4);
    expect(share(500)).toBeGreaterThan(0.1);
    expect(share(500)).toBeLessThan(0.3);
    expect(a.bodies).toContainEqual({
      message: 'Resource level throttle limit for calls to this resource is reached.',
      serviceErrorCode: 101,
      status: 429,
    });
    expect(a.bodies).toContainEqual({ status: 500, code: 'INTERNAL_SERVER_ERROR', message: 'Internal Server Error' });
  });

  it('rate 1 throttles everything, rate 0 nothing; knobs are per instance', async () => {
    const other = await buildSandbox({ now: clock.now, populationSize: 1000 });
    try {
      sandbox.knobs.rate429 = 1;
      expect((await get(ACCOUNTS, auth())).status).toBe(429);
      const otherToken = other.issueToken('maya-chen').access_token;
      expect((await other.fetch(`${BASE}${ACCOUNTS}`, { headers: auth(otherToken) })).status).toBe(200);
    } finally {
      sandbox.knobs.rate429 = 0;
    }
    expect((await get(ACCOUNTS, auth())).status).toBe(200);
  });

  it('adds latency to API calls', async () => {
    sleeps.length = 0;
    sandbox.knobs.latencyMs = 250;
    try {
      await get(ACCOUNTS, auth());
      await get('/v2/userinfo', { Authorization: `Bearer ${token}` });
    } finally {
      sandbox.knobs.latencyMs = 0;
    }
    expect(sleeps).toEqual([250, 250]);
    await get(ACCOUNTS, auth());
    expect(sleeps).toHaveLength(2);
  });

  it('waits on a real timer when no sleep is injected', async () => {
    const sb = await buildSandbox({ now: clock.now, populationSize: 1000, knobs: { latencyMs: 40 } });
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      const t = sb.issueToken('maya-chen').access_token;
      let answered = false;
      const pending = sb.fetch(`${BASE}${ACCOUNTS}`, { headers: auth(t) }).then((res) => {
        answered = true;
        return res;
      });
      await vi.advanceTimersByTimeAsync(39);
      expect(answered).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect((await pending).status).toBe(200);
    } finally {
      vi.useRealTimers();
      await sb.close();
    }
  });

  it('provisioned=false only affects Audience Insights', async () => {
    sandbox.knobs.provisioned = false;
    try {
      const api = apiFor(sandbox, token);
      expect((await api.post('/rest/targetingAudienceInsights?action=audienceInsights', DOC_SAMPLE_BODY)).status).toBe(
        403,
      );
      expect((await get(ACCOUNTS, auth())).status).toBe(200);
    } finally {
      sandbox.knobs.provisioned = true;
    }
  });
});

describe('routing', () => {
  it('404 for unknown resources and paths, with LinkedIn-style bodies and request ids', async () => {
    const res = await get('/rest/nope', auth());
    expect(res.status).toBe(404);
    expect(res.headers.get('x-li-uuid')).toBeTruthy();
    expect(((await res.json()) as { status: number }).status).toBe(404);
    expect((await get('/nothing-here', {})).status).toBe(404);
  });

  it('400 for a method a resource does not support', async () => {
    const res = await sandbox.fetch(`${BASE}/rest/adTargetingFacets/1`, { method: 'DELETE', headers: auth() });
    expect(res.status).toBe(400);
  });

  it('400 for a JSON body that does not parse', async () => {
    const res = await sandbox.fetch(`${BASE}/rest/targetingAudienceInsights?action=audienceInsights`, {
      method: 'POST',
      headers: { ...auth(), 'Content-Type': 'application/json' },
      body: '{"request":',
    });
    expect(res.status).toBe(400);
  });

  it('checks the token before anything else in the body', async () => {
    const res = await sandbox.fetch(`${BASE}/rest/targetingAudienceInsights?action=audienceInsights`, {
      method: 'POST',
      headers: { 'LinkedIn-Version': VERSION, 'Content-Type': 'application/json' },
      body: '{not json',
    });
    expect(res.status).toBe(401);
  });
});

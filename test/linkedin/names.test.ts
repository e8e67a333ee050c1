import { describe, expect, it } from 'vitest';
import { createNameResolver, readableUrnLabel } from '../../src/linkedin/names.js';
import { paramDecode } from '../../src/linkedin/restli.js';
import { json, type RecordedRequest, type Step, testClient } from './scripted-fetch.js';

const NAMES: Record<string, string> = {
  'urn:li:function:4': 'Business Development',
  'urn:li:function:20': 'Program and Project Management',
  'urn:li:seniority:9': 'Partner',
  'urn:li:staffCountRange:(1,1)': 'Self-employed',
};

const askedUrns = (req: RecordedRequest) => paramDecode(req.query).urns as string[];

/** LinkedIn's q=urns: known URNs come back, unknown ones are left out. */
const entitiesFinder: Step = (req) =>
  json({
    elements: askedUrns(req)
      .filter((u) => NAMES[u])
      .map((u) => ({ urn: u, facetUrn: 'urn:li:adTargetingFacet:x', name: NAMES[u] })),
  });

describe('resolveEntityNames', () => {
  it('coalesces two concurrent identical look-ups into one HTTP call, and serves repeats from the cache', async () => {
    const { client, requests } = testClient(() => entitiesFinder);
    const urns = ['urn:li:function:4', 'urn:li:seniority:9'];
    const [a, b] = await Promise.all([
      client.resolveEntityNames('token-A', urns),
      client.resolveEntityNames('token-B', urns),
    ]);
    expect(requests).toHaveLength(1);
    expect(askedUrns(requests[0]!)).toEqual(urns);
    const expected = new Map([
      ['urn:li:function:4', 'Business Development'],
      ['urn:li:seniority:9', 'Partner'],
    ]);
    expect(a).toEqual(expected);
    expect(b).toEqual(expected);

    const again = await client.resolveEntityNames('token-C', urns);
    expect(again).toEqual(expected);
    expect(requests).toHaveLength(1);
    expect(client.nameCacheStats()).toEqual({ hits: 2, misses: 2, coalesced: 2, errors: 0, size: 2 });
  });

  it('batches the misses of one request into one q=urns call and asks only for what is not cached or in flight', async () => {
    const { client, requests } = testClient(() => entitiesFinder);
    await client.resolveEntityNames('t', ['urn:li:function:4']);
    await Promise.all([
      client.resolveEntityNames('t', ['urn:li:function:4', 'urn:li:function:20', 'urn:li:seniority:9']),
      client.resolveEntityNames('t', ['urn:li:seniority:9', 'urn:li:staffCountRange:(1,1)']),
    ]);
    expect(requests.map(askedUrns)).toEqual([
      ['urn:li:function:4'],
      ['urn:li:function:20', 'urn:li:seniority:9'],
      ['urn:li:staffCountRange:(1,1)'],
    ]);
  });

  it('keys the cache by URN only: a name fetched for one member serves another without a call', async () => {
    const { client, requests } = testClient(() => entitiesFinder);
    await client.resolveEntityNames('token-A', ['urn:li:function:20']);
    const forB = await client.resolveEntityNames('token-B', ['urn:li:function:20']);
    expect(forB.get('urn:li:function:20')).toBe('Program and Project Management');
    expect(requests).toHaveLength(1);
  });

  it('gives unknown URNs a readable label, never throwing, and remembers them for a while', async () => {
    let now = 1_000_000;
    const { client, requests } = testClient(() => entitiesFinder, {
      now: () => now,
      nameCache: { ttlMs: 60_000, unknownTtlMs: 5_000 },
    });
    const names = await client.resolveEntityNames('t', ['urn:li:skill:17', 'urn:li:function:4']);
    expect(names.get('urn:li:skill:17')).toBe('Skill 17');
    await client.resolveEntityNames('t', ['urn:li:skill:17']);
    expect(requests).toHaveLength(1);
    now += 5_001;
    await client.resolveEntityNames('t', ['urn:li:skill:17', 'urn:li:function:4']);
    expect(requests.map(askedUrns)).toEqual([['urn:li:skill:17', 'urn:li:function:4'], ['urn:li:skill:17']]);
  });

  it('expires known names after the TTL', async () => {
    // (lru-cache reads a start time of 0 as "no TTL", so the fake clock starts later, as real clocks do.)
    let now = 50_000;
    const { client, requests } = testClient(() => entitiesFinder, { now: () => now, nameCache: { ttlMs: 1000 } });
    await client.resolveEntityNames('t', ['urn:li:function:4']);
    now = 50_999;
    await client.resolveEntityNames('t', ['urn:li:function:4']);
    expect(requests).toHaveLength(1);
    now = 51_001;
    await client.resolveEntityNames('t', ['urn:li:function:4']);
    expect(requests).toHaveLength(2);
  });

  it('evicts the least recently used name beyond max', async () => {
    const { client, requests } = testClient(() => entitiesFinder, { nameCache: { max: 2 } });
    await client.resolveEntityNames('t', ['urn:li:function:4']);
    await client.resolveEntityNames('t', ['urn:li:function:20']);
    await client.resolveEntityNames('t', ['urn:li:seniority:9']);
    expect(client.nameCacheStats().size).toBe(2);
    await client.resolveEntityNames('t', ['urn:li:function:4']);
    expect(requests).toHaveLength(4);
  });

  it('falls back to labels when LinkedIn fails, does not cache the failure, and counts it', async () => {
    const events: Array<[string, number]> = [];
    const { client, requests } = testClient(
      [json({ status: 401, message: 'Invalid access token' }, 401), entitiesFinder],
      { onCacheEvent: (event, n) => events.push([event, n]) },
    );
    const first = await client.resolveEntityNames('expired', ['urn:li:function:4']);
    expect(first.get('urn:li:function:4')).toBe('Function 4');
    const second = await client.resolveEntityNames('fresh', ['urn:li:function:4']);
    expect(second.get('urn:li:function:4')).toBe('Business Development');
    expect(requests).toHaveLength(2);
    expect(client.nameCacheStats()).toMatchObject({ errors: 1, misses: 2 });
    expect(events).toEqual([
      ['miss', 1],
      ['error', 1],
      ['miss', 1],
    ]);
  });

  it('when a joined look-up fails with another member’s token, asks again with the caller’s own token', async () => {
    const { client, requests } = testClient((req) =>
      req.headers.authorization === 'Bearer revoked-token-A'
        ? json({ status: 401, code: 'REVOKED_ACCESS_TOKEN', message: 'revoked' }, 401)
        : entitiesFinder,
    );
    const [a, b] = await Promise.all([
      client.resolveEntityNames('revoked-token-A', ['urn:li:function:4']),
      client.resolveEntityNames('valid-token-B', ['urn:li:function:4']),
    ]);
    expect(a.get('urn:li:function:4')).toBe('Function 4');
    expect(b.get('urn:li:function:4')).toBe('Business Development');
    expect(requests.map((r) => r.headers.authorization)).toEqual(['Bearer revoked-token-A', 'Bearer valid-token-B']);
  });

  it('answers an empty list without a call and ignores duplicates and non-strings', async () => {
    const { client, requests } = testClient(() => entitiesFinder);
    await expect(client.resolveEntityNames('t', [])).resolves.toEqual(new Map());
    const names = await client.resolveEntityNames('t', [
      'urn:li:function:4',
      'urn:li:function:4',
      42 as unknown as string,
    ]);
    expect([...names.keys()]).toEqual(['urn:li:function:4']);
    expect(requests).toHaveLength(1);
  });

  it('works on its own with any resolveUrns function', async () => {
    let calls = 0;
    const resolver = createNameResolver({
      resolveUrns: async (_token, urns) => {
        calls++;
        return urns.map((urn) => ({ urn, facetUrn: '', name: urn.toUpperCase() }));
      },
    });
    await resolver.resolveEntityNames('t', ['urn:li:a:1']);
    await resolver.resolveEntityNames('t', ['urn:li:a:1']);
    expect(calls).toBe(1);
    expect(resolver.stats()).toMatchObject({ hits: 1, misses: 1 });
  });
});

describe('readableUrnLabel', () => {
  it.each([
    ['urn:li:function:4', 'Function 4'],
    ['urn:li:geo:102221843', 'Geo 102221843'],
    ['urn:li:staffCountRange:(11,50)', 'Staff count range 11–50'],
    ['urn:li:staffCountRange:(10001,2147483647)', 'Staff count range 10001+'],
    ['urn:li:ageRange:(55,2147483647)', 'Age range 55+'],
    ['urn:li:growthRate:(-2147483647,0)', 'Growth rate below 0'],
    ['urn:li:yearsOfExperience:12', 'Years of experience 12'],
    ['not a urn', 'not a urn'],
  ])('%s → %s', (urn, label) => {
    expect(readableUrnLabel(urn)).toBe(label);
  });
});

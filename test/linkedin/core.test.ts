import { describe, expect, it } from 'vitest';
import { defaultUserInfoUrl } from '../../src/linkedin/client.js';
import { MAX_QUERY_LENGTH, parseRetryAfter } from '../../src/linkedin/core.js';
import {
  MalformedResponseError,
  NetworkError,
  RateLimitedError,
  ServerError,
  TimeoutError,
  UnauthorizedError,
} from '../../src/linkedin/errors.js';
import { paramDecode } from '../../src/linkedin/restli.js';
import type { TargetingCriteria } from '../../src/linkedin/types.js';
import { json, type Step, scriptedFetch, TOKEN, testClient } from './scripted-fetch.js';

const facetsOk = json({ elements: [], paging: { start: 0, count: 10, links: [] } });
const serverError = json({ message: 'Internal Server Error', status: 500 }, 500);

describe('headers', () => {
  it('sends Bearer, LinkedIn-Version, the Rest.li protocol version and method on every Rest.li call', async () => {
    const { client, requests } = testClient([facetsOk]);
    await client.listFacets(TOKEN);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.url).toBe('http://linkedin.test/rest/adTargetingFacets');
    expect(requests[0]!.method).toBe('GET');
    expect(requests[0]!.headers).toMatchObject({
      authorization: `Bearer ${TOKEN}`,
      'linkedin-version': '202601',
      'x-restli-protocol-version': '2.0.0',
      'x-restli-method': 'get_all',
    });
    expect(requests[0]!.headers['content-type']).toBeUndefined();
  });

  it('calls /v2/userinfo without version or Rest.li headers', async () => {
    const { client, requests } = testClient([json({ sub: 'abc', name: 'Ada Lovelace' })]);
    await expect(client.userInfo(TOKEN)).resolves.toEqual({ sub: 'abc', name: 'Ada Lovelace' });
    expect(requests[0]!.url).toBe('http://linkedin.test/v2/userinfo');
    expect(requests[0]!.headers).toEqual({ authorization: `Bearer ${TOKEN}` });
  });

  it('turns a userinfo 401 into UnauthorizedError whatever the body style', async () => {
    const { client } = testClient([
      json({ error: 'invalid_token', error_description: 'The access token is invalid' }, 401),
      json({ serviceErrorCode: 65600, message: 'Invalid access token', status: 401 }, 401),
    ]);
    await expect(client.userInfo(TOKEN)).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(client.userInfo(TOKEN)).rejects.toMatchObject({ reason: 'invalid', serviceErrorCode: 65600 });
  });

  it('derives the userinfo URL from the API URL, and takes an explicit one', async () => {
    expect(defaultUserInfoUrl('https://api.example.test/rest')).toBe('https://api.example.test/v2/userinfo');
    expect(defaultUserInfoUrl('https://api.example.test/rest/')).toBe('https://api.example.test/v2/userinfo');
    const { client, requests } = testClient(
      [json({ sub: 'x', name: 'X', locale: { country: 'US', language: 'en' } })],
      {
        userInfoUrl: 'http://id.test/userinfo',
      },
    );
    await client.userInfo(TOKEN);
    expect(requests[0]!.url).toBe('http://id.test/userinfo');
  });
});

describe('retries', () => {
  it('retries 5xx with exponential backoff and jitter, then succeeds', async () => {
    const { client, requests, sleeps, calls } = testClient([serverError, json({}, 503), facetsOk], {
      backoff: { baseMs: 100, maxMs: 10_000 },
      random: () => 0.5,
    });
    await expect(client.listFacets(TOKEN)).resolves.toEqual([]);
    expect(requests).toHaveLength(3);
    // Equal jitter with random 0.5: ceiling * 0.75; ceilings 100, 200.
    expect(sleeps).toEqual([75, 150]);
    expect(calls.map((c) => [c.endpoint, c.status, c.attempt])).toEqual([
      ['adTargetingFacets.getAll', 500, 1],
      ['adTargetingFacets.getAll', 503, 2],
      ['adTargetingFacets.getAll', 200, 3],
    ]);
  });

  it('keeps the jitter between half and all of the capped ceiling', async () => {
    const low = testClient([serverError, serverError, serverError, facetsOk], {
      backoff: { baseMs: 1000, maxMs: 3000 },
      random: () => 0,
    });
    await low.client.listFacets(TOKEN);
    expect(low.sleeps).toEqual([500, 1000, 1500]);
    const high = testClient([serverError, serverError, serverError, facetsOk], {
      backoff: { baseMs: 1000, maxMs: 3000 },
      random: () => 0.999999,
    });
    await high.client.listFacets(TOKEN);
    expect(high.sleeps).toEqual([1000, 2000, 3000]);
  });

  it('gives up after 1 + retries attempts and throws the last error', async () => {
    const { client, requests, sleeps } = testClient([serverError, serverError, serverError], { retries: 2 });
    const error = await client.listFacets(TOKEN).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 500, code: 'linkedin_server_error', retryable: true });
    expect(requests).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
  });

  it('does not retry 4xx other than 429', async () => {
    const { client, requests, sleeps } = testClient([
      json(
        { status: 401, serviceErrorCode: 65600, code: 'INVALID_ACCESS_TOKEN', message: 'Invalid access token' },
        401,
      ),
    ]);
    await expect(client.listFacets(TOKEN)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('retries 429 and honours Retry-After', async () => {
    const throttled = json(
      {
        message: 'Resource level throttle limit for calls to this resource is reached.',
        serviceErrorCode: 101,
        status: 429,
      },
      429,
      { 'retry-after': '2' },
    );
    const { client, sleeps } = testClient([throttled, facetsOk]);
    await client.listFacets(TOKEN);
    expect(sleeps).toEqual([2000]);
  });

  it('does not wait out a Retry-After longer than the backoff ceiling (a daily quota)', async () => {
    const { client, requests, sleeps } = testClient(
      [json({ message: 'quota', serviceErrorCode: 101, status: 429 }, 429, { 'retry-after': '3600' })],
      { backoff: { baseMs: 100, maxMs: 8000 } },
    );
    const error = await client.listFacets(TOKEN).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(3_600_000);
    expect(requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('parses Retry-After as seconds or as an HTTP date', () => {
    const now = Date.UTC(2026, 0, 1, 0, 0, 0);
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:05 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('retries network errors and reports them to onCall', async () => {
    const { client, calls } = testClient([{ network: 'fetch failed' }, facetsOk]);
    await client.listFacets(TOKEN);
    expect(calls.map((c) => c.status)).toEqual(['network', 200]);
  });

  it('throws NetworkError once the attempts run out', async () => {
    const { client } = testClient([{ network: 'ECONNREFUSED' }, { network: 'ECONNREFUSED' }], { retries: 1 });
    const error = await client.listFacets(TOKEN).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).message).toContain('ECONNREFUSED');
  });

  it('retries a create only on 429, never after a 5xx (it may have been processed)', async () => {
    const template = {
      account: 'urn:li:sponsoredAccount:1',
      name: 'T',
      targetingCriteria: { include: { and: [] } },
    };
    const fiveHundred = testClient([serverError]);
    await expect(fiveHundred.client.createTargetTemplate(TOKEN, template)).rejects.toBeInstanceOf(ServerError);
    expect(fiveHundred.requests).toHaveLength(1);

    const throttled = testClient([
      json({ message: 'throttled', status: 429 }, 429),
      { status: 201, headers: { 'x-restli-id': '77' } },
    ]);
    await expect(throttled.client.createTargetTemplate(TOKEN, template)).resolves.toEqual({ id: 77 });
    expect(throttled.requests).toHaveLength(2);
  });
});

describe('timeouts', () => {
  it('aborts a request that takes longer than timeoutMs, retries it, and reports the timeout', async () => {
    const { client, requests, calls } = testClient([{ hang: true }, facetsOk], { timeoutMs: 200 });
    await expect(client.listFacets(TOKEN)).resolves.toEqual([]);
    expect(requests).toHaveLength(2);
    expect(calls.map((c) => c.status)).toEqual(['timeout', 200]);
  });

  it('throws TimeoutError once every attempt timed out', async () => {
    const { client } = testClient([{ hang: true }, { hang: true }], { timeoutMs: 10, retries: 1 });
    const error = await client.listFacets(TOKEN).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ timeoutMs: 10, retryable: true, endpoint: 'adTargetingFacets.getAll' });
  });

  it('passes an AbortSignal that fires on timeout', async () => {
    let signal: AbortSignal | undefined;
    const hanging = scriptedFetch(() => ({ hang: true }));
    const { client } = testClient([], {
      timeoutMs: 10,
      retries: 0,
      fetch: ((url: string, init: RequestInit) => {
        signal = init.signal ?? undefined;
        return hanging.fetch(url, init);
      }) as typeof fetch,
    });
    await expect(client.listFacets(TOKEN)).rejects.toBeInstanceOf(TimeoutError);
    expect(signal?.aborted).toBe(true);
  });

  it('times out even when the fetch implementation ignores the signal', async () => {
    const neverEnding = (() => new Promise<Response>(() => {})) as typeof fetch;
    const { client } = testClient([], { timeoutMs: 10, retries: 0, fetch: neverEnding });
    await expect(client.listFacets(TOKEN)).rejects.toBeInstanceOf(TimeoutError);
  });
});

describe('response parsing', () => {
  it('turns a 200 with a body that is not JSON into MalformedResponseError, without retrying', async () => {
    const { client, requests } = testClient([{ status: 200, text: '<html>gateway</html>' }]);
    const error = await client.listFacets(TOKEN).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error).toMatchObject({ status: 200, code: 'linkedin_malformed_response', retryable: false });
    expect(requests).toHaveLength(1);
  });

  it('turns a JSON body of the wrong shape into MalformedResponseError naming the path', async () => {
    const { client } = testClient([json({ elements: [{ facetName: 7 }] })]);
    await expect(client.listFacets(TOKEN)).rejects.toThrow(/unexpected shape at elements\.0\.facetName/);
  });

  it('classifies an HTML 502 by its status', async () => {
    const { client } = testClient([{ status: 502, text: '<html>Bad gateway</html>' }], { retries: 0 });
    const error = await client.listFacets(TOKEN).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).message).toBe('LinkedIn answered HTTP 502');
  });
});

describe('query tunneling', () => {
  const manyGeos = (n: number): TargetingCriteria => ({
    include: {
      and: [
        {
          or: {
            'urn:li:adTargetingFacet:locations': Array.from({ length: n }, (_, i) => `urn:li:geo:${100000000 + i}`),
          },
        },
        { or: { 'urn:li:adTargetingFacet:skills': ['urn:li:skill:17'] } },
      ],
    },
  });

  it(`sends a query longer than ${MAX_QUERY_LENGTH} characters as a POST with X-HTTP-Method-Override: GET`, async () => {
    const { client, requests } = testClient([json({ elements: [{ total: 1200, active: 0 }] })]);
    await expect(client.audienceCount(TOKEN, manyGeos(200))).resolves.toEqual({ total: 1200, active: 0 });
    const req = requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('http://linkedin.test/rest/audienceCounts');
    expect(req.headers['x-http-method-override']).toBe('GET');
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req.headers['x-restli-method']).toBe('finder');
    expect(req.body!.length).toBeGreaterThan(MAX_QUERY_LENGTH);
    expect(paramDecode(req.body!)).toEqual({ q: 'targetingCriteriaV2', targetingCriteria: manyGeos(200) });
  });

  it('keeps a short query in the URL', async () => {
    const { client, requests } = testClient([json({ elements: [{ total: 25312600, active: 0 }] })]);
    await client.audienceCount(TOKEN, manyGeos(1));
    expect(requests[0]!.method).toBe('GET');
    expect(requests[0]!.headers['x-http-method-override']).toBeUndefined();
    expect(requests[0]!.body).toBeUndefined();
  });
});

describe('secrets never reach error messages', () => {
  const echoes: Step = (req) =>
    json({ status: 400, message: `Bad request with header ${req.headers.authorization}` }, 400);

  it('scrubs the access token from a LinkedIn message that echoes it', async () => {
    const { client } = testClient([echoes]);
    const error = (await client.listFacets(TOKEN).catch((e: unknown) => e)) as Error;
    expect(error.message).not.toContain(TOKEN);
    expect(error.message).toContain('[redacted]');
  });

  it('scrubs the token from network error messages', async () => {
    const { client } = testClient([{ network: `socket hang up for ${TOKEN}` }], { retries: 0 });
    const error = (await client.listFacets(TOKEN).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).not.toContain(TOKEN);
  });
});

describe('onCall', () => {
  it('reports duration from the injected clock', async () => {
    let t = 1000;
    const { client, calls } = testClient(
      [
        () => {
          t += 42;
          return facetsOk;
        },
      ],
      { now: () => t },
    );
    await client.listFacets(TOKEN);
    expect(calls).toEqual([{ endpoint: 'adTargetingFacets.getAll', status: 200, durationMs: 42, attempt: 1 }]);
  });
});

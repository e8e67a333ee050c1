/**
 * `/healthz` reads the database and the process, never LinkedIn; the existing server tests cover the 503 when the
 * database fails. Here: what it reports about the process, and that it makes no LinkedIn call.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/testApp.js';
import { readExposition } from './exposition.js';

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

describe('GET /healthz', () => {
  it('reports uptime, memory and event-loop delay, and asks LinkedIn nothing', async () => {
    t = await createTestApp();
    t.clock.advance(90_000);
    const res = await t.server.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.uptimeSeconds).toBe(90);
    expect(body.memory.rssBytes).toBeGreaterThan(0);
    expect(body.eventLoopDelayMs).toEqual({ p99: expect.any(Number), max: expect.any(Number) });
    expect(body.eventLoopDelayMs.max).toBeGreaterThanOrEqual(body.eventLoopDelayMs.p99);
    const metrics = readExposition((await t.server.inject({ method: 'GET', url: '/metrics' })).body);
    expect(metrics.series('audience_bot_linkedin_calls_total')).toEqual([]);
  });
});

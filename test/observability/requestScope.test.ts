/**
 * The request scope on its own, and as the request-logging plugin applies it: the request's logger reaches work
 * that never sees the request, routes can stay out of it, and it is switched off once no request is in scope.
 */
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { createLogger, type Logger } from '../../src/logging.js';
import { OUTSIDE_REQUEST_SCOPE, requestLogging, requestServerOptions } from '../../src/observability/requestLogging.js';
import { createRequestScope } from '../../src/observability/requestScope.js';
import { capturingLogger } from '../support/capturedLogs.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('createRequestScope', () => {
  const fallback = createLogger('silent');

  it('gives work started in a request that request’s logger, across awaits and timers, and the fallback outside', async () => {
    const scope = createRequestScope();
    const mine = fallback.child({ reqId: 'r1' });
    const seen: Logger[] = [];
    let end!: () => void;
    const work = scope.run(mine, async (endRequest) => {
      end = endRequest;
      seen.push(scope.logger(fallback));
      await tick();
      seen.push(scope.logger(fallback));
      await new Promise<void>((resolve) =>
        setImmediate(() => {
          seen.push(scope.logger(fallback));
          resolve();
        }),
      );
    });
    expect(scope.logger(fallback)).toBe(fallback);
    await work;
    expect(seen.map((log) => log === mine)).toEqual([true, true, true]);
    expect(scope.activeRequests).toBe(1);
    end();
    end();
    expect(scope.activeRequests).toBe(0);
  });

  it('keeps overlapping requests apart, and switches off only when the last one ends', async () => {
    const scope = createRequestScope();
    const first = fallback.child({ reqId: 'a' });
    const second = fallback.child({ reqId: 'b' });
    const ends: Array<() => void> = [];
    const seenBy = (log: Logger) =>
      scope.run(log, async (end) => {
        ends.push(end);
        await tick();
        const before = scope.logger(fallback);
        await tick();
        return [before, scope.logger(fallback)];
      });
    const a = seenBy(first);
    const b = seenBy(second);
    ends[0]!();
    expect(scope.activeRequests).toBe(1);
    // The first request ended while its work still runs: the second keeps the scope on, so it keeps its logger.
    expect((await a).map((log) => log === first)).toEqual([true, true]);
    expect((await b).map((log) => log === second)).toEqual([true, true]);
    ends[1]!();
    expect(scope.activeRequests).toBe(0);
    // Switched off: work that starts now is outside any request.
    await tick();
    expect(scope.logger(fallback)).toBe(fallback);
    // And on again for the next request.
    const third = fallback.child({ reqId: 'c' });
    const later = scope.run(third, async (end) => {
      await tick();
      const seen = scope.logger(fallback);
      end();
      // Its own end switched the scope off: from here its work logs through the fallback.
      await tick();
      return [seen, scope.logger(fallback)];
    });
    const [during, after] = await later;
    expect(during).toBe(third);
    expect(after).toBe(fallback);
  });
});

describe('the request scope on the server', () => {
  async function serverWithScope() {
    const { logger, lines } = capturingLogger();
    const scope = createRequestScope();
    const server = Fastify({ loggerInstance: logger, ...requestServerOptions() });
    await server.register(requestLogging, { scope });
    // Logs the way the LinkedIn client does: through the scope, never seeing the request.
    const logFromAfar = async () => {
      await tick();
      scope.logger(logger).info('from afar');
    };
    server.get('/scoped', async () => {
      await logFromAfar();
      return 'ok';
    });
    server.post('/scoped-body', async () => {
      await logFromAfar();
      return 'ok';
    });
    server.post('/outside', { config: OUTSIDE_REQUEST_SCOPE }, async () => {
      await logFromAfar();
      return 'ok';
    });
    return { server, scope, lines };
  }

  it('puts the request id on lines logged from afar, with a body or without, and ends the scope with the response', async () => {
    const { server, scope, lines } = await serverWithScope();
    try {
      await server.inject({ method: 'GET', url: '/scoped', headers: { 'x-request-id': 'get-1' } });
      await server.inject({
        method: 'POST',
        url: '/scoped-body',
        payload: { a: 1 },
        headers: { 'x-request-id': 'post-1' },
      });
      const afar = lines().filter((l) => l.msg === 'from afar');
      expect(afar.map((l) => l.reqId)).toEqual(['get-1', 'post-1']);
      expect(scope.activeRequests).toBe(0);

      // Over a real socket too ('close' ends the scope once the response is written).
      await server.listen({ port: 0, host: '127.0.0.1' });
      const { port } = server.server.address() as { port: number };
      const res = await fetch(`http://127.0.0.1:${port}/scoped`, { headers: { 'x-request-id': 'http-1' } });
      expect(await res.text()).toBe('ok');
      await tick();
      expect(
        lines()
          .filter((l) => l.msg === 'from afar')
          .map((l) => l.reqId),
      ).toEqual(['get-1', 'post-1', 'http-1']);
      expect(scope.activeRequests).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('leaves routes that opt out outside the scope', async () => {
    const { server, scope, lines } = await serverWithScope();
    try {
      const res = await server.inject({
        method: 'POST',
        url: '/outside',
        payload: { a: 1 },
        headers: { 'x-request-id': 'out-1' },
      });
      // Still identified: its own lines and its answer carry the id.
      expect(res.headers['x-request-id']).toBe('out-1');
      expect(lines().find((l) => l.msg === 'request completed')?.reqId).toBe('out-1');
      const afar = lines().filter((l) => l.msg === 'from afar');
      expect(afar).toHaveLength(1);
      expect(afar[0]!.reqId).toBeUndefined();
      expect(scope.activeRequests).toBe(0);
    } finally {
      await server.close();
    }
  });
});

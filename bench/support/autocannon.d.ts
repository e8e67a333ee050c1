/**
 * The part of autocannon 8's programmatic API the benches use. autocannon ships no types and `@types/autocannon`
 * is not a dependency, so this declares what `lib/run.js`, `lib/httpRequestBuilder.js` and
 * `lib/aggregateResult.js` actually accept and return.
 */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  namespace autocannon {
    /** What `setupRequest` receives and returns; returning a falsy value skips the request. */
    interface RequestData {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: string | Buffer;
    }

    interface Request extends RequestData {
      /** Called before every request is sent (not only once): a fresh body and signature per request. */
      setupRequest?: (request: RequestData, context: Record<string, unknown>) => RequestData | null | undefined;
    }

    interface Options {
      url: string;
      connections?: number;
      /** Seconds. */
      duration?: number;
      /** Requests per second over all connections; autocannon caps connections at this number. */
      overallRate?: number;
      /** Stops the run after this many requests in total. */
      maxOverallRequests?: number;
      pipelining?: number;
      /** Seconds before a request counts as timed out. */
      timeout?: number;
      requests?: Request[];
      /** Sample interval of the per-second counters, ms. */
      sampleInt?: number;
    }

    interface Histogram {
      average: number;
      mean: number;
      stddev: number;
      min: number;
      max: number;
      p50: number;
      p90: number;
      p99: number;
      total: number;
    }

    interface Result {
      duration: number;
      errors: number;
      timeouts: number;
      non2xx: number;
      resets: number;
      '1xx': number;
      '2xx': number;
      '3xx': number;
      '4xx': number;
      '5xx': number;
      statusCodeStats: Record<string, { count: number }>;
      latency: Histogram;
      requests: Histogram & { sent: number };
    }

    interface Instance extends EventEmitter, PromiseLike<Result> {
      stop(): void;
      /** `response` fires per response: (client, statusCode, resBytes, responseTimeMs). */
      on(event: 'response', listener: (client: unknown, statusCode: number, bytes: number, ms: number) => void): this;
      on(event: 'reqError', listener: (error: Error) => void): this;
      on(event: string, listener: (...args: any[]) => void): this;
    }
  }

  function autocannon(options: autocannon.Options): autocannon.Instance;
  export = autocannon;
}

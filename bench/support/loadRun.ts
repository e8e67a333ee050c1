/**
 * One autocannon run against one target. Every request is built by `setupRequest` just before it is sent, so
 * it carries a fresh timestamp, its own signature and a unique body (a receiver that drops Slack retries would
 * otherwise answer repeats without processing them).
 *
 * Latency is kept in our own microsecond histogram, fed from autocannon's per-response event: autocannon's
 * built-in histogram has 1 ms resolution, too coarse for sub-millisecond medians. Only 2xx responses count as
 * throughput or latency; anything else is counted and reported as a failure of the run.
 */
import { createHistogram, performance } from 'node:perf_hooks';
import autocannon from 'autocannon';

export interface LoadLevel {
  name: string;
  connections: number;
  /** Fixed offered rate over all connections (autocannon `overallRate`); unset = as fast as the server answers. */
  overallRate?: number;
}

export interface SignedBody {
  headers: Record<string, string>;
  body: string;
}

export interface LoadResult {
  ok: number;
  /** Responses that were not 2xx, by status code. */
  rejected: Record<string, number>;
  rejectedTotal: number;
  errors: number;
  timeouts: number;
  seconds: number;
  /** 2xx responses per second. */
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Load-generator CPU (user + system) over the run, as a share of one core. */
  clientCpu: number;
}

export interface RunLoadOptions {
  url: string;
  path: string;
  level: LoadLevel;
  durationSeconds: number;
  /** Hard cap on requests in one run, whatever the duration. */
  maxRequests: number;
  nextRequest: () => SignedBody;
}

export async function runLoad(options: RunLoadOptions): Promise<LoadResult> {
  const latencyMicros = createHistogram({ lowest: 1, highest: 60_000_000, figures: 3 });
  let ok = 0;
  const cpuAtStart = process.cpuUsage();
  const wallAtStart = performance.now();

  const instance = autocannon({
    url: options.url,
    connections: options.level.connections,
    ...(options.level.overallRate ? { overallRate: options.level.overallRate } : {}),
    duration: options.durationSeconds,
    maxOverallRequests: options.maxRequests,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: options.path,
        setupRequest: (request) => {
          const signed = options.nextRequest();
          return { ...request, headers: signed.headers, body: signed.body };
        },
      },
    ],
  });
  instance.on('response', (_client, statusCode, _bytes, ms) => {
    if (statusCode >= 200 && statusCode < 300) {
      ok += 1;
      latencyMicros.record(Math.max(1, Math.round(ms * 1000)));
    }
  });
  const result = await instance;
  const cpu = process.cpuUsage(cpuAtStart);
  const wallMs = performance.now() - wallAtStart;

  const rejected: Record<string, number> = {};
  for (const [status, { count }] of Object.entries(result.statusCodeStats)) {
    if (!status.startsWith('2')) rejected[status] = count;
  }
  const rejectedTotal = Object.values(rejected).reduce((sum, n) => sum + n, 0);
  const seconds = result.duration;
  const micros = (q: number) => (ok > 0 ? latencyMicros.percentile(q) / 1000 : Number.NaN);
  return {
    ok,
    rejected,
    rejectedTotal,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds,
    reqPerSec: seconds > 0 ? ok / seconds : 0,
    p50Ms: micros(50),
    p99Ms: micros(99),
    maxMs: ok > 0 ? latencyMicros.max / 1000 : Number.NaN,
    clientCpu: (cpu.user + cpu.system) / 1000 / wallMs,
  };
}

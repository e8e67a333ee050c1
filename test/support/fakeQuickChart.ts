/**
 * A local stand-in for a self-hosted QuickChart (ianw/quickchart): a tiny Fastify on 127.0.0.1 with `POST /chart`
 * that records each body quickchart-js `toBinary()` sends and answers a PNG. Point `QUICKCHART_URL` (or a
 * `quickchartUrl` option) at `url`.
 *
 *   const qc = await startFakeQuickChart();
 *   ... CHART_STYLE=upload, QUICKCHART_URL=qc.url ...
 *   expect(qc.posts[0]).toMatchObject({ version: '4', devicePixelRatio: 2 });
 *   qc.mode = 'error';                      // 500 with an x-quickchart-error header
 *   await qc.close();
 */
import { runInNewContext } from 'node:vm';
import Fastify from 'fastify';
import type { BarChartConfig } from '../../src/charts/types.js';

/** A 1×1 transparent PNG. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

export type FakeQuickChartMode = 'png' | 'error' | 'text' | 'slow';

export interface FakeQuickChart {
  /** e.g. http://127.0.0.1:40123 */
  url: string;
  /** Every JSON body POSTed to /chart, in order. */
  posts: Array<Record<string, unknown>>;
  /** How the next requests are answered: a PNG (default), a 500, a text body, or a PNG after 400 ms. */
  mode: FakeQuickChartMode;
  reset(): void;
  close(): Promise<void>;
}

export async function startFakeQuickChart(): Promise<FakeQuickChart> {
  const server = Fastify({ forceCloseConnections: true, bodyLimit: 10 * 1024 * 1024 });
  const fake: FakeQuickChart = {
    url: '',
    posts: [],
    mode: 'png',
    reset() {
      fake.posts.length = 0;
      fake.mode = 'png';
    },
    close: () => server.close(),
  };
  server.post('/chart', async (request, reply) => {
    fake.posts.push(request.body as Record<string, unknown>);
    if (fake.mode === 'error') return reply.code(500).header('x-quickchart-error', 'bad config').send('error');
    if (fake.mode === 'text') return reply.type('text/plain').send('not an image');
    if (fake.mode === 'slow') await new Promise((r) => setTimeout(r, 400));
    return reply.type('image/png').send(TINY_PNG);
  });
  fake.url = await server.listen({ host: '127.0.0.1', port: 0 });
  return fake;
}

/** quickchart-js sends the chart as a JavaScript literal (javascript-stringify), not JSON: evaluated in an empty context. */
export const readChartConfig = (literal: string): BarChartConfig =>
  runInNewContext(`(${literal})`, {}) as BarChartConfig;

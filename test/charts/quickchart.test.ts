import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildBreakdownChartConfig, buildComparisonChartConfig } from '../../src/charts/config.js';
import { ChartRenderError, QuickChartUrlError } from '../../src/charts/errors.js';
import {
  buildChartUrl,
  buildComparisonChartUrl,
  chartUrl,
  parseQuickChartUrl,
  renderChartPng,
  SLACK_IMAGE_URL_MAX,
} from '../../src/charts/quickchart.js';
import { DOC_SEGMENTS, manySegments } from '../blocks/fixtures.js';
import { type FakeQuickChart, readChartConfig, startFakeQuickChart, TINY_PNG } from '../support/fakeQuickChart.js';

const LOCAL = 'http://127.0.0.1:3400';

const readConfig = readChartConfig;
const configOfUrl = (url: string) => readConfig(new URL(url).searchParams.get('c')!);

describe('Chart.js 4 breakdown config', () => {
  const config = buildBreakdownChartConfig(DOC_SEGMENTS, { title: 'Job Functions' });

  it('is a v4 horizontal bar chart with explicit scales', () => {
    expect(config.type).toBe('bar');
    expect(config.options.indexAxis).toBe('y');
    expect(Object.keys(config.options.scales)).toEqual(['x', 'y']);
    expect(config.options.scales.x.beginAtZero).toBe(true);
    expect(config.options.plugins.title).toEqual({ display: true, text: 'Job Functions' });
    expect(config.options.plugins.legend.display).toBe(false);
    expect(JSON.stringify(config)).not.toMatch(/horizontalBar|xAxes|yAxes/);
  });

  it('plots percentages labelled with segment names', () => {
    expect(config.data.labels).toEqual([
      'Business Development',
      'Program and Project Management',
      'Operations',
      'Information Technology',
      'Community and Social Services',
    ]);
    expect(config.data.datasets).toHaveLength(1);
    expect(config.data.datasets[0]!.data).toEqual([23, 15, 13, 10, 7]);
  });

  it('groups two audiences as two datasets with a legend', () => {
    const grouped = buildComparisonChartConfig(
      ['Engineering', 'Sales'],
      [
        { name: 'US', values: [31, null] },
        { name: 'UK', values: [12, 24] },
      ],
      { title: 'US vs UK' },
    );
    expect(grouped.data.datasets.map((d) => [d.label, d.data])).toEqual([
      ['US', [31, null]],
      ['UK', [12, 24]],
    ]);
    expect(grouped.data.datasets[0]!.backgroundColor).not.toBe(grouped.data.datasets[1]!.backgroundColor);
    expect(grouped.options.plugins.legend.display).toBe(true);
  });
});

describe('QuickChart URL', () => {
  it('asks for Chart.js 4 with an explicit device pixel ratio, size and background', () => {
    const result = buildChartUrl(DOC_SEGMENTS, {
      quickchartUrl: LOCAL,
      title: 'Job Functions',
      width: 700,
      height: 350,
    })!;
    expect(result).toMatchObject({ shownCount: 5, totalCount: 5, truncated: false });
    const url = new URL(result.url);
    expect(`${url.protocol}//${url.host}${url.pathname}`).toBe('http://127.0.0.1:3400/chart');
    expect(url.searchParams.get('v')).toBe('4');
    expect(url.searchParams.get('devicePixelRatio')).toBe('2');
    expect(url.searchParams.get('w')).toBe('700');
    expect(url.searchParams.get('h')).toBe('350');
    expect(url.searchParams.get('bkg')).toBe('#ffffff');
    expect(url.searchParams.get('f')).toBe('png');
    expect(configOfUrl(result.url)).toEqual(buildBreakdownChartConfig(DOC_SEGMENTS, { title: 'Job Functions' }));
  });

  it('keeps devicePixelRatio in the URL even at 1 (the server would assume 2)', () => {
    const url = chartUrl(buildBreakdownChartConfig(DOC_SEGMENTS, { title: 't' }), {
      quickchartUrl: LOCAL,
      devicePixelRatio: 1,
    });
    expect(new URL(url).searchParams.get('devicePixelRatio')).toBe('1');
  });

  it('reads scheme, host, port and a path prefix from the configured URL', () => {
    expect(parseQuickChartUrl('http://127.0.0.1:3400')).toEqual({
      scheme: 'http',
      host: '127.0.0.1:3400',
      base: 'http://127.0.0.1:3400',
    });
    expect(parseQuickChartUrl('https://charts.internal.test/qc/').base).toBe('https://charts.internal.test/qc');
    const url = chartUrl(buildBreakdownChartConfig(DOC_SEGMENTS, { title: 't' }), {
      quickchartUrl: 'https://charts.internal.test/qc/',
    });
    expect(url.startsWith('https://charts.internal.test/qc/chart?c=')).toBe(true);
  });

  it('refuses URLs that are not http(s)', () => {
    expect(() => parseQuickChartUrl('ftp://127.0.0.1')).toThrow(QuickChartUrlError);
    expect(() => parseQuickChartUrl('quickchart')).toThrow(QuickChartUrlError);
  });

  it('grows the height with the number of bars unless given', () => {
    const h = (n: number) =>
      Number(new URL(buildChartUrl(manySegments(n), { quickchartUrl: LOCAL, title: 't' })!.url).searchParams.get('h'));
    expect(h(30)).toBeGreaterThan(h(5));
  });
});

describe('URL length guard (Slack image_url ≤ 3000)', () => {
  it('drops the smallest segments of a 100-segment answer until the URL fits', () => {
    const segments = manySegments(100, (i) => `Information Technology Services ${i}`);
    const result = buildChartUrl(segments, { quickchartUrl: 'https://charts.internal.test', title: 'Member Skills' })!;
    expect(result.url.length).toBeLessThanOrEqual(SLACK_IMAGE_URL_MAX);
    expect(result.truncated).toBe(true);
    expect(result.totalCount).toBe(100);
    expect(result.shownCount).toBeGreaterThan(10);
    expect(result.shownCount).toBeLessThan(100);
    const labels = configOfUrl(result.url).data.labels;
    expect(labels).toHaveLength(result.shownCount);
    // The largest shares are kept, in their original order.
    expect(labels).toEqual(segments.slice(0, result.shownCount).map((s) => s.name));
  });

  it('keeps the biggest bars but the original (e.g. hierarchical) order', () => {
    const segments = [5, 40, 1, 30, 2, 22].map((pct, i) => ({
      name: `Seniority level number ${i} (long)`,
      percentage: pct,
    }));
    const full = buildChartUrl(segments, { quickchartUrl: LOCAL, title: 'Seniorities' })!;
    const limit = full.url.length - 60;
    const result = buildChartUrl(segments, { quickchartUrl: LOCAL, title: 'Seniorities', maxUrlLength: limit })!;
    expect(result.url.length).toBeLessThanOrEqual(limit);
    expect(result.truncated).toBe(true);
    const kept = configOfUrl(result.url).data.datasets[0]!.data;
    const expected = segments.map((s) => s.percentage).filter((p) => [...kept].includes(p));
    expect(kept).toEqual(expected);
    expect(Math.min(...(kept as number[]))).toBeGreaterThanOrEqual(
      Math.max(...segments.map((s) => s.percentage).filter((p) => !kept.includes(p))),
    );
  });

  it('fits non-ASCII labels, which percent-encode to many times their length', () => {
    const segments = manySegments(60, (i) => `Développement commercial — 日本語のセグメント ${i}`);
    const result = buildChartUrl(segments, { quickchartUrl: LOCAL, title: 'Compétences' })!;
    expect(result.url.length).toBeLessThanOrEqual(SLACK_IMAGE_URL_MAX);
    expect(result.truncated).toBe(true);
  });

  it('applies the same guard to grouped bars', () => {
    const categories = Array.from({ length: 100 }, (_, i) => `Information Technology Services ${i}`);
    const series = [
      { name: 'Audience A', values: categories.map((_, i) => (i % 3 === 0 ? null : 30 - (i % 30))) },
      { name: 'Audience B', values: categories.map((_, i) => (i % 4 === 0 ? null : 1 + (i % 25))) },
    ];
    const result = buildComparisonChartUrl(categories, series, { quickchartUrl: LOCAL, title: 'A vs B' })!;
    expect(result.url.length).toBeLessThanOrEqual(SLACK_IMAGE_URL_MAX);
    expect(result).toMatchObject({ truncated: true, totalCount: 100 });
    const config = configOfUrl(result.url);
    expect(config.data.datasets).toHaveLength(2);
    expect(config.data.labels).toHaveLength(result.shownCount);
    expect(new URL(result.url).searchParams.get('v')).toBe('4');
  });

  it('gives no chart when there is nothing to draw or not even one bar fits', () => {
    expect(buildChartUrl([], { quickchartUrl: LOCAL, title: 't' })).toBeUndefined();
    expect(buildChartUrl(DOC_SEGMENTS, { quickchartUrl: LOCAL, title: 't', maxUrlLength: 200 })).toBeUndefined();
  });
});

const PNG = TINY_PNG;

describe('renderChartPng against a local QuickChart fake', () => {
  let quickchart: FakeQuickChart;
  let base: string;
  let posted: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    quickchart = await startFakeQuickChart();
    base = quickchart.url;
    posted = quickchart.posts;
  });
  afterAll(async () => {
    await quickchart.close();
  });
  beforeEach(() => {
    quickchart.reset();
  });
  const setMode = (mode: FakeQuickChart['mode']) => {
    quickchart.mode = mode;
  };

  const config = buildBreakdownChartConfig(DOC_SEGMENTS, { title: 'Job Functions' });

  it('POSTs the chart with version 4, size and device pixel ratio, and returns the PNG', async () => {
    const png = await renderChartPng(config, { quickchartUrl: base, width: 640, height: 320, devicePixelRatio: 2 });
    expect(png.equals(PNG)).toBe(true);
    expect(posted).toHaveLength(1);
    const body = posted[0]!;
    expect(body).toMatchObject({ version: '4', devicePixelRatio: 2, width: 640, height: 320, format: 'png' });
    expect(body.backgroundColor).toBe('#ffffff');
    expect(readConfig(body.chart as string)).toEqual(config);
  });

  it('sends a device pixel ratio of 1 when asked (the client default would differ from GET)', async () => {
    await renderChartPng(config, { quickchartUrl: base, devicePixelRatio: 1 });
    expect(posted[0]).toMatchObject({ devicePixelRatio: 1, version: '4' });
  });

  it('can send through an injected fetch', async () => {
    const calls: string[] = [];
    const png = await renderChartPng(config, {
      quickchartUrl: base,
      fetch: async (url, init) => {
        calls.push(url);
        return fetch(url, init);
      },
    });
    expect(png.equals(PNG)).toBe(true);
    expect(calls).toEqual([`${base}/chart`]);
    expect(posted[0]).toMatchObject({ version: '4', devicePixelRatio: 2, width: 800 });
  });

  it('turns a QuickChart error into a ChartRenderError with the status', async () => {
    setMode('error');
    await expect(renderChartPng(config, { quickchartUrl: base })).rejects.toMatchObject({
      code: 'chart_render_failed',
      status: 500,
    });
    await expect(
      renderChartPng(config, { quickchartUrl: base, fetch: (url, init) => fetch(url, init) }),
    ).rejects.toThrow('QuickChart answered 500: bad config.');
  });

  it('refuses an answer that is not a PNG', async () => {
    setMode('text');
    await expect(renderChartPng(config, { quickchartUrl: base })).rejects.toBeInstanceOf(ChartRenderError);
  });

  it('gives up after the timeout', async () => {
    setMode('slow');
    await expect(renderChartPng(config, { quickchartUrl: base, timeoutMs: 50 })).rejects.toThrow(
      'did not answer within 50 ms',
    );
    await expect(
      renderChartPng(config, { quickchartUrl: base, timeoutMs: 50, fetch: (url, init) => fetch(url, init) }),
    ).rejects.toThrow();
  });
});

/**
 * QuickChart URLs and PNGs for a breakdown, through quickchart-js 3.1.3.
 *
 * Pitfalls handled here (libraries.md §1): the client asks for Chart.js 2.9.4 unless told otherwise, so every
 * chart sets version '4'; the device pixel ratio differs between GET (server default 2) and POST (client default
 * 1), so it is always set and always present in the URL; there is no setBaseUrl, so the configured URL is split
 * into scheme and host[:port]; and Slack refuses image URLs over 3000 characters, so the URL builders drop the
 * smallest segments until the URL fits and say how many they kept.
 */
import QuickChartModule from 'quickchart-js';
import { buildBreakdownChartConfig, buildComparisonChartConfig, type ComparisonSeries } from './config.js';
import { ChartRenderError, QuickChartUrlError } from './errors.js';
import type { BarChartConfig, ChartSegment } from './types.js';

// The package's single .d.ts is read as CommonJS under NodeNext, so its default export has no construct
// signature for TypeScript; at runtime the ESM build's default export is the class.
const QuickChart = ((QuickChartModule as any).default ?? QuickChartModule) as typeof QuickChartModule.default;
type QuickChartClient = InstanceType<typeof QuickChart>;

/** Slack's image block limit on `image_url`. */
export const SLACK_IMAGE_URL_MAX = 3000;
export const CHART_JS_VERSION = '4';

export interface QuickChartTarget {
  /** e.g. https://quickchart.io or http://127.0.0.1:3400 (a path prefix is kept). */
  quickchartUrl: string;
  /** Pixels before the device pixel ratio; default 800. */
  width?: number;
  /** Pixels; default grows with the number of bars. */
  height?: number;
  /** Default 2 (sharp on high-density screens); always sent, whatever its value. */
  devicePixelRatio?: number;
  backgroundColor?: string;
}

export const DEFAULT_CHART_WIDTH = 800;
export const DEFAULT_DEVICE_PIXEL_RATIO = 2;
const DEFAULT_BACKGROUND = '#ffffff';

/** Height that gives each bar (or group of bars) room for its label. */
export function autoChartHeight(bars: number, seriesCount = 1): number {
  const perBar = 8 + 14 * Math.max(1, seriesCount);
  return Math.min(2400, Math.max(240, 90 + bars * perBar));
}

/** Splits the configured QuickChart URL into what setScheme/setHost take. */
export function parseQuickChartUrl(quickchartUrl: string): { scheme: string; host: string; base: string } {
  let url: URL;
  try {
    url = new URL(quickchartUrl);
  } catch {
    throw new QuickChartUrlError(quickchartUrl);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new QuickChartUrlError(quickchartUrl);
  const path = url.pathname.replace(/\/+$/, '');
  const scheme = url.protocol.slice(0, -1);
  const host = `${url.host}${path}`;
  return { scheme, host, base: `${scheme}://${host}` };
}

function clientFor(config: BarChartConfig, target: QuickChartTarget, bars: number, series: number): QuickChartClient {
  const { scheme, host } = parseQuickChartUrl(target.quickchartUrl);
  return new QuickChart()
    .setScheme(scheme)
    .setHost(host)
    .setVersion(CHART_JS_VERSION)
    .setFormat('png')
    .setWidth(target.width ?? DEFAULT_CHART_WIDTH)
    .setHeight(target.height ?? autoChartHeight(bars, series))
    .setDevicePixelRatio(target.devicePixelRatio ?? DEFAULT_DEVICE_PIXEL_RATIO)
    .setBackgroundColor(target.backgroundColor ?? DEFAULT_BACKGROUND)
    .setConfig(config);
}

const barsOf = (config: BarChartConfig) => config.data.labels.length;
const seriesOf = (config: BarChartConfig) => config.data.datasets.length;

/** The GET URL of a chart; devicePixelRatio is in it even when 1 (the server would otherwise assume 2). */
export function chartUrl(config: BarChartConfig, target: QuickChartTarget): string {
  const url = new URL(clientFor(config, target, barsOf(config), seriesOf(config)).getUrl());
  if (!url.searchParams.has('devicePixelRatio')) {
    url.searchParams.append('devicePixelRatio', String(target.devicePixelRatio ?? DEFAULT_DEVICE_PIXEL_RATIO));
  }
  return url.href;
}

export interface ChartUrlResult {
  url: string;
  /** Bars (segments) in the chart. */
  shownCount: number;
  /** Segments there were; more than shownCount when the URL had to be shortened. */
  totalCount: number;
  truncated: boolean;
}

/** Indices of the `k` largest values, in their original order (so a hierarchical order survives). */
function topIndices(ranks: readonly number[], k: number): number[] {
  return ranks
    .map((rank, index) => ({ rank, index }))
    .sort((x, y) => y.rank - x.rank || x.index - y.index)
    .slice(0, k)
    .map((e) => e.index)
    .sort((x, y) => x - y);
}

/**
 * The largest k whose URL fits, by binary search (a URL only grows with bars), or undefined when not even
 * one bar fits.
 */
function fitLargest(total: number, urlFor: (k: number) => string, maxLength: number): ChartUrlResult | undefined {
  const full = urlFor(total);
  if (full.length <= maxLength) return { url: full, shownCount: total, totalCount: total, truncated: false };
  let lo = 0;
  let hi = total - 1;
  let best: string | undefined;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const url = urlFor(mid);
    if (url.length <= maxLength) {
      lo = mid;
      best = url;
    } else hi = mid - 1;
  }
  // `best` is always the URL of the last k that fitted, which is where `lo` ends.
  if (lo === 0 || best === undefined) return undefined;
  return { url: best, shownCount: lo, totalCount: total, truncated: true };
}

export interface BreakdownChartOptions extends QuickChartTarget {
  title: string;
  /** Default 3000 (Slack's image_url limit). */
  maxUrlLength?: number;
}

/**
 * The QuickChart URL of a breakdown, within Slack's image_url limit: when the full chart is too long, the
 * smallest segments are left out until it fits. Undefined when there is nothing to draw.
 */
export function buildChartUrl(
  segments: readonly ChartSegment[],
  opts: BreakdownChartOptions,
): ChartUrlResult | undefined {
  if (segments.length === 0) return undefined;
  const ranks = segments.map((s) => s.percentage);
  const urlFor = (k: number) => {
    const kept = topIndices(ranks, k).map((i) => segments[i]!);
    return chartUrl(buildBreakdownChartConfig(kept, { title: opts.title }), opts);
  };
  return fitLargest(segments.length, urlFor, opts.maxUrlLength ?? SLACK_IMAGE_URL_MAX);
}

/**
 * The QuickChart URL of grouped bars comparing audiences, with the same guard: categories whose largest share
 * is smallest are left out first.
 */
export function buildComparisonChartUrl(
  categories: readonly string[],
  series: readonly ComparisonSeries[],
  opts: BreakdownChartOptions,
): ChartUrlResult | undefined {
  if (categories.length === 0 || series.length === 0) return undefined;
  const ranks = categories.map((_, i) => Math.max(...series.map((s) => s.values[i] ?? Number.NEGATIVE_INFINITY)));
  const urlFor = (k: number) => {
    const kept = topIndices(ranks, k);
    const config = buildComparisonChartConfig(
      kept.map((i) => categories[i]!),
      series.map((s) => ({ name: s.name, values: kept.map((i) => s.values[i] ?? null) })),
      { title: opts.title },
    );
    return chartUrl(config, opts);
  };
  return fitLargest(categories.length, urlFor, opts.maxUrlLength ?? SLACK_IMAGE_URL_MAX);
}

export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal },
) => Promise<{
  ok: boolean;
  status: number;
  headers: { get(name: string): string | null };
  arrayBuffer(): Promise<ArrayBuffer>;
}>;

export interface RenderPngOptions extends QuickChartTarget {
  /** Send the POST through this fetch instead of quickchart-js's own (e.g. to add a proxy or a fake). */
  fetch?: FetchLike;
  /** Give up after this long; default 10 s. */
  timeoutMs?: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
export const isPng = (bytes: Buffer): boolean =>
  bytes.length > PNG_SIGNATURE.length && bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE);

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ChartRenderError(`QuickChart did not answer within ${ms} ms.`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Renders a chart to PNG bytes by POSTing it to `${quickchartUrl}/chart` (quickchart-js `toBinary()`), for the
 * "upload" style where the image goes to Slack as a file and no URL leaves the workspace.
 */
export async function renderChartPng(config: BarChartConfig, opts: RenderPngOptions): Promise<Buffer> {
  const client = clientFor(config, opts, barsOf(config), seriesOf(config));
  const timeoutMs = opts.timeoutMs ?? 10_000;
  let bytes: Buffer;
  if (opts.fetch) {
    const { base } = parseQuickChartUrl(opts.quickchartUrl);
    const response = await opts.fetch(`${base}/chart`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(client.getPostData()),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) {
      const detail = response.headers.get('x-quickchart-error');
      throw new ChartRenderError(
        `QuickChart answered ${response.status}${detail ? `: ${detail}` : ''}.`,
        response.status,
      );
    }
    bytes = Buffer.from(await response.arrayBuffer());
  } else {
    try {
      bytes = await withTimeout(client.toBinary(), timeoutMs);
    } catch (error) {
      if (error instanceof ChartRenderError) throw error;
      const status = /status code (\d{3})/.exec(String((error as Error).message))?.[1];
      throw new ChartRenderError('QuickChart could not render the chart.', status ? Number(status) : undefined, {
        cause: error,
      });
    }
  }
  if (!isPng(bytes)) throw new ChartRenderError('QuickChart did not answer with a PNG image.');
  return bytes;
}

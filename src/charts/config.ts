/**
 * Chart.js 4 configurations for an audience breakdown (one series) and a comparison (grouped bars, one series
 * per audience). Horizontal bars, because segment names are long and read best on the y axis.
 */
import type { BarChartConfig, BarDataset, ChartSegment } from './types.js';

/** Labels longer than this are cut: a chart is read at a glance, the full names are in the message. */
export const CHART_LABEL_MAX = 40;

export const SERIES_COLORS = ['#0a66c2', '#e68a00', '#3d8b37', '#8a4fbf', '#c23b3b', '#5b6770'] as const;

export function chartLabel(name: string, max = CHART_LABEL_MAX): string {
  const clean = name.replace(/\s+/g, ' ').trim() || '(no name)';
  if (clean.length <= max) return clean;
  let out = '';
  for (const ch of clean) {
    if (out.length + ch.length > max - 1) break;
    out += ch;
  }
  return `${out.trimEnd()}…`;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

function barConfig(title: string, labels: string[], datasets: BarDataset[], showLegend: boolean): BarChartConfig {
  return {
    type: 'bar',
    data: { labels, datasets },
    options: {
      indexAxis: 'y',
      plugins: {
        title: { display: true, text: title },
        legend: showLegend ? { display: true, position: 'bottom' } : { display: false },
      },
      // Always explicit: a self-hosted QuickChart injects v2-style axes into bar configs that have none.
      scales: {
        x: { beginAtZero: true, title: { display: true, text: '% of audience' }, ticks: { precision: 0 } },
        y: { ticks: { autoSkip: false } },
      },
    },
  };
}

/** One horizontal bar per segment, valued by its share of the audience. */
export function buildBreakdownChartConfig(segments: readonly ChartSegment[], opts: { title: string }): BarChartConfig {
  return barConfig(
    opts.title,
    segments.map((s) => chartLabel(s.name)),
    [
      {
        label: '% of audience',
        data: segments.map((s) => round1(s.percentage)),
        backgroundColor: SERIES_COLORS[0],
      },
    ],
    false,
  );
}

export interface ComparisonSeries {
  name: string;
  /** One value per category; `null` where the segment is not in that audience's answer. */
  values: Array<number | null>;
}

/** Grouped horizontal bars: one category per segment, one coloured series per audience. */
export function buildComparisonChartConfig(
  categories: readonly string[],
  series: readonly ComparisonSeries[],
  opts: { title: string },
): BarChartConfig {
  return barConfig(
    opts.title,
    categories.map((c) => chartLabel(c)),
    series.map((s, i) => ({
      label: chartLabel(s.name, 30),
      data: s.values.map((v) => (v === null ? null : round1(v))),
      backgroundColor: SERIES_COLORS[i % SERIES_COLORS.length]!,
    })),
    true,
  );
}

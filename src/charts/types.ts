/**
 * The subset of Chart.js 4 configuration the bot produces. Written out here because chart.js itself is not a
 * dependency (QuickChart renders it); the shape follows Chart.js 4, not 2: `type: 'bar'` + `indexAxis: 'y'`
 * instead of `horizontalBar`, `scales.x`/`scales.y` instead of `xAxes`/`yAxes`, title and legend under `plugins`.
 */

/** What a chart needs of a segment; the Slack view model's SegmentView fits it. */
export interface ChartSegment {
  name: string;
  /** Share of the audience, 0–100. */
  percentage: number;
}

export interface BarDataset {
  label: string;
  /** `null` leaves a gap: "not in this audience's answer", which is not the same as 0%. */
  data: Array<number | null>;
  backgroundColor: string;
  borderColor?: string;
  borderWidth?: number;
}

interface AxisOptions {
  beginAtZero?: boolean;
  suggestedMax?: number;
  title?: { display: boolean; text: string };
  ticks?: { autoSkip?: boolean; precision?: number; font?: { size: number } };
  grid?: { display: boolean };
}

export interface BarChartConfig {
  type: 'bar';
  data: { labels: string[]; datasets: BarDataset[] };
  options: {
    indexAxis: 'y';
    plugins: {
      title: { display: true; text: string };
      legend: { display: boolean; position?: 'top' | 'bottom' };
    };
    scales: { x: AxisOptions; y: AxisOptions };
  };
}

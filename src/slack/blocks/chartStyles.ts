/**
 * The three ways a breakdown's chart can be drawn, what each sends where, and which one a workspace uses: an
 * admin's choice in the App Home wins over the server's CHART_STYLE.
 */
import type { ChartStyle } from './types.js';

export const CHART_STYLES: readonly ChartStyle[] = ['quickchart', 'native', 'upload'];

export const isChartStyle = (value: unknown): value is ChartStyle => CHART_STYLES.includes(value as ChartStyle);

/** Short names and one-line explanations, for the App Home picker (≤75 characters each). */
export const CHART_STYLE_INFO: Record<ChartStyle, { label: string; description: string }> = {
  quickchart: {
    label: 'QuickChart image',
    description: 'The numbers travel to the QuickChart server in an image URL',
  },
  native: {
    label: 'Slack-native chart',
    description: 'Slack draws the table and the chart; nothing leaves Slack',
  },
  upload: {
    label: 'Uploaded PNG',
    description: 'Your own QuickChart renders a PNG, uploaded into the thread',
  },
};

/** The style a workspace's answers are drawn in: its stored choice when valid, else the server default. */
export function resolveChartStyle(workspaceChoice: string | undefined, serverDefault: ChartStyle): ChartStyle {
  return isChartStyle(workspaceChoice) ? workspaceChoice : serverDefault;
}

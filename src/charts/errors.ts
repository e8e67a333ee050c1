/** Errors of the chart renderer, each with a stable code like the rest of the bot (see src/errors.ts). */

/** QUICKCHART_URL is not an http(s) URL the client can talk to. */
export class QuickChartUrlError extends Error {
  readonly code = 'quickchart_url_invalid';
  constructor(readonly url: string) {
    super('The QuickChart URL must be an absolute http(s) URL such as https://quickchart.io.');
    this.name = 'QuickChartUrlError';
  }
}

/** QuickChart did not return a PNG (down, slow, or refused the config). */
export class ChartRenderError extends Error {
  readonly code = 'chart_render_failed';
  constructor(
    message: string,
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ChartRenderError';
  }
}

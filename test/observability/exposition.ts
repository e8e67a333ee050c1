/**
 * A reader for Prometheus' text exposition format, enough to assert exact series values: `# HELP`/`# TYPE`
 * lines are skipped, each sample is `name{label="value",…} number`.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, raw] of (match[2] ?? '').matchAll(LABEL)) {
      labels[key!] = raw!.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    }
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

export interface Exposition {
  samples: Sample[];
  /** The value of the one series with exactly these labels, or undefined when it does not exist. */
  value(name: string, labels?: Record<string, string>): number | undefined;
  /** The sum over every series of `name` whose labels include `labels`. */
  sum(name: string, labels?: Record<string, string>): number;
  /** Every series of `name`, as `{labels} value` objects. */
  series(name: string): Sample[];
}

const sameLabels = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(b).every(([k, v]) => a[k] === v);
const includesLabels = (a: Record<string, string>, b: Record<string, string>) =>
  Object.entries(b).every(([k, v]) => a[k] === v);

export function readExposition(text: string): Exposition {
  const samples = parseExposition(text);
  return {
    samples,
    value: (name, labels = {}) => samples.find((s) => s.name === name && sameLabels(s.labels, labels))?.value,
    sum: (name, labels = {}) =>
      samples.filter((s) => s.name === name && includesLabels(s.labels, labels)).reduce((t, s) => t + s.value, 0),
    series: (name) => samples.filter((s) => s.name === name),
  };
}

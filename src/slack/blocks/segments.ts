/**
 * A breakdown as mrkdwn lines: a fixed-width text bar, the share and the segment's name and member count.
 * This is what every style falls back to, so it must read well on its own (and in a notification).
 */
import { escapeMrkdwn, oneLine, truncate } from './kit.js';
import type { SegmentView } from './types.js';

const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 420000 → "420,000" (always en-US separators, whatever the server's locale). */
export const formatCount = (n: number): string => integerFormat.format(n);

/** 420000 → "≈420,000": LinkedIn's audience counts are rounded, so a total reads as approximate. */
export const formatApproxCount = (n: number): string => `≈${formatCount(n)}`;

const COMPACT_UNITS = [
  { size: 1e9, suffix: 'B' },
  { size: 1e6, suffix: 'M' },
  { size: 1e3, suffix: 'K' },
] as const;

/**
 * 420000 → "420K", 1234567 → "≈1.2M", 950 → "950". "≈" marks a figure that lost digits to the rounding,
 * so an exact-looking "1.2M" is never mistaken for a precise count.
 */
export function formatCompact(n: number): string {
  const abs = Math.abs(n);
  for (let i = 0; i < COMPACT_UNITS.length; i++) {
    const unit = COMPACT_UNITS[i]!;
    if (abs < unit.size) continue;
    let value = abs / unit.size;
    let decimals = value < 100 ? 1 : 0;
    let rounded = Number(value.toFixed(decimals));
    let chosen: { size: number; suffix: string } = unit;
    if (rounded >= 1000 && i > 0) {
      // 999,950 would print as "1000K": move up to the next unit instead.
      chosen = COMPACT_UNITS[i - 1]!;
      value = abs / chosen.size;
      decimals = 1;
      rounded = Number(value.toFixed(decimals));
    }
    const text = `${n < 0 ? '-' : ''}${rounded}${chosen.suffix}`;
    return rounded * chosen.size === abs ? text : `≈${text}`;
  }
  return formatCount(n);
}

/** 23 → "23%", 2.5 → "2.5%", 12.46 → "12.5%". */
export function formatPercent(pct: number): string {
  if (Number.isInteger(pct)) return `${pct}%`;
  return `${Number(pct.toFixed(1))}%`;
}

/** The share of one segment: LinkedIn rounds shares down to whole percents, so a 0 with members reads "<1%". */
export const formatShare = (segment: Pick<SegmentView, 'percentage' | 'count'>): string =>
  segment.percentage === 0 && segment.count > 0 ? '<1%' : formatPercent(segment.percentage);

export const BAR_FULL = '█';
export const BAR_EMPTY = '░';

/**
 * A bar of exactly `width` characters, filled in proportion to `pct / scaleMax` (rounded to whole cells).
 * textBar(23, 10, 23) → "██████████"; textBar(23, 10) → "██░░░░░░░░".
 */
export function textBar(pct: number, width = 10, scaleMax = 100): string {
  const ratio = scaleMax > 0 ? pct / scaleMax : 0;
  const filled = Math.min(width, Math.max(0, Math.round(ratio * width)));
  return BAR_FULL.repeat(filled) + BAR_EMPTY.repeat(width - filled);
}

export interface SegmentListOptions {
  /** Characters of the bar; default 10. */
  barWidth?: number;
  /** Scale bars to the largest share (default; the top segment gets a full bar) or to 100%. */
  scale?: 'max' | 'total';
  /** Segments to list before summarising the rest in one extra line; default all. */
  maxLines?: number;
  /** Longer names are cut with "…"; default 100. */
  maxNameLength?: number;
  /** Prefix counts with "≈". */
  approximate?: boolean;
}

/** The first `maxLines` items are listed; the rest are summarised in one extra line ("…and 60 more"). */
export function splitShown<T>(items: readonly T[], maxLines: number): { shown: T[]; hidden: T[] } {
  const limit = Math.max(0, Math.floor(maxLines));
  return { shown: items.slice(0, limit), hidden: items.slice(limit) };
}

/** "…and 60 more segments, each between 1% and 3% of the audience" */
export function hiddenSummary(hidden: readonly Pick<SegmentView, 'percentage' | 'count'>[]): string {
  if (hidden.length === 0) return '';
  const shares = hidden.map((s) => s.percentage);
  const lo = Math.min(...shares);
  const hi = Math.max(...shares);
  const loText = formatShare({ percentage: lo, count: 1 });
  const hiText = formatShare({ percentage: hi, count: 1 });
  const noun = hidden.length === 1 ? 'segment' : 'segments';
  let range: string;
  if (lo === hi) range = `${hidden.length === 1 ? '' : 'each '}${hiText} of the audience`;
  else if (lo === 0) range = `each ${hiText} or less of the audience`;
  else range = `each between ${loText} and ${hiText} of the audience`;
  return `…and ${hidden.length} more ${noun}, ${range}`;
}

/**
 * One mrkdwn line per segment, e.g. "`██████████ 23%` Business Development — 96,000". Shares are padded so
 * bars and numbers line up in Slack's monospace code span.
 */
export function renderSegmentList(segments: readonly SegmentView[], opts: SegmentListOptions = {}): string[] {
  const barWidth = opts.barWidth ?? 10;
  const maxName = opts.maxNameLength ?? 100;
  const { shown, hidden } = splitShown(segments, opts.maxLines ?? segments.length);
  const scaleMax = opts.scale === 'total' ? 100 : Math.max(0, ...segments.map((s) => s.percentage));
  const shares = shown.map(formatShare);
  const shareWidth = Math.max(0, ...shares.map((s) => s.length));
  const lines = shown.map((segment, i) => {
    const bar = textBar(segment.percentage, barWidth, scaleMax);
    const share = shares[i]!.padStart(shareWidth, ' ');
    const name = escapeMrkdwn(truncate(oneLine(segment.name), maxName)) || '(no name)';
    const count = opts.approximate ? formatApproxCount(segment.count) : formatCount(segment.count);
    return `\`${bar} ${share}\` ${name} — ${count}`;
  });
  if (hidden.length > 0) lines.push(`_${hiddenSummary(hidden)}_`);
  return lines;
}

/**
 * Short, unique category labels for Slack's data_visualization block, whose categories are capped at 20
 * characters. Two segments must never end up with the same label ("Program and Project Management" and
 * "Program and Project Managers" would both cut to "Program and Project…"), so later collisions get a number.
 */
import { truncate } from './kit.js';

export const CATEGORY_LABEL_MAX = 20;

const clean = (name: string): string => name.replace(/\s+/g, ' ').trim() || '(no name)';

/**
 * Deterministic: the same names in the same order always give the same labels. Names that already fit and are
 * not repeated keep their exact text; the others are cut with "…" and, on collision, numbered "… 2", "… 3".
 */
export function shortenLabels(names: readonly string[], max: number = CATEGORY_LABEL_MAX): string[] {
  const labels: Array<string | undefined> = new Array(names.length);
  const used = new Set<string>();
  // First pass: names that fit keep their text, first occurrence wins, so later numbering cannot take it.
  names.forEach((raw, i) => {
    const name = clean(raw);
    if (name.length <= max && !used.has(name)) {
      labels[i] = name;
      used.add(name);
    }
  });
  names.forEach((raw, i) => {
    if (labels[i] !== undefined) return;
    const name = clean(raw);
    let candidate = truncate(name, max);
    for (let n = 2; used.has(candidate); n++) {
      const suffix = ` ${n}`;
      candidate = `${truncate(name, Math.max(1, max - suffix.length))}${suffix}`;
      if (candidate.length > max) candidate = `${n}`.slice(-max);
    }
    labels[i] = candidate;
    used.add(candidate);
  });
  return labels as string[];
}

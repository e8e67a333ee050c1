import { describe, expect, it } from 'vitest';
import {
  formatApproxCount,
  formatCompact,
  formatCount,
  formatPercent,
  formatShare,
  hiddenSummary,
  renderSegmentList,
  textBar,
} from '../../src/slack/blocks/segments.js';
import { DOC_SEGMENTS, manySegments } from './fixtures.js';

describe('number formatting', () => {
  it('puts en-US thousands separators in counts', () => {
    expect(formatCount(420000)).toBe('420,000');
    expect(formatCount(96000)).toBe('96,000');
    expect(formatCount(950)).toBe('950');
    expect(formatCount(150_000_000)).toBe('150,000,000');
    expect(formatApproxCount(420000)).toBe('≈420,000');
  });

  it('compacts large numbers and marks the ones that lost digits', () => {
    expect(formatCompact(420000)).toBe('420K');
    expect(formatCompact(96000)).toBe('96K');
    expect(formatCompact(1_200_000)).toBe('1.2M');
    expect(formatCompact(1_234_567)).toBe('≈1.2M');
    expect(formatCompact(150_000_000)).toBe('150M');
    expect(formatCompact(999_950)).toBe('≈1M');
    expect(formatCompact(950)).toBe('950');
    expect(formatCompact(2_500_000_000)).toBe('2.5B');
  });

  it('formats shares, showing "<1%" for a rounded-down share that has members', () => {
    expect(formatPercent(23)).toBe('23%');
    expect(formatPercent(2.5)).toBe('2.5%');
    expect(formatPercent(12.46)).toBe('12.5%');
    expect(formatShare({ percentage: 0, count: 3100 })).toBe('<1%');
    expect(formatShare({ percentage: 0, count: 0 })).toBe('0%');
  });
});

describe('textBar', () => {
  it('is always exactly `width` characters', () => {
    for (const pct of [0, 0.4, 7, 23, 50, 99.9, 100, 140, -5]) {
      expect([...textBar(pct, 10)]).toHaveLength(10);
      expect([...textBar(pct, 20, 23)]).toHaveLength(20);
    }
  });

  it('scales to 100% or to the largest share', () => {
    expect(textBar(23, 10)).toBe('██░░░░░░░░');
    expect(textBar(23, 10, 23)).toBe('██████████');
    expect(textBar(50, 4)).toBe('██░░');
    expect(textBar(0, 5)).toBe('░░░░░');
    expect(textBar(130, 5)).toBe('█████');
  });
});

describe('renderSegmentList', () => {
  it('renders the documentation sample exactly', () => {
    expect(renderSegmentList(DOC_SEGMENTS)).toEqual([
      '`██████████ 23%` Business Development — 96,000',
      '`███████░░░ 15%` Program and Project Management — 61,000',
      '`██████░░░░ 13%` Operations — 55,000',
      '`████░░░░░░ 10%` Information Technology — 40,000',
      '`███░░░░░░░  7%` Community and Social Services — 31,000',
    ]);
  });

  it('scales to 100% and marks approximate counts when asked', () => {
    expect(renderSegmentList(DOC_SEGMENTS.slice(0, 2), { scale: 'total', approximate: true, barWidth: 20 })).toEqual([
      '`█████░░░░░░░░░░░░░░░ 23%` Business Development — ≈96,000',
      '`███░░░░░░░░░░░░░░░░░ 15%` Program and Project Management — ≈61,000',
    ]);
  });

  it('lists the top N and summarises the rest in one line', () => {
    const lines = renderSegmentList(manySegments(100), { maxLines: 40 });
    expect(lines).toHaveLength(41);
    expect(lines[40]).toBe('_…and 60 more segments, each between 1% and 7% of the audience_');
  });

  it('says "or less" when the rest includes shares rounded to 0', () => {
    expect(
      hiddenSummary([
        { percentage: 2, count: 50 },
        { percentage: 0, count: 40 },
      ]),
    ).toBe('…and 2 more segments, each 2% or less of the audience');
    expect(hiddenSummary([{ percentage: 3, count: 50 }])).toBe('…and 1 more segment, 3% of the audience');
  });

  it('cuts long names, escapes mrkdwn control characters and flattens whitespace', () => {
    const [line] = renderSegmentList([
      { urn: 'urn:li:title:1', name: `R&D <Lead>\n${'x'.repeat(300)}`, count: 31, percentage: 1 },
    ]);
    expect(line).toContain('R&amp;D &lt;Lead&gt; xxx');
    expect(line).not.toContain('\n');
    expect(line!.length).toBeLessThan(160);
    expect(line).toMatch(/… — 31$/);
  });
});

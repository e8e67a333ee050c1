import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CATEGORY_LABEL_MAX, shortenLabels } from '../../src/slack/blocks/labels.js';
import { renderNativeBarChart, renderSegmentTable } from '../../src/slack/blocks/native.js';
import { DOC_SEGMENTS, manySegments } from './fixtures.js';
import { messageViolations } from './limits.js';

const JOB_FUNCTIONS = { urn: 'urn:li:adTargetingFacet:jobFunctions', label: 'Job Functions' };

describe('renderSegmentTable', () => {
  it('renders the documentation sample as header + one row per segment', () => {
    const table = renderSegmentTable({ segments: DOC_SEGMENTS });
    expect(table.rows.map((row) => row.map((c) => (c as { text: string }).text))).toEqual([
      ['Segment', 'Members', 'Share', 'Relative share'],
      ['Business Development', '96,000', '23%', '██████████'],
      ['Program and Project Management', '61,000', '15%', '███████░░░'],
      ['Operations', '55,000', '13%', '██████░░░░'],
      ['Information Technology', '40,000', '10%', '████░░░░░░'],
      ['Community and Social Services', '31,000', '7%', '███░░░░░░░'],
    ]);
    expect(table.column_settings).toEqual([
      { align: 'left', is_wrapped: true },
      { align: 'right' },
      { align: 'right' },
      { align: 'left' },
    ]);
  });

  it('keeps 99 segments as rows and summarises more in the 100th row', () => {
    expect(renderSegmentTable({ segments: manySegments(99) }).rows).toHaveLength(100);
    const rows = renderSegmentTable({ segments: manySegments(100) }).rows;
    expect(rows).toHaveLength(100);
    expect((rows[98]![0] as { text: string }).text).toBe('Very Long Segment Name Number 97 of a Big Facet');
    expect((rows[99]![0] as { text: string }).text).toBe('…and 2 more segments, each 1% of the audience');
  });

  it('never leaves a cell empty (raw_text needs a character)', () => {
    const table = renderSegmentTable({ segments: [{ urn: 'urn:li:title:1', name: '   ', count: 40, percentage: 0 }] });
    expect(table.rows[1]!.map((c) => (c as { text: string }).text)).toEqual(['—', '40', '<1%', '░░░░░░░░░░']);
  });
});

describe('renderNativeBarChart', () => {
  it('charts the documentation sample with unique short categories and full values', () => {
    const chart = renderNativeBarChart({ groupBy: JOB_FUNCTIONS, segments: DOC_SEGMENTS })!;
    expect(chart.title).toBe('Job Functions: % of audience');
    expect(chart.chart.axis_config.categories).toEqual([
      'Business Development',
      'Program and Project…',
      'Operations',
      'Information Technol…',
      'Community and Socia…',
    ]);
    expect(chart.chart.series).toEqual([
      {
        name: '% of audience',
        data: [
          { label: 'Business Development', value: 23 },
          { label: 'Program and Project…', value: 15 },
          { label: 'Operations', value: 13 },
          { label: 'Information Technol…', value: 10 },
          { label: 'Community and Socia…', value: 7 },
        ],
      },
    ]);
    expect(messageViolations({ text: 'x', blocks: [chart] })).toEqual([]);
  });

  it('charts only the largest 20 of a long answer, and says so in the title', () => {
    const chart = renderNativeBarChart({ groupBy: JOB_FUNCTIONS, segments: manySegments(100) })!;
    expect(chart.title).toBe('Job Functions: top 20 of 100');
    expect(chart.chart.axis_config.categories).toHaveLength(20);
    expect(messageViolations({ text: 'x', blocks: [chart] })).toEqual([]);
  });

  it('draws nothing for no segments', () => {
    expect(renderNativeBarChart({ groupBy: JOB_FUNCTIONS, segments: [] })).toBeUndefined();
  });
});

describe('shortenLabels', () => {
  it('numbers names that collide once cut', () => {
    expect(
      shortenLabels(['Program and Project Management', 'Program and Project Managers', 'Operations', 'Operations']),
    ).toEqual(['Program and Project…', 'Program and Proje… 2', 'Operations', 'Operations 2']);
  });

  it('keeps a short name exact even when a cut name would take its text', () => {
    expect(shortenLabels(['Sales Operations Management', 'Sales Operations Ma…', 'Sales Operations… 2'])).toEqual([
      'Sales Operations… 3',
      'Sales Operations Ma…',
      'Sales Operations… 2',
    ]);
  });

  const names = fc.array(
    fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.string({ unit: 'grapheme', maxLength: 30 }),
      fc.constantFrom('Program and Project Management', 'Program and Project Managers', 'Information Technology', ''),
      fc.integer({ min: 0, max: 99 }).map((n) => `Information Technology and Services ${n}`),
    ),
    { maxLength: 120 },
  );

  it('always gives unique labels of 1–20 characters, one per name (property)', () => {
    fc.assert(
      fc.property(names, (input) => {
        const labels = shortenLabels(input);
        expect(labels).toHaveLength(input.length);
        expect(new Set(labels).size).toBe(labels.length);
        for (const label of labels) {
          expect(label.length).toBeGreaterThan(0);
          expect(label.length).toBeLessThanOrEqual(CATEGORY_LABEL_MAX);
          expect(label).not.toMatch(/[\uD800-\uDBFF]$/); // never a cut surrogate pair
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic and keeps names that already fit and are unique (property)', () => {
    fc.assert(
      fc.property(names, (input) => {
        const labels = shortenLabels(input);
        expect(shortenLabels([...input])).toEqual(labels);
        const cleaned = input.map((n) => n.replace(/\s+/g, ' ').trim());
        cleaned.forEach((name, i) => {
          const unique = cleaned.indexOf(name) === i;
          if (name !== '' && name.length <= CATEGORY_LABEL_MAX && unique) expect(labels[i]).toBe(name);
        });
      }),
      { numRuns: 300 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { buildChartUrl } from '../../src/charts/quickchart.js';
import { ANTI_DISCRIMINATION_NOTICE, ANTI_DISCRIMINATION_URL, GROUP_BY_FACETS } from '../../src/linkedin/facets.js';
import { ACTION, breakDownValue, parseBreakDownValue } from '../../src/slack/blocks/actions.js';
import { audienceFromCriteria } from '../../src/slack/blocks/audience.js';
import { blockTextLength } from '../../src/slack/blocks/kit.js';
import { classifyResult, renderResultMessage, renderThreadBreakdown } from '../../src/slack/blocks/result.js';
import type { ResultView } from '../../src/slack/blocks/types.js';
import { DOC_AUDIENCE, DOC_SEGMENTS, docResultView, manySegments } from './fixtures.js';
import { messageViolations } from './limits.js';

type Json = Record<string, any>;
const blocksOf = (view: ResultView) => renderResultMessage(view).blocks as Json[];
const texts = (blocks: Json[]) =>
  blocks.map((b) => b.text?.text ?? b.elements?.map((e: Json) => e.text).join(' ') ?? '');
const LOCAL_QUICKCHART = 'http://127.0.0.1:3400';

describe('renderResultMessage: the documentation sample', () => {
  const chart = buildChartUrl(DOC_SEGMENTS, { quickchartUrl: LOCAL_QUICKCHART, title: 'Job Functions' })!;
  const message = renderResultMessage(docResultView({ chart }));
  const blocks = message.blocks as Json[];

  it('has a plain notification text with the headline numbers', () => {
    expect(message.text).toBe(
      'Audience breakdown by Job Functions (Acme Ads): ≈420,000 members. Top: Business Development 23%, Program and Project Management 15%, Operations 13%.',
    );
  });

  it('renders header, audience in words, segments, chart, notes and actions in that order', () => {
    expect(blocks.map((b) => b.type)).toEqual([
      'header',
      'section',
      'section',
      'image',
      'context',
      'context',
      'actions',
    ]);
    expect(blocks[0]!.text.text).toBe('Audience breakdown by Job Functions');
    expect(blocks[1]!.text.text).toBe(
      [
        '*Account:* Acme Ads',
        '*Who:* Locations: United States',
        '*and* Interface languages: English',
        '*and* Skills: Java, Python or SQL',
        '*Total audience:* ≈420,000 members',
      ].join('\n'),
    );
    expect(blocks[2]!.text.text).toBe(
      [
        '*Top 5 segments by share of audience*',
        '`██████████ 23%` Business Development — 96,000',
        '`███████░░░ 15%` Program and Project Management — 61,000',
        '`██████░░░░ 13%` Operations — 55,000',
        '`████░░░░░░ 10%` Information Technology — 40,000',
        '`███░░░░░░░  7%` Community and Social Services — 31,000',
      ].join('\n'),
    );
  });

  it('shows the QuickChart image with alt text', () => {
    const image = blocks[3]!;
    expect(image.image_url).toBe(chart.url);
    expect(image.alt_text).toBe(
      'Bar chart of the share of the audience by Job Functions: Business Development 23%, Program and Project Management 15%, Operations 13%, Information Technology 10%, Community and Social Services 7%.',
    );
    expect(image.title.text).toBe('Job Functions: share of audience');
  });

  it('says counts are approximate and small segments hidden, and shows LinkedIn’s notice with its link', () => {
    expect(blocks[4]!.elements[0].text).toBe(
      'Counts are approximate (LinkedIn rounds them). Segments with fewer than 30 members are not shown.',
    );
    expect(blocks[5]!.elements[0].text).toBe(`${ANTI_DISCRIMINATION_NOTICE} <${ANTI_DISCRIMINATION_URL}|Learn more>`);
  });

  it('offers share, break down, edit, save and compare, carrying only the query id', () => {
    const actions = blocks[6]!.elements as Json[];
    expect(actions.map((e) => e.action_id)).toEqual([
      ACTION.shareToChannel,
      ACTION.breakDownBy,
      ACTION.editQuery,
      ACTION.saveTemplate,
      ACTION.compareWith,
    ]);
    expect(actions.map((e) => e.text?.text ?? e.placeholder.text)).toEqual([
      'Share to channel',
      'Break down by…',
      'Edit query',
      'Save as audience template',
      'Compare with…',
    ]);
    for (const button of actions.filter((e) => e.type === 'button')) expect(button.value).toBe('q_01HZX3');
    const menu = actions[1]!;
    expect(menu.options).toHaveLength(14);
    expect(menu.options.map((o: Json) => o.text.text)).not.toContain('Job Functions');
    expect(menu.options.map((o: Json) => o.text.text)).toEqual(
      GROUP_BY_FACETS.filter((f) => f.name !== 'jobFunctions').map((f) => f.label),
    );
    expect(menu.options[0].value).toBe('q_01HZX3|seniorities');
  });

  it('stays within Block Kit limits', () => {
    expect(messageViolations(message)).toEqual([]);
  });
});

describe('break down values', () => {
  it('round-trips query id and facet, and rejects values Slack would refuse', () => {
    expect(parseBreakDownValue(breakDownValue('q_1|x', 'yearsOfExperienceRanges'))).toEqual({
      queryId: 'q_1|x',
      facetName: 'yearsOfExperienceRanges',
      facetUrn: 'urn:li:adTargetingFacet:yearsOfExperienceRanges',
    });
    expect(parseBreakDownValue('q_1|notAFacet')).toBeUndefined();
    expect(() => breakDownValue('q'.repeat(60), 'yearsOfExperienceRanges')).toThrow(RangeError);
  });
});

describe('renderResultMessage: states', () => {
  it('hides "Share to channel" once shared and credits the asker', () => {
    const blocks = blocksOf(docResultView({ shared: true, askedBy: 'U123' }));
    const ids = blocks.at(-1)!.elements.map((e: Json) => e.action_id);
    expect(ids).not.toContain(ACTION.shareToChannel);
    expect(ids).toContain(ACTION.breakDownBy);
    expect(blocks[1]!.text.text).toContain('_Asked by <@U123>_');
  });

  it('explains an audience under 300 members with suggestions from its criteria', () => {
    const view = docResultView({
      totalAudienceCount: 0,
      segments: [],
      audience: {
        ...DOC_AUDIENCE,
        exclude: [{ facetUrn: 'urn:li:adTargetingFacet:seniorities', facetLabel: 'Seniorities', values: ['Unpaid'] }],
      },
    });
    expect(classifyResult(view)).toBe('too_small');
    const message = renderResultMessage(view);
    const blocks = message.blocks as Json[];
    expect(message.text).toBe(
      'Audience breakdown by Job Functions (Acme Ads): This audience is too small to show (under 300 members). Widen it — e.g. add more locations or skills, or remove an exclusion.',
    );
    expect(blocks[2]!.text.text).toBe(
      [
        '*This audience is too small to show (under 300 members). Widen it — e.g. add more locations or skills, or remove an exclusion.*',
        '• Add more locations (now United States).',
        '• Add more skills (now Java, Python or SQL).',
        '• Drop a group that members must also match, e.g. Skills: each AND-ed group narrows the audience.',
        '• Remove an exclusion (Seniorities).',
      ].join('\n'),
    );
    expect(texts(blocks).join('\n')).not.toContain('Total audience');
    expect(blocks.map((b) => b.type)).not.toContain('image');
    expect(blocks.at(-1)!.elements.map((e: Json) => e.action_id)).toEqual([ACTION.editQuery]);
    expect(messageViolations(message)).toEqual([]);
  });

  it('explains an audience over 100M members', () => {
    const view = docResultView({ totalAudienceCount: 150_000_000, segments: [] });
    expect(classifyResult(view)).toBe('too_broad');
    const blocks = blocksOf(view);
    expect(blocks[2]!.text.text.split('\n')[0]).toBe(
      '*≈ 150,000,000 members — too broad to break down.* Narrow it, e.g. add a skill, title or industry.',
    );
    expect(blocks[2]!.text.text).toContain('• Add a group with a job title, or an industry.');
    expect(blocks.at(-1)!.elements.map((e: Json) => e.action_id)).toEqual([ACTION.editQuery, ACTION.saveTemplate]);
  });

  it('explains a real audience whose segments are all under 30 members', () => {
    const view = docResultView({ totalAudienceCount: 1200, segments: [] });
    expect(classifyResult(view)).toBe('no_segments');
    const message = renderResultMessage(view);
    const all = texts(message.blocks as Json[]).join('\n');
    expect(all).toContain('*Total audience:* ≈1,200 members');
    expect(all).toContain(
      '*LinkedIn counts ≈1,200 members in this audience, but no Job Functions segment has 30 or more of them.*',
    );
    expect(all).toContain('Try breaking it down by a broader facet (Job Seniorities, Company Size, Countries/Regions)');
    const ids = (message.blocks.at(-1) as Json).elements.map((e: Json) => e.action_id);
    expect(ids).toEqual([ACTION.breakDownBy, ACTION.editQuery, ACTION.saveTemplate]);
  });

  it('lists every segment when fewer came back than asked, and says so', () => {
    const blocks = blocksOf(docResultView({ maxReturnCount: 10 }));
    expect(blocks[2]!.text.text.split('\n')[0]).toBe('*All 5 segments with at least 30 members*');
  });

  it('describes hierarchical order', () => {
    const blocks = blocksOf(
      docResultView({
        orderBy: 'HIERARCHICAL',
        groupBy: { urn: 'urn:li:adTargetingFacet:seniorities', label: 'Job Seniorities' },
      }),
    );
    expect(blocks[2]!.text.text.split('\n')[0]).toBe("*First 5 segments in the facet's order*");
  });

  it('notes overlapping segments for multi-valued facets', () => {
    const blocks = blocksOf(
      docResultView({ groupBy: { urn: 'urn:li:adTargetingFacet:skills', label: 'Member Skills' } }),
    );
    expect(texts(blocks).join('\n')).toContain('A member can be in several segments.');
  });

  it('escapes mrkdwn in names it did not write', () => {
    const blocks = blocksOf(docResultView({ accountName: 'Acme <!channel> & Co' }));
    expect(blocks[1]!.text.text).toContain('*Account:* Acme &lt;!channel&gt; &amp; Co');
  });
});

describe('renderResultMessage: a 100-segment answer', () => {
  const segments = manySegments(100);

  it('stays within limits with a QuickChart image, listing the top 40 and summarising 60', () => {
    const chart = buildChartUrl(segments, { quickchartUrl: LOCAL_QUICKCHART, title: 'Member Skills' })!;
    const message = renderResultMessage(
      docResultView({
        segments,
        maxReturnCount: 100,
        chart,
        groupBy: { urn: 'urn:li:adTargetingFacet:skills', label: 'Member Skills' },
      }),
    );
    expect(messageViolations(message)).toEqual([]);
    const all = texts(message.blocks as Json[]).join('\n');
    expect(all).toContain('*Top 100 segments by share of audience (40 listed)*');
    expect(all).toContain('_…and 60 more segments, each between 1% and 7% of the audience_');
    const image = (message.blocks as Json[]).find((b) => b.type === 'image')!;
    expect(chart.truncated).toBe(true);
    expect(image.title.text).toBe(`Member Skills: chart shows top ${chart.shownCount} of 100 segments`);
    expect(image.alt_text).toContain(`(chart shows top ${chart.shownCount} of 100)`);
  });

  it('cuts very long names to keep lines readable', () => {
    const long = manySegments(100, (i) => `${'Enterprise Architecture and Platform Engineering '.repeat(4)}#${i}`);
    const message = renderResultMessage(docResultView({ segments: long, maxReturnCount: 100 }));
    expect(messageViolations(message)).toEqual([]);
    const lines = texts(message.blocks as Json[])
      .join('\n')
      .split('\n');
    const listed = lines.filter((l) => l.startsWith('`'));
    expect(listed).toHaveLength(40);
    for (const line of listed) expect(line).toMatch(/^`[█░]{10} +\d+%` Enterprise Architecture .{60,}… — [\d,]+$/);
  });

  it('lists fewer lines rather than exceed the message size', () => {
    // Every "&" becomes "&amp;" in mrkdwn: 40 such lines are far over Slack's ~12k characters per message.
    const escaped = manySegments(100, (i) => `${i} ${'&'.repeat(120)}`);
    const message = renderResultMessage(docResultView({ segments: escaped, maxReturnCount: 100 }));
    expect(messageViolations(message)).toEqual([]);
    expect(blockTextLength(message.blocks)).toBeLessThanOrEqual(12_000);
    const lines = texts(message.blocks as Json[])
      .join('\n')
      .split('\n');
    const listed = lines.filter((l) => l.startsWith('`')).length;
    expect(listed).toBeGreaterThanOrEqual(5);
    expect(listed).toBeLessThan(40);
    expect(lines.some((l) => l.startsWith(`_…and ${100 - listed} more segments`))).toBe(true);
  });

  it('as a fallback list (Slack refused the table), lists every segment that fits: nothing the table had is dropped', () => {
    for (const style of ['native', 'upload'] as const) {
      const message = renderResultMessage(docResultView({ style, segments, maxReturnCount: 100, fallback: true }));
      expect(messageViolations(message)).toEqual([]);
      const listed = texts(message.blocks as Json[])
        .join('\n')
        .split('\n')
        .filter((l) => l.startsWith('`'));
      expect(listed).toHaveLength(100);
    }
  });

  it('cuts the table (names first, then rows) before giving it up, with a huge audience description', () => {
    const values = Array.from({ length: 200 }, (_, i) => `Skill with a rather long name number ${i}`);
    const audience = {
      include: Array.from({ length: 12 }, () => [{ facetLabel: 'Skills', values }]),
      exclude: [{ facetLabel: 'Job titles', values }],
    };
    const long = manySegments(100, (i) => `${'Enterprise Architecture and Platform Engineering '.repeat(4)}#${i}`);
    for (const style of ['native', 'upload'] as const) {
      const message = renderResultMessage(docResultView({ style, segments: long, maxReturnCount: 100, audience }));
      expect(messageViolations(message)).toEqual([]);
      const table = (message.blocks as Json[]).find((b) => b.type === 'table')!;
      expect(table).toBeDefined();
      // Names gave way first: shorter than the 60 characters a full table of them gets without the description.
      expect(table.rows[1][0].text.length).toBeLessThan(60);
      const listed = table.rows.length - 2;
      expect(texts(message.blocks as Json[]).join('\n')).toContain(`(${listed} listed)`);
      expect(table.rows.at(-1)[0].text).toMatch(new RegExp(`^…and ${100 - listed} more segments`));
    }
  });

  it('keeps a huge audience description inside one section', () => {
    const values = Array.from({ length: 200 }, (_, i) => `Skill with a rather long name number ${i}`);
    const audience = {
      include: Array.from({ length: 12 }, () => [{ facetLabel: 'Skills', values }]),
      exclude: [{ facetLabel: 'Job titles', values }],
    };
    const message = renderResultMessage(docResultView({ segments, maxReturnCount: 100, audience }));
    expect(messageViolations(message)).toEqual([]);
    expect(texts(message.blocks as Json[]).join('\n')).toContain('or 192 more');
  });
});

describe('renderResultMessage: styles', () => {
  it("'native' shows a table and a data_visualization chart, and no image", () => {
    const message = renderResultMessage(docResultView({ style: 'native' }));
    const types = (message.blocks as Json[]).map((b) => b.type);
    expect(types).toContain('table');
    expect(types).toContain('data_visualization');
    expect(types).not.toContain('image');
    expect(messageViolations(message)).toEqual([]);
  });

  it("'native' with 100 segments fits one 100-row table", () => {
    const message = renderResultMessage(
      docResultView({ style: 'native', segments: manySegments(100), maxReturnCount: 100 }),
    );
    expect(messageViolations(message)).toEqual([]);
    const table = (message.blocks as Json[]).find((b) => b.type === 'table')!;
    expect(table.rows).toHaveLength(100);
    expect(table.rows.at(-1)[0].text).toBe('…and 2 more segments, each 1% of the audience');
  });

  it("'native' with 100 long names shortens the names in the table to stay within the message size", () => {
    const long = manySegments(100, (i) => `${'Enterprise Architecture and Platform Engineering '.repeat(3)}#${i}`);
    const message = renderResultMessage(docResultView({ style: 'native', segments: long, maxReturnCount: 100 }));
    expect(messageViolations(message)).toEqual([]);
    const table = (message.blocks as Json[]).find((b) => b.type === 'table')!;
    for (const row of table.rows.slice(1, -1)) expect(row[0].text.length).toBeLessThanOrEqual(60);
    const short = renderResultMessage(
      docResultView({ style: 'native', segments: long.slice(0, 5), maxReturnCount: 5 }),
    );
    const fewRows = (short.blocks as Json[]).find((b) => b.type === 'table')!;
    expect(fewRows.rows[1][0].text).toBe(long[0]!.name.trim());
  });

  it("'upload' shows the table and says the image is in the thread", () => {
    const message = renderResultMessage(docResultView({ style: 'upload' }));
    const blocks = message.blocks as Json[];
    expect(blocks.map((b) => b.type)).toContain('table');
    expect(blocks.map((b) => b.type)).not.toContain('data_visualization');
    expect(texts(blocks)).toContain('The chart image is attached in the thread.');
  });

  it('fallback renders the mrkdwn list instead of native blocks', () => {
    for (const style of ['native', 'upload'] as const) {
      const blocks = blocksOf(docResultView({ style, fallback: true }));
      const types = blocks.map((b) => b.type);
      expect(types).not.toContain('table');
      expect(types).not.toContain('data_visualization');
      expect(texts(blocks).join('\n')).toContain('`██████████ 23%` Business Development — 96,000');
      expect(texts(blocks).includes('The chart image is attached in the thread.')).toBe(style === 'upload');
    }
  });

  it("'quickchart' keeps today's message: the mrkdwn list beside the image, no table", () => {
    const blocks = blocksOf(docResultView({}));
    expect(blocks.map((b) => b.type)).not.toContain('table');
    expect(blocks.map((b) => b.type)).not.toContain('data_visualization');
  });

  it("'quickchart' without a chart URL still shows the list", () => {
    const blocks = blocksOf(docResultView({ chart: undefined }));
    expect(blocks.map((b) => b.type)).not.toContain('image');
    expect(texts(blocks).join('\n')).toContain('Business Development — 96,000');
  });
});

describe('renderThreadBreakdown', () => {
  it('is compact: no header, no share button, a break-down menu', () => {
    const message = renderThreadBreakdown(docResultView({ askedBy: 'U9' }));
    const blocks = message.blocks as Json[];
    expect(blocks.map((b) => b.type)).not.toContain('header');
    expect(blocks[0]!.text.text).toBe('*By Job Functions* · ≈420,000 members · asked by <@U9>');
    const ids = blocks.at(-1)!.elements.map((e: Json) => e.action_id);
    expect(ids).toEqual([ACTION.breakDownBy]);
    expect(messageViolations(message)).toEqual([]);
  });
});

describe('audienceFromCriteria', () => {
  it('turns targeting criteria into words with the given names', () => {
    const names: Record<string, string> = { 'urn:li:geo:103644278': 'United States', 'urn:li:skill:17': 'Python' };
    const view = audienceFromCriteria(
      {
        include: {
          and: [
            { or: { 'urn:li:adTargetingFacet:locations': ['urn:li:geo:103644278'] } },
            { or: { 'urn:li:adTargetingFacet:skills': ['urn:li:skill:17', 'urn:li:skill:99'] } },
          ],
        },
        exclude: { or: { 'urn:li:adTargetingFacet:seniorities': ['urn:li:seniority:1'] } },
      },
      (urn) => names[urn] ?? urn,
    );
    expect(view).toEqual({
      include: [
        [{ facetUrn: 'urn:li:adTargetingFacet:locations', facetLabel: 'Locations', values: ['United States'] }],
        [{ facetUrn: 'urn:li:adTargetingFacet:skills', facetLabel: 'Skills', values: ['Python', 'urn:li:skill:99'] }],
      ],
      exclude: [
        { facetUrn: 'urn:li:adTargetingFacet:seniorities', facetLabel: 'Seniorities', values: ['urn:li:seniority:1'] },
      ],
    });
  });
});

/**
 * The Audience Insights documentation's Sample Response (linkedin-audience-insights-api.md), and view models
 * built from it the way a handler would: URNs resolved to display names, shares as LinkedIn sent them.
 */
import type { AudienceInsightsResponse } from '../../src/linkedin/types.js';
import type { AudienceView, ResultView, SegmentView } from '../../src/slack/blocks/types.js';

export const DOC_SAMPLE_RESPONSE: AudienceInsightsResponse = {
  value: {
    audienceInsight: {
      segmentations: [
        { entityCount: 96000, entityPercentage: 23, value: 'urn:li:function:4' },
        { entityCount: 61000, entityPercentage: 15, value: 'urn:li:function:20' },
        { entityCount: 55000, entityPercentage: 13, value: 'urn:li:function:18' },
        { entityCount: 40000, entityPercentage: 10, value: 'urn:li:function:13' },
        { entityCount: 31000, entityPercentage: 7, value: 'urn:li:function:5' },
      ],
      groupedBy: 'urn:li:adTargetingFacet:jobFunctions',
    },
    totalAudienceCount: 420000,
  },
};

export const FUNCTION_NAMES: Record<string, string> = {
  'urn:li:function:4': 'Business Development',
  'urn:li:function:20': 'Program and Project Management',
  'urn:li:function:18': 'Operations',
  'urn:li:function:13': 'Information Technology',
  'urn:li:function:5': 'Community and Social Services',
};

export const segmentsFrom = (response: AudienceInsightsResponse, names: Record<string, string>): SegmentView[] =>
  response.value.audienceInsight.segmentations.map((s) => ({
    urn: s.value,
    name: names[s.value] ?? s.value,
    count: s.entityCount,
    percentage: s.entityPercentage,
  }));

export const DOC_SEGMENTS = segmentsFrom(DOC_SAMPLE_RESPONSE, FUNCTION_NAMES);

/** The documentation's Sample Request audience: a location, an interface language and three skills. */
export const DOC_AUDIENCE: AudienceView = {
  include: [
    [{ facetUrn: 'urn:li:adTargetingFacet:locations', facetLabel: 'Locations', values: ['United States'] }],
    [{ facetUrn: 'urn:li:adTargetingFacet:interfaceLocales', facetLabel: 'Interface languages', values: ['English'] }],
    [{ facetUrn: 'urn:li:adTargetingFacet:skills', facetLabel: 'Skills', values: ['Java', 'Python', 'SQL'] }],
  ],
  exclude: [],
};

export function docResultView(overrides: Partial<ResultView> = {}): ResultView {
  return {
    queryId: 'q_01HZX3',
    accountName: 'Acme Ads',
    accountUrn: 'urn:li:sponsoredAccount:123',
    audience: DOC_AUDIENCE,
    groupBy: { urn: 'urn:li:adTargetingFacet:jobFunctions', label: 'Job Functions' },
    totalAudienceCount: DOC_SAMPLE_RESPONSE.value.totalAudienceCount,
    segments: DOC_SEGMENTS,
    maxReturnCount: 5,
    orderBy: 'AUDIENCE_PERCENTAGE',
    style: 'quickchart',
    shared: false,
    ...overrides,
  };
}

/** `n` segments with long, similar names and descending shares (a 100-segment skills answer). */
export function manySegments(
  n: number,
  nameOf = (i: number) => `Very Long Segment Name Number ${i} of a Big Facet`,
): SegmentView[] {
  return Array.from({ length: n }, (_, i) => ({
    urn: `urn:li:skill:${1000 + i}`,
    name: nameOf(i),
    count: 900_000 - i * 8_000,
    percentage: Math.max(1, Math.round(((100 - i) / 100) * 12)),
  }));
}

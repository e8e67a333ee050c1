/**
 * Audience Insights numbers, following the documentation's rules: audiences under 300 members report 0 and no
 * segments; audiences over 100M report an approximate total and no segments; segments under 30 members are left
 * out; counts are rounded (2 significant digits, like the sample's 420000 and 96000) and `entityPercentage` is the
 * rounded count divided by the rounded total, as an integer (the sample's 96000/420000 = 22.86 → 23, so rounded).
 */
import type { AudienceInsightsResponse, Segmentation, SegmentsOrderedBy } from '../linkedin/types.js';
import type { AudienceEngine } from './audience.js';
import type { Bitset } from './bitset.js';
import type { GroupByDef } from './facet-table.js';

export const MIN_AUDIENCE = 300;
export const MAX_AUDIENCE = 100_000_000;
export const MIN_SEGMENT = 30;
export const DEFAULT_MAX_RETURN_COUNT = 5;

export function roundSignificant(n: number, digits = 2): number {
  if (n <= 0) return 0;
  const magnitude = 10 ** (Math.floor(Math.log10(n)) - digits + 1);
  return magnitude >= 1 ? Math.round(n / magnitude) * magnitude : Math.round(n);
}

/** `audienceCounts.total`: under 300 is 0, otherwise rounded to the hundred (the doc sample reads 25312600). */
export const roundAudienceCount = (raw: number): number => (raw < MIN_AUDIENCE ? 0 : Math.round(raw / 100) * 100);

/** The insights total, derived from the audienceCounts figure so the two endpoints always agree. */
export const roundInsightsTotal = (raw: number): number => roundSignificant(roundAudienceCount(raw), 2);

export function computeInsights(
  engine: AudienceEngine,
  audience: Bitset,
  groupBy: GroupByDef,
  opts: { orderBy: SegmentsOrderedBy; maxReturnCount: number },
): AudienceInsightsResponse {
  const raw = engine.count(audience);
  const total = roundInsightsTotal(raw);
  const respond = (segmentations: Segmentation[]): AudienceInsightsResponse => ({
    value: { audienceInsight: { segmentations, groupedBy: groupBy.urn }, totalAudienceCount: total },
  });
  if (raw < MIN_AUDIENCE || raw > MAX_AUDIENCE) return respond([]);

  const { entities, counts } = engine.groupBy(audience, groupBy.kind);
  const shown: number[] = [];
  for (let i = 0; i < counts.length; i++) if (counts[i]! >= MIN_SEGMENT) shown.push(i);
  if (opts.orderBy === 'AUDIENCE_PERCENTAGE') shown.sort((a, b) => counts[b]! - counts[a]! || a - b);
  // HIERARCHICAL: catalog order is the facet's natural order (seniority 1..10, sizes and growth ascending, years 1..12).
  return respond(
    shown.slice(0, opts.maxReturnCount).map((i) => {
      const entityCount = roundSignificant(counts[i]!, 2);
      return {
        entityCount,
        entityPercentage: Math.min(100, Math.max(0, Math.round((entityCount / total) * 100))),
        value: entities[i]!.urn,
      };
    }),
  );
}

import { z } from 'zod';
import type { LinkedInApi } from './api.js';
import { collectionOf, expectShape, type RequestCore } from './core.js';
import { MalformedResponseError } from './errors.js';
import type { AudienceCount, AudienceInsight, AudienceInsightsRequestBody } from './types.js';

const segmentation = z.object({ entityCount: z.number(), entityPercentage: z.number(), value: z.string() });

// LinkedIn answers audiences under 300 members with "an empty response with the audience count 0", so the
// breakdown itself may be missing; the total may not.
const insightsResponse = z.object({
  value: z.object({
    audienceInsight: z
      .object({ segmentations: z.array(segmentation).optional(), groupedBy: z.string().optional() })
      .optional(),
    totalAudienceCount: z.number(),
  }),
});

/** Copies exactly the documented fields, in the documented order, so nothing else ever reaches LinkedIn. */
export const insightsRequestBody = (body: AudienceInsightsRequestBody): AudienceInsightsRequestBody => {
  const r = body.request;
  return {
    request: {
      requestMetaData: { sponsoredAccount: r.requestMetaData.sponsoredAccount },
      targetingCriteria: r.targetingCriteria,
      groupBy: r.groupBy,
      segmentsOrderedBy: r.segmentsOrderedBy,
      maxReturnCount: r.maxReturnCount,
    },
  };
};

const audienceCount = z.object({ total: z.number(), active: z.number() });

export const insightsEndpoints = (core: RequestCore): Pick<LinkedInApi, 'audienceInsights' | 'audienceCount'> => ({
  async audienceInsights(token, body) {
    const endpoint = 'targetingAudienceInsights.audienceInsights';
    const response = await core.rest({
      endpoint,
      token,
      method: 'POST',
      path: '/targetingAudienceInsights',
      query: { action: 'audienceInsights' },
      restliMethod: 'action',
      json: insightsRequestBody(body),
    });
    const { value } = expectShape(insightsResponse, response, endpoint);
    const result: AudienceInsight = {
      groupedBy: value.audienceInsight?.groupedBy ?? body.request.groupBy,
      totalAudienceCount: value.totalAudienceCount,
      segments: value.audienceInsight?.segmentations ?? [],
    };
    return result;
  },

  async audienceCount(token, criteria): Promise<AudienceCount> {
    const endpoint = 'audienceCounts.targetingCriteriaV2';
    const response = await core.rest({
      endpoint,
      token,
      path: '/audienceCounts',
      query: { q: 'targetingCriteriaV2', targetingCriteria: criteria },
      restliMethod: 'finder',
    });
    const first = expectShape(collectionOf(audienceCount), response, endpoint).elements[0];
    if (!first) throw new MalformedResponseError('LinkedIn answered audienceCounts without a count', { endpoint });
    return { total: first.total, active: first.active };
  },
});

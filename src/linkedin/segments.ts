import { z } from 'zod';
import type { LinkedInApi } from './api.js';
import { collectionOf, collectPages, expectShape, type RequestCore } from './core.js';
import type { AdSegment } from './types.js';

const PAGE_SIZE = 100;

const auditStamp = z.object({ actor: z.string().optional(), time: z.number() });

const adSegment = z.object({
  id: z.number(),
  account: z.string(),
  name: z.string(),
  description: z.string().optional(),
  approximateMemberCount: z.number(),
  // The full status/type enums are not documented; read them as strings.
  status: z.string(),
  type: z.string(),
  created: auditStamp.optional(),
  lastModified: auditStamp.optional(),
});

export const segmentEndpoints = (core: RequestCore): Pick<LinkedInApi, 'adSegments'> => ({
  adSegments(token, accountUrn) {
    const endpoint = 'adSegments.accounts';
    return collectPages(PAGE_SIZE, async (start, count) => {
      const response = await core.rest({
        endpoint,
        token,
        path: '/adSegments',
        query: { q: 'accounts', accounts: [accountUrn], start, count },
        restliMethod: 'finder',
      });
      const page = expectShape(collectionOf(adSegment), response, endpoint);
      return { elements: page.elements as AdSegment[], total: page.paging?.total };
    });
  },
});

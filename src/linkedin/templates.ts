import { z } from 'zod';
import type { LinkedInApi } from './api.js';
import { collectionOf, collectPages, expectShape, type RequestCore } from './core.js';
import { MalformedResponseError } from './errors.js';
import { reducedDecode } from './restli.js';
import type { AdTargetTemplate } from './types.js';

const PAGE_SIZE = 100;

const facetValues = z.record(z.string(), z.array(z.string()));
const targetingCriteria = z.object({
  include: z.object({ and: z.array(z.object({ or: facetValues })) }),
  exclude: z.object({ or: facetValues }).optional(),
});
const stamp = z.object({ time: z.number() });

const adTargetTemplate = z.object({
  id: z.number(),
  account: z.string(),
  name: z.string(),
  description: z.string().optional(),
  targetingCriteria,
  approximateMemberCount: z.number().optional(),
  created: stamp.optional(),
  lastModified: stamp.optional(),
});

export const templateEndpoints = (
  core: RequestCore,
): Pick<LinkedInApi, 'createTargetTemplate' | 'listTargetTemplates'> => ({
  async createTargetTemplate(token, template) {
    const endpoint = 'adTargetTemplates.create';
    const response = await core.rest({
      endpoint,
      token,
      method: 'POST',
      path: '/adTargetTemplates',
      restliMethod: 'create',
      idempotent: false,
      json: {
        account: template.account,
        name: template.name,
        description: template.description,
        targetingCriteria: template.targetingCriteria,
      },
    });
    // Standard Rest.li CREATE: 201 with the new key in `x-restli-id`, reduced-encoded.
    const header = response.headers.get('x-restli-id');
    const id = header === null ? Number.NaN : Number(reducedDecode(header));
    if (!Number.isSafeInteger(id)) {
      throw new MalformedResponseError('LinkedIn created the template but sent no usable x-restli-id', {
        status: response.status,
        endpoint,
      });
    }
    return { id };
  },

  listTargetTemplates(token, accountUrn) {
    const endpoint = 'adTargetTemplates.account';
    return collectPages(PAGE_SIZE, async (start, count): Promise<{ elements: AdTargetTemplate[]; total?: number }> => {
      const response = await core.rest({
        endpoint,
        token,
        path: '/adTargetTemplates',
        query: { q: 'account', account: accountUrn, start, count },
        restliMethod: 'finder',
      });
      const page = expectShape(collectionOf(adTargetTemplate), response, endpoint);
      return { elements: page.elements, total: page.paging?.total };
    });
  },
});

import { z } from 'zod';
import type { LinkedInApi } from './api.js';
import { collectionOf, expectShape, type RequestCore } from './core.js';
import { NotFoundError, ValidationFailedError } from './errors.js';
import { facetUrn as toFacetUrn } from './facets.js';
import type { TargetingEntity, TargetingFacet } from './types.js';

/** URNs per `q=urns` call: keeps the query well under the tunneling threshold for typical URNs. */
export const URN_BATCH_SIZE = 50;

const entity = z.object({ urn: z.string(), name: z.string(), facetUrn: z.string().optional() });

// `adTargetingFacetUrn` was `$URN` before 202304 and Postman samples still show it.
const facet = z
  .object({
    facetName: z.string(),
    adTargetingFacetUrn: z.string().optional(),
    $URN: z.string().optional(),
    availableEntityFinders: z.array(z.string()).optional(),
    entityTypes: z.array(z.string()).optional(),
  })
  .transform(
    (f): TargetingFacet => ({
      facetName: f.facetName,
      adTargetingFacetUrn: f.adTargetingFacetUrn ?? f.$URN ?? toFacetUrn(f.facetName),
      availableEntityFinders: (f.availableEntityFinders ?? []) as TargetingFacet['availableEntityFinders'],
      entityTypes: f.entityTypes ?? [],
    }),
  );

const chunk = <T>(items: T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

export const entityEndpoints = (
  core: RequestCore,
): Pick<LinkedInApi, 'facetEntities' | 'typeahead' | 'resolveUrns' | 'listFacets'> => {
  const findEntities = async (
    endpoint: string,
    token: string,
    query: Record<string, unknown>,
    fallbackFacetUrn: string,
  ): Promise<TargetingEntity[]> => {
    const response = await core.rest({ endpoint, token, path: '/adTargetingEntities', query, restliMethod: 'finder' });
    const { elements } = expectShape(collectionOf(entity), response, endpoint);
    return elements.map((e) => ({ urn: e.urn, facetUrn: e.facetUrn ?? fallbackFacetUrn, name: e.name }));
  };

  /**
   * Whether LinkedIn omits unknown URNs or rejects the whole batch is not documented. If a batch is rejected,
   * split it until the offending URNs are isolated and left out, so one bad URN never hides the others' names.
   */
  const resolveBatch = async (token: string, urns: string[]): Promise<TargetingEntity[]> => {
    try {
      return await findEntities(
        'adTargetingEntities.urns',
        token,
        { q: 'urns', urns, queryVersion: 'QUERY_USES_URNS' },
        '',
      );
    } catch (err) {
      if (!(err instanceof ValidationFailedError || err instanceof NotFoundError)) throw err;
      if (urns.length === 1) return [];
      const half = Math.ceil(urns.length / 2);
      const [left, right] = await Promise.all([
        resolveBatch(token, urns.slice(0, half)),
        resolveBatch(token, urns.slice(half)),
      ]);
      return [...left, ...right];
    }
  };

  return {
    facetEntities(token, facetUrn, opts = {}) {
      return findEntities(
        'adTargetingEntities.adTargetingFacet',
        token,
        {
          q: 'adTargetingFacet',
          facet: facetUrn,
          queryVersion: 'QUERY_USES_URNS',
          start: opts.start,
          count: opts.count,
        },
        facetUrn,
      );
    },

    typeahead(token, facetUrn, query, opts = {}) {
      return findEntities(
        'adTargetingEntities.typeahead',
        token,
        { q: 'typeahead', facet: facetUrn, query, queryVersion: 'QUERY_USES_URNS', count: opts.count },
        facetUrn,
      );
    },

    async resolveUrns(token, urns) {
      const unique = [...new Set(urns)];
      if (unique.length === 0) return [];
      const batches = await Promise.all(chunk(unique, URN_BATCH_SIZE).map((batch) => resolveBatch(token, batch)));
      const byUrn = new Map<string, TargetingEntity>();
      for (const e of batches.flat()) if (!byUrn.has(e.urn)) byUrn.set(e.urn, e);
      return [...byUrn.values()];
    },

    async listFacets(token) {
      const endpoint = 'adTargetingFacets.getAll';
      const response = await core.rest({ endpoint, token, path: '/adTargetingFacets', restliMethod: 'get_all' });
      return expectShape(collectionOf(facet), response, endpoint).elements;
    },
  };
};

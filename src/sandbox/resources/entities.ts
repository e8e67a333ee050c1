/** `adTargetingFacets` and `adTargetingEntities` with its four finders (reference §4). */
import type { TargetingEntity } from '../../linkedin/types.js';
import type { Catalog, GeoLevel, NamedEntity } from '../catalog.js';
import { classicError, inputError } from '../errors.js';
import {
  type EntityKind,
  entitiesOf,
  type FacetDef,
  type Finder,
  facetForEntityUrn,
  findFacet,
  indexOfEntity,
  TARGETING_FACETS,
} from '../facet-table.js';
import { ok, page, project, type RestRequest, type RestResponse, unknownFinder, unsupportedMethod } from './common.js';

const UNBOUNDED = 2147483647;

export function adTargetingFacets(req: RestRequest): RestResponse {
  if (req.method !== 'GET_ALL') throw unsupportedMethod(req);
  req.query.allowOnly(['fields', 'locale']);
  const elements = TARGETING_FACETS.map((f) => ({
    facetName: f.name,
    availableEntityFinders: [...f.finders],
    entityTypes: [...f.entityTypes],
    adTargetingFacetUrn: f.urn,
  }));
  return ok({ elements: project(req, elements), paging: { count: UNBOUNDED, links: [], start: 0 } });
}

const COMMON_PARAMS = ['q', 'queryVersion', 'locale', 'start', 'count', 'fields', 'totals'];

const FINDER_BY_Q: Record<string, Finder> = {
  adTargetingFacet: 'AD_TARGETING_FACET',
  typeahead: 'TYPEAHEAD',
  similarEntities: 'SIMILAR_ENTITIES',
};

const entity = (e: NamedEntity, facet: FacetDef): TargetingEntity => ({
  urn: e.urn,
  facetUrn: facet.urn,
  name: e.name,
});

function requireFacet(req: RestRequest, q: string): FacetDef & { kind: Exclude<EntityKind, 'segment'> } {
  const urn = req.query.requireString('facet');
  const facet = findFacet(urn);
  if (!facet) throw inputError('PARAM_INVALID', 'facet', `Unknown ad targeting facet ${urn}`);
  const finder = FINDER_BY_Q[q]!;
  if (!facet.finders.includes(finder) || facet.kind === 'segment') {
    throw classicError(400, `Finder ${q} is not supported for facet ${facet.urn}`, { code: 'FINDER_NOT_SUPPORTED' });
  }
  return facet as FacetDef & { kind: Exclude<EntityKind, 'segment'> };
}

function checkCommon(req: RestRequest): void {
  const version = req.query.string('queryVersion');
  if (version !== undefined && version !== 'QUERY_USES_URNS' && version !== 'QUERY_USES_MIXED') {
    throw inputError('PARAM_INVALID', 'queryVersion', 'Expected QUERY_USES_URNS');
  }
  if (req.query.has('locale')) req.query.object('locale');
  if (req.query.has('totals')) req.query.bool('totals');
}

function paged(req: RestRequest, items: readonly TargetingEntity[], defaultCount: number): RestResponse {
  const { elements, paging } = page(req, items, defaultCount);
  const withTotals = req.query.bool('totals') !== false;
  const { total, ...rest } = paging;
  return ok({ elements: project(req, elements), paging: { ...rest, ...(withTotals ? { total } : {}) } });
}

/** Lower-case, accents removed, for matching "sao paulo" against "São Paulo". */
const fold = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();

const words = (s: string): string[] => s.split(/[^\p{L}\p{N}+#&.]+/u).filter((w) => w !== '');

/**
 * Typeahead rank: 0 exact, 1 name prefix, 2 every query word starts a word of the name, 3 substring; undefined
 * when it does not match at all.
 */
export function typeaheadRank(name: string, query: string): number | undefined {
  return typeaheadMatcher(query)(name);
}

/**
 * typeaheadRank for one query against many names: the query is folded and split once, not once per name, and
 * each of its words is checked once however often it repeats, so a long query costs its length once.
 */
export function typeaheadMatcher(query: string): (name: string) => number | undefined {
  const q = fold(query).trim();
  const queryWords = [...new Set(words(q))];
  return (name) => {
    if (q === '') return undefined;
    const n = fold(name);
    if (n === q) return 0;
    if (n.startsWith(q)) return 1;
    const nameWords = words(n);
    if (queryWords.length > 0 && queryWords.every((qw) => nameWords.some((w) => w.startsWith(qw)))) return 2;
    if (n.includes(q)) return 3;
    return undefined;
  };
}

const GEO_ENTITY_TYPES: Record<string, GeoLevel> = {
  COUNTRY_GROUP: 'CONTINENT',
  CONTINENT: 'CONTINENT',
  COUNTRY: 'COUNTRY',
  STATE: 'STATE',
  REGION: 'CITY',
  CITY: 'CITY',
};

function typeahead(req: RestRequest): RestResponse {
  req.query.allowOnly([...COMMON_PARAMS, 'facet', 'query', 'entityType', 'useCase']);
  checkCommon(req);
  const facet = requireFacet(req, 'typeahead');
  const query = req.query.requireString('query');
  const entityType = req.query.string('entityType');
  let level: GeoLevel | undefined;
  if (entityType !== undefined) {
    if (!facet.entityTypes.includes(entityType)) {
      throw inputError('PARAM_INVALID', 'entityType', `${facet.name} has entity types ${facet.entityTypes.join(', ')}`);
    }
    level = GEO_ENTITY_TYPES[entityType];
  }
  const { catalog, engine } = req.ctx;
  const list = entitiesOf(catalog, facet.kind);
  const popularity = engine.popularity(facet.kind);
  const rankOf = typeaheadMatcher(query);
  const ranked: Array<{ i: number; rank: number }> = [];
  list.forEach((e, i) => {
    if (level && (e as { level?: GeoLevel }).level !== level) return;
    // A geo's own name ("Buffalo") beats a match through its parents ("…, New York, United States").
    const own = facet.kind === 'geo' ? rankOf(e.name.split(', ')[0]!) : undefined;
    const full = own === undefined ? rankOf(e.name) : undefined;
    const rank = own ?? (full === undefined ? undefined : full + (facet.kind === 'geo' ? 4 : 0));
    if (rank !== undefined) ranked.push({ i, rank });
  });
  ranked.sort(
    (a, b) => a.rank - b.rank || popularity[b.i]! - popularity[a.i]! || list[a.i]!.name.localeCompare(list[b.i]!.name),
  );
  return paged(
    req,
    ranked.map(({ i }) => entity(list[i]!, facet)),
    10,
  );
}

/** Entities like the given ones: same function and near seniority (titles), same function (skills), same industry (employers), same sector (industries). */
function similar(catalog: Catalog, kind: EntityKind, seeds: number[]): number[] {
  const out = new Set<number>();
  switch (kind) {
    case 'title':
      for (const s of seeds) {
        const t = catalog.titles[s]!;
        catalog.titles.forEach((o, i) => {
          if (o.fn === t.fn && Math.abs(o.seniority - t.seniority) <= 1) out.add(i);
        });
      }
      break;
    case 'skill':
      for (const s of seeds) {
        const fns = catalog.skills[s]!.fns;
        catalog.skills.forEach((o, i) => {
          if (o.fns.some((f) => fns.includes(f))) out.add(i);
        });
      }
      break;
    case 'employer':
      for (const s of seeds) {
        const e = catalog.employers[s]!;
        catalog.employers.forEach((o, i) => {
          if (o.industry === e.industry && Math.abs(o.staffCount - e.staffCount) <= 3) out.add(i);
        });
      }
      break;
    case 'industry':
      for (const s of seeds) {
        const sector = catalog.industries[s]!.sector;
        catalog.industries.forEach((o, i) => {
          if (o.sector === sector) out.add(i);
        });
      }
      break;
    default:
      break;
  }
  for (const s of seeds) out.delete(s);
  return [...out];
}

function similarEntities(req: RestRequest): RestResponse {
  req.query.allowOnly([...COMMON_PARAMS, 'facet', 'entities']);
  checkCommon(req);
  const facet = requireFacet(req, 'similarEntities');
  const urns = req.query.stringList('entities');
  if (!urns || urns.length === 0) throw inputError('PARAM_MISSING', 'entities');
  const { catalog, engine } = req.ctx;
  const seeds = urns.map((urn) => {
    const i = indexOfEntity(catalog, facet.kind, urn);
    if (i < 0) throw inputError('PARAM_INVALID', 'entities', `${urn} is not a known ${facet.name} entity`);
    return i;
  });
  const popularity = engine.popularity(facet.kind);
  const list = entitiesOf(catalog, facet.kind);
  const found = similar(catalog, facet.kind, seeds).sort((a, b) => popularity[b]! - popularity[a]! || a - b);
  return paged(
    req,
    found.map((i) => entity(list[i]!, facet)),
    10,
  );
}

function byUrns(req: RestRequest): RestResponse {
  req.query.allowOnly([...COMMON_PARAMS, 'urns', 'fetchType']);
  checkCommon(req);
  const urns = req.query.stringList('urns');
  if (!urns) throw inputError('PARAM_MISSING', 'urns');
  const elements: TargetingEntity[] = [];
  for (const urn of urns) {
    const facet = facetForEntityUrn(urn);
    const e = req.ctx.catalog.lookup(urn);
    // Unknown URNs are left out rather than failing the batch.
    if (facet && e) elements.push({ urn, facetUrn: facet.urn, name: e.name });
  }
  return ok({ elements: project(req, elements), paging: { count: UNBOUNDED, links: [], start: 0 } });
}

export function adTargetingEntities(req: RestRequest): RestResponse {
  if (req.method !== 'FINDER') throw unsupportedMethod(req);
  switch (req.query.string('q')) {
    case 'adTargetingFacet': {
      req.query.allowOnly([...COMMON_PARAMS, 'facet']);
      checkCommon(req);
      const facet = requireFacet(req, 'adTargetingFacet');
      const list = entitiesOf(req.ctx.catalog, facet.kind);
      return paged(
        req,
        list.map((e) => entity(e, facet)),
        UNBOUNDED,
      );
    }
    case 'typeahead':
      return typeahead(req);
    case 'similarEntities':
      return similarEntities(req);
    case 'urns':
      return byUrns(req);
    default:
      throw unknownFinder(req);
  }
}

/**
 * Audience evaluation over the population: targeting criteria → a bitset of members, a bitset → weighted counts,
 * and weighted counts per value of a groupBy facet. Per-value bitsets are computed on first use and cached per
 * population (shared by every sandbox built on it).
 */
import { andInto, andNotInto, type Bitset, createBitset, orInto, setBit, weightedCount } from './bitset.js';
import type { Catalog, NamedEntity } from './catalog.js';
import { type EntityKind, entitiesOf, type GroupByKind, indexOfEntity } from './facet-table.js';
import { type MultiValue, NONE8, NONE16, type Population } from './population.js';
import type { FacetClause, ParsedCriteria } from './rules.js';

/** Resolves an adSegment URN to its members (an empty bitset when the segment has no audience). */
export type SegmentResolver = (segmentUrn: string) => Bitset;

const MAX_CACHED_BITSETS = 1024;
const bitsetCaches = new WeakMap<Population, Map<string, Bitset>>();
const popularityCaches = new WeakMap<Population, Map<string, Float64Array>>();

export class AudienceEngine {
  private readonly bitsets: Map<string, Bitset>;
  private readonly popularityByKind: Map<string, Float64Array>;

  constructor(
    readonly catalog: Catalog,
    readonly population: Population,
  ) {
    let cache = bitsetCaches.get(population);
    if (!cache) {
      cache = new Map();
      bitsetCaches.set(population, cache);
    }
    this.bitsets = cache;
    let popularity = popularityCaches.get(population);
    if (!popularity) {
      popularity = new Map();
      popularityCaches.set(population, popularity);
    }
    this.popularityByKind = popularity;
  }

  /** Members matching the criteria: AND over include clauses of the OR within each, minus any excluded member. */
  evaluate(criteria: ParsedCriteria, segments: SegmentResolver): Bitset {
    let audience: Bitset | undefined;
    for (const group of criteria.include) {
      const union = this.unionOf(group, segments);
      if (audience) andInto(audience, union);
      else audience = union;
    }
    audience ??= createBitset(this.population.size);
    if (criteria.exclude.length > 0) andNotInto(audience, this.unionOf(criteria.exclude, segments));
    return audience;
  }

  count(audience: Bitset): number {
    return weightedCount(audience, this.population.weight);
  }

  private unionOf(clauses: readonly FacetClause[], segments: SegmentResolver): Bitset {
    const union = createBitset(this.population.size);
    for (const clause of clauses) {
      for (const urn of this.expandValues(clause)) {
        const bits = clause.facet.kind === 'segment' ? segments(urn) : this.valueBitset(clause.facet.kind, urn);
        orInto(union, bits);
      }
    }
    return union;
  }

  /** Years of experience given as exactly two URNs are a min/max range (reference §5.4); otherwise a set. */
  private expandValues(clause: FacetClause): string[] {
    if (clause.facet.kind !== 'years' || clause.values.length !== 2) return clause.values;
    const [a, b] = clause.values.map((u) => Number(u.slice(u.lastIndexOf(':') + 1))) as [number, number];
    const out: string[] = [];
    for (let y = Math.min(a, b); y <= Math.max(a, b); y++) out.push(`urn:li:yearsOfExperience:${y}`);
    return out;
  }

  /** Members having one value of a facet (empty for values the catalog does not know). */
  valueBitset(kind: Exclude<EntityKind, 'segment'>, urn: string): Bitset {
    const index = indexOfEntity(this.catalog, kind, urn);
    const key = `${kind}:${index}`;
    const cached = this.bitsets.get(key);
    if (cached) {
      // Refresh recency for the small LRU.
      this.bitsets.delete(key);
      this.bitsets.set(key, cached);
      return cached;
    }
    const bits = index < 0 ? createBitset(this.population.size) : this.computeValueBitset(kind, index);
    this.bitsets.set(key, bits);
    if (this.bitsets.size > MAX_CACHED_BITSETS) this.bitsets.delete(this.bitsets.keys().next().value!);
    return bits;
  }

  private computeValueBitset(kind: Exclude<EntityKind, 'segment'>, index: number): Bitset {
    const p = this.population;
    const bits = createBitset(p.size);
    const scan = (col: ArrayLike<number>) => {
      for (let i = 0; i < p.size; i++) if (col[i] === index) setBit(bits, i);
    };
    const scanMulti = (mv: MultiValue) => {
      for (let i = 0; i < p.size; i++) {
        for (let k = mv.offsets[i]!; k < mv.offsets[i + 1]!; k++) {
          if (mv.values[k] === index) {
            setBit(bits, i);
            break;
          }
        }
      }
    };
    switch (kind) {
      case 'jobFunction':
        scan(p.jobFunction);
        break;
      case 'seniority':
        scan(p.seniority);
        break;
      case 'title':
        scan(p.title);
        break;
      case 'years':
        scan(p.years);
        break;
      case 'industry':
        scan(p.industry);
        break;
      case 'staffCount':
        scan(p.staffCount);
        break;
      case 'growthRate':
        scan(p.growthRate);
        break;
      case 'employer':
        scan(p.employer);
        break;
      case 'locale':
        scan(p.locale);
        break;
      case 'gender':
        scan(p.gender);
        break;
      case 'ageRange':
        scan(p.ageRange);
        break;
      case 'skill':
        scanMulti(p.skills);
        break;
      case 'interest':
        scanMulti(p.interests);
        break;
      case 'productInterest':
        scanMulti(p.productInterests);
        break;
      case 'geo': {
        const geos = this.catalog.geos;
        const inside = new Uint8Array(geos.length);
        for (const c of this.catalog.cities) {
          const g = geos[c]!;
          if (c === index || g.state === index || g.country === index || g.continent === index) inside[c] = 1;
        }
        for (let i = 0; i < p.size; i++) if (inside[p.city[i]!]) setBit(bits, i);
        break;
      }
    }
    return bits;
  }

  /** Weighted members per value of a groupBy facet; `entities[i]` is the value counted in `counts[i]`. */
  groupBy(audience: Bitset, kind: GroupByKind): { entities: readonly NamedEntity[]; counts: Float64Array } {
    const p = this.population;
    const w = p.weight;
    const single = (col: Uint8Array | Uint16Array, entities: readonly NamedEntity[], none: number) => {
      const counts = new Float64Array(entities.length);
      for (let word = 0; word < audience.length; word++) {
        let bits = audience[word]!;
        while (bits !== 0) {
          const low = bits & -bits;
          const i = (word << 5) + 31 - Math.clz32(low);
          bits ^= low;
          const v = col[i]!;
          if (v !== none) counts[v]! += w[i]!;
        }
      }
      return { entities, counts };
    };
    const multi = (mv: MultiValue, entities: readonly NamedEntity[]) => {
      const counts = new Float64Array(entities.length);
      const { offsets, values } = mv;
      for (let word = 0; word < audience.length; word++) {
        let bits = audience[word]!;
        while (bits !== 0) {
          const low = bits & -bits;
          const i = (word << 5) + 31 - Math.clz32(low);
          bits ^= low;
          const weight = w[i]!;
          for (let k = offsets[i]!; k < offsets[i + 1]!; k++) counts[values[k]!]! += weight;
        }
      }
      return { entities, counts };
    };
    const geo = (level: 'continent' | 'country' | 'state' | 'city') => {
      const geos = this.catalog.geos;
      const target = new Int32Array(geos.length).fill(-1);
      for (const c of this.catalog.cities) target[c] = level === 'city' ? c : geos[c]![level];
      const counts = new Float64Array(geos.length);
      for (let word = 0; word < audience.length; word++) {
        let bits = audience[word]!;
        while (bits !== 0) {
          const low = bits & -bits;
          const i = (word << 5) + 31 - Math.clz32(low);
          bits ^= low;
          const g = target[p.city[i]!]!;
          if (g >= 0) counts[g]! += w[i]!;
        }
      }
      return { entities: geos, counts };
    };
    const c = this.catalog;
    switch (kind) {
      case 'jobFunction':
        return single(p.jobFunction, c.functions, NONE8);
      case 'seniority':
        return single(p.seniority, c.seniorities, NONE8);
      case 'title':
        return single(p.title, c.titles, NONE16);
      case 'years':
        return single(p.years, c.years, NONE8);
      case 'industry':
        return single(p.industry, c.industries, NONE8);
      case 'staffCount':
        return single(p.staffCount, c.staffCounts, NONE8);
      case 'growthRate':
        return single(p.growthRate, c.growthRates, NONE8);
      case 'employer':
        return single(p.employer, c.employers, NONE16);
      case 'skill':
        return multi(p.skills, c.skills);
      case 'interest':
        return multi(p.interests, c.interests);
      case 'productInterest':
        return multi(p.productInterests, c.productInterests);
      case 'continent':
      case 'country':
      case 'state':
      case 'city':
        return geo(kind);
    }
  }

  /** Represented members per entity of a kind across the whole population (typeahead and similar-entity ranking). */
  popularity(kind: Exclude<EntityKind, 'segment'>): Float64Array {
    const cached = this.popularityByKind.get(kind);
    if (cached) return cached;
    const all = createBitset(this.population.size).fill(0xffffffff);
    const tail = this.population.size & 31;
    if (tail !== 0) all[all.length - 1] = (1 << tail) - 1;
    const groupKind: Partial<Record<EntityKind, GroupByKind>> = {
      jobFunction: 'jobFunction',
      seniority: 'seniority',
      title: 'title',
      years: 'years',
      skill: 'skill',
      industry: 'industry',
      staffCount: 'staffCount',
      growthRate: 'growthRate',
      employer: 'employer',
      interest: 'interest',
      productInterest: 'productInterest',
    };
    let result: Float64Array;
    const g = groupKind[kind];
    if (g) result = this.groupBy(all, g).counts;
    else if (kind === 'geo') {
      result = new Float64Array(this.catalog.geos.length);
      for (const level of ['continent', 'country', 'state', 'city'] as const) {
        const counts = this.groupBy(all, level).counts;
        for (let i = 0; i < counts.length; i++) result[i]! += counts[i]!;
      }
    } else {
      const entities = entitiesOf(this.catalog, kind);
      result = new Float64Array(entities.length);
      for (let i = 0; i < entities.length; i++) result[i] = this.count(this.valueBitset(kind, entities[i]!.urn));
    }
    this.popularityByKind.set(kind, result);
    return result;
  }
}

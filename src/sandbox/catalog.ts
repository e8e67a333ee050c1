/**
 * The entity catalog: every URN the sandbox knows, with its display name and the facts that tie entities together
 * (a title's function and seniority, an employer's industry, size and growth, a city's state, country and continent).
 * It does not depend on the seed, so URNs and names are the same in every sandbox; only the members differ.
 */
import {
  AGE_RANGES,
  GENDERS,
  GROWTH_RATES,
  JOB_FUNCTIONS,
  LOCALES,
  type NamedEntity,
  SENIORITIES,
  STAFF_COUNT_RANGES,
  YEARS_OF_EXPERIENCE,
} from './catalog/basics.js';
import {
  COMPANY_NAME_PREFIXES,
  COUNTRY_COMPANY_SUFFIX,
  CURATED_EMPLOYERS,
  INDUSTRIES,
  SECTOR_GROWTH,
  SECTOR_NAME_STEMS,
  type Sector,
} from './catalog/companies.js';
import { CONTINENTS, COUNTRIES, type CountrySpec } from './catalog/geo.js';
import {
  INTEREST_ID_START,
  INTERESTS,
  type InterestSpec,
  PINNED_INTEREST_IDS,
  PRODUCT_INTERESTS,
} from './catalog/interests.js';
import { COMMON_SKILLS, FUNCTIONS, PINNED_SKILL_IDS } from './catalog/work.js';
import { hashSeed, mulberry32, WeightedSampler } from './prng.js';

export type { NamedEntity } from './catalog/basics.js';
export type { Sector } from './catalog/companies.js';

export type GeoLevel = 'CONTINENT' | 'COUNTRY' | 'STATE' | 'CITY';

export interface GeoEntity extends NamedEntity {
  level: GeoLevel;
  /** Indices into `Catalog.geos`; -1 when the level does not apply (a city without a state). */
  continent: number;
  country: number;
  state: number;
  /** For countries: the spec (membership, locales). */
  spec?: CountrySpec;
  /** For cities: share of LinkedIn members living there. */
  memberShare?: number;
}

export interface TitleEntity extends NamedEntity {
  fn: number;
  seniority: number;
  /** Skills typical of the role (indices into `skills`). */
  roleSkills: readonly number[];
}

export interface SkillEntity extends NamedEntity {
  /** Job functions (indices) whose people list it; empty for general skills. */
  fns: readonly number[];
}

export interface IndustryEntity extends NamedEntity {
  sector: Sector;
  share: number;
}

export interface EmployerEntity extends NamedEntity {
  industry: number;
  staffCount: number;
  growthRate: number;
  /** Country (geo index) the company is based in; -1 for global ones. */
  home: number;
  /** Employs only in its home country. */
  local: boolean;
  /** Relative number of employees among companies of its size band. */
  size: number;
}

export interface InterestEntity extends NamedEntity {
  sectors: readonly Sector[];
  fns: readonly number[];
  base: number;
}

export interface Catalog {
  functions: readonly NamedEntity[];
  seniorities: readonly NamedEntity[];
  staffCounts: readonly NamedEntity[];
  growthRates: readonly NamedEntity[];
  years: readonly NamedEntity[];
  genders: readonly NamedEntity[];
  ageRanges: readonly NamedEntity[];
  locales: readonly NamedEntity[];
  industries: readonly IndustryEntity[];
  employers: readonly EmployerEntity[];
  titles: readonly TitleEntity[];
  skills: readonly SkillEntity[];
  interests: readonly InterestEntity[];
  productInterests: readonly InterestEntity[];
  geos: readonly GeoEntity[];
  /** Geo indices of every city / country. */
  cities: readonly number[];
  countries: readonly number[];
  /** Per job function: its skill pool as skill indices with weights. */
  functionSkills: ReadonlyArray<{ skills: readonly number[]; weights: readonly number[] }>;
  commonSkills: { skills: readonly number[]; weights: readonly number[] };
  /** Titles per (function, seniority): `titlesBy[fn][seniority]` → title indices. */
  titlesBy: ReadonlyArray<ReadonlyArray<readonly number[]>>;
  functionWeights: readonly number[];
  functionFemaleShare: readonly number[];
  /** Any URN the catalog knows → its entity. */
  lookup(urn: string): NamedEntity | undefined;
}

const SANDBOX_GEO_ID_START = 1090000001;
const SANDBOX_ORG_ID_START = 91000001;
const GENERATED_ORG_ID_START = 92000001;

function buildGeos(): { geos: GeoEntity[]; cities: number[]; countries: number[] } {
  let nextId = SANDBOX_GEO_ID_START;
  const geoUrn = (id: number | undefined): string => `urn:li:geo:${id ?? nextId++}`;
  const geos: GeoEntity[] = [];
  const continentIndex = new Map<string, number>();
  for (const c of CONTINENTS) {
    continentIndex.set(c.key, geos.length);
    geos.push({ urn: geoUrn(c.id), name: c.name, level: 'CONTINENT', continent: geos.length, country: -1, state: -1 });
  }
  const cities: number[] = [];
  const countries: number[] = [];
  const totalMillions = COUNTRIES.reduce((s, c) => s + c.millions, 0);
  for (const spec of COUNTRIES) {
    const continent = continentIndex.get(spec.continent)!;
    const country = geos.length;
    countries.push(country);
    geos.push({ urn: geoUrn(spec.id), name: spec.name, level: 'COUNTRY', continent, country, state: -1, spec });
    const stateIndex = new Map<string, number>();
    for (const [key, name, id] of spec.states ?? []) {
      stateIndex.set(key, geos.length);
      geos.push({
        urn: geoUrn(id),
        name: `${name}, ${spec.name}`,
        level: 'STATE',
        continent,
        country,
        state: geos.length,
      });
    }
    const shareSum = spec.cities.reduce((s, c) => s + c[1], 0);
    for (const [name, share, stateKey, id] of spec.cities) {
      const state = stateKey ? stateIndex.get(stateKey)! : -1;
      const stateName = state >= 0 ? `${geos[state]!.name}` : spec.name;
      cities.push(geos.length);
      geos.push({
        urn: geoUrn(id),
        name: `${name}, ${stateName}`,
        level: 'CITY',
        continent,
        country,
        state,
        memberShare: (spec.millions / totalMillions) * (share / shareSum),
      });
    }
  }
  return { geos, cities, countries };
}

function buildSkillsAndTitles() {
  const skills: Array<{ urn: string; name: string; fns: Set<number> }> = [];
  const skillIndex = new Map<string, number>();
  const usedIds = new Set(Object.values(PINNED_SKILL_IDS));
  let nextId = 1;
  const skill = (name: string, fn?: number): number => {
    let idx = skillIndex.get(name);
    if (idx === undefined) {
      let id = PINNED_SKILL_IDS[name];
      if (id === undefined) {
        while (usedIds.has(nextId)) nextId++;
        id = nextId++;
        usedIds.add(id);
      }
      idx = skills.length;
      skillIndex.set(name, idx);
      skills.push({ urn: `urn:li:skill:${id}`, name, fns: new Set() });
    }
    if (fn !== undefined) skills[idx]!.fns.add(fn);
    return idx;
  };

  const common = COMMON_SKILLS.map(([name]) => skill(name));
  const commonSkills = { skills: common, weights: COMMON_SKILLS.map(([, w]) => w) };

  const functionSkills = FUNCTIONS.map((spec, fn) => {
    const pool = spec.skills.map((entry) => skill(typeof entry === 'string' ? entry : entry[0], fn));
    const weights = spec.skills.map((entry, i) => (typeof entry === 'string' ? 1 / (1 + 0.15 * i) : entry[1]));
    return { skills: pool, weights };
  });

  const titles: TitleEntity[] = [];
  const titleNames = new Set<string>();
  const titlesBy: number[][][] = FUNCTIONS.map(() => SENIORITIES.map(() => []));
  const addTitle = (name: string, fn: number, seniorityId: number, roleSkills: number[]) => {
    if (titleNames.has(name)) return;
    titleNames.add(name);
    titlesBy[fn]![seniorityId - 1]!.push(titles.length);
    titles.push({ urn: `urn:li:title:${titles.length + 1}`, name, fn, seniority: seniorityId - 1, roleSkills });
  };
  FUNCTIONS.forEach((spec, fn) => {
    spec.roles.forEach((role, i) => {
      const r = typeof role === 'string' ? { name: role } : role;
      const seniority = r.seniority ?? 3;
      const roleSkills = (r.skills ?? []).map((name) => skill(name, fn));
      addTitle(r.name, fn, seniority, roleSkills);
      if (r.variants ?? seniority === 3) {
        addTitle(`Senior ${r.name}`, fn, 4, roleSkills);
        if (i < 3) addTitle(`Lead ${r.name}`, fn, 4, roleSkills);
        if (i < 2 && seniority === 3) addTitle(`Junior ${r.name}`, fn, 3, roleSkills);
        if (i < 2) addTitle(`${r.name} Intern`, fn, 2, roleSkills);
      }
    });
    for (const [name, seniority] of spec.titles) addTitle(name, fn, seniority, []);
  });

  return {
    skills: skills.map((s): SkillEntity => ({ urn: s.urn, name: s.name, fns: [...s.fns].sort((a, b) => a - b) })),
    titles,
    titlesBy,
    functionSkills,
    commonSkills,
  };
}

function buildInterests(specs: readonly InterestSpec[], urnFor: (name: string, i: number) => string): InterestEntity[] {
  return specs.map((spec, i) => ({
    urn: urnFor(spec.name, i),
    name: spec.name,
    sectors: spec.tags.filter((t): t is Sector => typeof t === 'string'),
    fns: spec.tags.filter((t): t is number => typeof t === 'number').map((id) => id - 1),
    base: spec.base ?? 0,
  }));
}

function interestUrns(): (name: string, i: number) => string {
  const used = new Set(Object.values(PINNED_INTEREST_IDS));
  let next = INTEREST_ID_START;
  return (name) => {
    let id = PINNED_INTEREST_IDS[name];
    if (id === undefined) {
      while (used.has(next)) next++;
      id = next++;
      used.add(id);
    }
    return `urn:li:interest:${id}`;
  };
}

/**
 * Generated companies per staff-count band (index 0 … 8) for every 10M members of a country (at least one set), so
 * that no single small company holds a visible share of a big country.
 */
const GENERATED_PER_BAND = [6, 5, 5, 4, 3, 3, 3, 2, 1];

function buildEmployers(
  industries: readonly IndustryEntity[],
  geos: readonly GeoEntity[],
  countries: readonly number[],
) {
  const industryIndex = new Map(industries.map((ind, i) => [Number(ind.urn.slice('urn:li:industry:'.length)), i]));
  const countryIndex = new Map(countries.map((g) => [geos[g]!.spec!.key, g]));
  const employers: EmployerEntity[] = [];
  const names = new Set<string>();
  let sandboxId = SANDBOX_ORG_ID_START;
  for (const [name, id, industryId, staff, growth, home, size, local] of CURATED_EMPLOYERS) {
    const industry = industryIndex.get(industryId);
    if (industry === undefined) throw new Error(`Unknown industry ${industryId} for ${name}`);
    names.add(name);
    employers.push({
      urn: `urn:li:organization:${id ?? sandboxId++}`,
      name,
      industry,
      staffCount: staff,
      growthRate: growth,
      home: home ? (countryIndex.get(home) ?? -1) : -1,
      local: local === 'local',
      size,
    });
  }

  // Fixed seed: generated companies are part of the catalog, the same in every sandbox.
  const rng = mulberry32(hashSeed('sandbox-catalog-employers'));
  const industrySampler = new WeightedSampler(industries.map((i) => i.share));
  let generatedId = GENERATED_ORG_ID_START;
  for (const country of countries) {
    const spec = geos[country]!.spec!;
    const suffix = COUNTRY_COMPANY_SUFFIX[spec.key] ?? 'Ltd';
    const countryCities = geos.filter((g) => g.level === 'CITY' && g.country === country);
    const scale = Math.max(1, Math.round(spec.millions / 10));
    GENERATED_PER_BAND.forEach((perTenMillion, band) => {
      const count = band === 8 ? Math.min(6, 1 + Math.floor(scale / 4)) : perTenMillion * scale;
      for (let k = 0; k < count; k++) {
        const industry = industrySampler.sample(rng);
        const sector = industries[industry]!.sector;
        const stems = SECTOR_NAME_STEMS[sector];
        let name = '';
        for (let attempt = 0; attempt < 20 && (name === '' || names.has(name)); attempt++) {
          const prefix = COMPANY_NAME_PREFIXES[Math.floor(rng() * COMPANY_NAME_PREFIXES.length)]!;
          const stem = stems[Math.floor(rng() * stems.length)]!;
          name =
            attempt < 10
              ? `${prefix} ${stem} ${suffix}`
              : `${prefix} ${stem} ${countryCities[attempt % countryCities.length]!.name.split(',')[0]} ${suffix}`;
        }
        names.add(name);
        employers.push({
          urn: `urn:li:organization:${generatedId++}`,
          name,
          industry,
          staffCount: band,
          growthRate: new WeightedSampler(SECTOR_GROWTH[sector]).sample(rng),
          home: country,
          local: true,
          size: 0.5 + rng() * 1.5,
        });
      }
    });
  }
  return employers;
}

let cached: Catalog | undefined;

/** The catalog (built once per process; it is immutable). */
export function getCatalog(): Catalog {
  cached ??= buildCatalog();
  return cached;
}

function buildCatalog(): Catalog {
  const { geos, cities, countries } = buildGeos();
  const industries: IndustryEntity[] = INDUSTRIES.map(([id, name, sector, share]) => ({
    urn: `urn:li:industry:${id}`,
    name,
    sector,
    share,
  }));
  const { skills, titles, titlesBy, functionSkills, commonSkills } = buildSkillsAndTitles();
  const employers = buildEmployers(industries, geos, countries);
  const interests = buildInterests(INTERESTS, interestUrns());
  const productInterests = buildInterests(PRODUCT_INTERESTS, (_, i) => `urn:li:productInterest:${i + 1}`);

  const lists: ReadonlyArray<readonly NamedEntity[]> = [
    JOB_FUNCTIONS,
    SENIORITIES,
    STAFF_COUNT_RANGES,
    GROWTH_RATES,
    YEARS_OF_EXPERIENCE,
    GENDERS,
    AGE_RANGES,
    LOCALES,
    industries,
    employers,
    titles,
    skills,
    interests,
    productInterests,
    geos,
  ];
  const byUrn = new Map<string, NamedEntity>();
  for (const list of lists) {
    for (const e of list) {
      if (byUrn.has(e.urn)) throw new Error(`Duplicate URN in the sandbox catalog: ${e.urn}`);
      byUrn.set(e.urn, e);
    }
  }

  return {
    functions: JOB_FUNCTIONS,
    seniorities: SENIORITIES,
    staffCounts: STAFF_COUNT_RANGES,
    growthRates: GROWTH_RATES,
    years: YEARS_OF_EXPERIENCE,
    genders: GENDERS,
    ageRanges: AGE_RANGES,
    locales: LOCALES,
    industries,
    employers,
    titles,
    skills,
    interests,
    productInterests,
    geos,
    cities,
    countries,
    functionSkills,
    commonSkills,
    titlesBy,
    functionWeights: FUNCTIONS.map((f) => f.weight),
    functionFemaleShare: FUNCTIONS.map((f) => f.femaleShare),
    lookup: (urn) => byUrn.get(urn.startsWith('urn:li:company:') ? `urn:li:organization:${urn.slice(15)}` : urn),
  };
}

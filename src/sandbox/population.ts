/**
 * The synthetic member population: a seeded sample of members whose attributes correlate like real ones, stored
 * column-wise in typed arrays. Each synthetic member stands for `weight` real members, so ~200k rows represent
 * LinkedIn's ~1B while a narrow audience can still fall under the 300-member threshold.
 *
 * How one member is drawn: city (by LinkedIn membership) → interface locale (by country) → company size band →
 * employer (local companies and multinationals of that band) → industry, size and growth (the employer's) → job
 * function (biased by the industry's sector) → seniority (biased by company size) → title (implies function and
 * seniority) → years of experience (from seniority) → age range (from experience) → gender (by function) →
 * skills (role, function, general) → interests and product interests (by sector and function).
 */

import { SECTOR_FUNCTION_BIAS } from './catalog/companies.js';
import type { Catalog, Sector } from './catalog.js';
import { hashSeed, mulberry32, normal, type Rng, WeightedSampler } from './prng.js';

export const NONE8 = 0xff;
export const NONE16 = 0xffff;

/** A multi-valued attribute in compressed rows: member i has `values[offsets[i] .. offsets[i+1])`. */
export interface MultiValue {
  offsets: Uint32Array;
  values: Uint16Array;
}

export interface Population {
  seed: number;
  size: number;
  /** Sum of weights: the number of real members represented. */
  represented: number;
  weight: Uint32Array;
  /** Geo index (into `catalog.geos`) of the member's city. */
  city: Uint16Array;
  locale: Uint8Array;
  gender: Uint8Array;
  ageRange: Uint8Array;
  years: Uint8Array;
  /** Position columns hold NONE for members without a current position. */
  title: Uint16Array;
  jobFunction: Uint8Array;
  seniority: Uint8Array;
  employer: Uint16Array;
  industry: Uint8Array;
  staffCount: Uint8Array;
  growthRate: Uint8Array;
  skills: MultiValue;
  interests: MultiValue;
  productInterests: MultiValue;
}

/** LinkedIn-wide share of members by company size band (1, 2–10, …, 10,001+). */
const STAFF_BAND_SHARE = [0.05, 0.1, 0.11, 0.12, 0.08, 0.06, 0.13, 0.07, 0.28];
/** Seniority shares (Unpaid … Owner) in a mid-size company; small and large companies shift them. */
const SENIORITY_SHARE = [0.015, 0.05, 0.36, 0.27, 0.14, 0.06, 0.025, 0.02, 0.01, 0.05];
/** Mean and spread of years of experience by seniority. */
const YEARS_BY_SENIORITY: ReadonlyArray<readonly [number, number]> = [
  [1.5, 1],
  [1.5, 1],
  [3, 2],
  [7, 3],
  [9, 3],
  [11.5, 2],
  [12, 1.5],
  [12, 2],
  [12, 1.5],
  [9, 4],
];
/** Age band shares (18–24, 25–34, 35–54, 55+) by years of experience 1..12. */
const AGE_BY_YEARS = (years: number): readonly number[] =>
  years <= 2
    ? [0.7, 0.25, 0.05, 0]
    : years <= 5
      ? [0.25, 0.65, 0.1, 0]
      : years <= 9
        ? [0, 0.6, 0.38, 0.02]
        : years <= 11
          ? [0, 0.25, 0.65, 0.1]
          : [0, 0.05, 0.65, 0.3];
const NO_POSITION_SHARE = 0.08;
/** Interests at least this common are drawn independently per member; rarer everyday ones join the weighted draw. */
const BROAD_BASE = 0.1;
const RARE_SHARE = 0.04;
const ENTREPRENEURSHIP = 8;
const OWNER = 9;

/** One synthetic member, by URN, for hand-built populations (tests, demos). */
export interface MemberSpec {
  weight: number;
  city: string;
  locale?: string;
  gender?: string;
  ageRange?: string;
  years?: number;
  title?: string;
  employer?: string;
  skills?: readonly string[];
  interests?: readonly string[];
  productInterests?: readonly string[];
}

/** Appends members' values in order; duplicates within a member are dropped. */
class MultiValueBuilder {
  private values: Uint16Array;
  private length = 0;
  private memberStart = 0;
  readonly offsets: Uint32Array;
  constructor(size: number, perMember: number) {
    this.offsets = new Uint32Array(size + 1);
    this.values = new Uint16Array(Math.max(16, size * perMember));
  }
  /** Values added so far for the current member. */
  get count(): number {
    return this.length - this.memberStart;
  }
  add(v: number): void {
    for (let i = this.memberStart; i < this.length; i++) if (this.values[i] === v) return;
    if (this.length === this.values.length) {
      const grown = new Uint16Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = v;
  }
  endMember(member: number): void {
    this.offsets[member + 1] = this.length;
    this.memberStart = this.length;
  }
  build(): MultiValue {
    return { offsets: this.offsets, values: this.values.slice(0, this.length) };
  }
}

function emptyPopulation(seed: number, size: number) {
  return {
    seed,
    size,
    weight: new Uint32Array(size),
    city: new Uint16Array(size),
    locale: new Uint8Array(size),
    gender: new Uint8Array(size),
    ageRange: new Uint8Array(size),
    years: new Uint8Array(size),
    title: new Uint16Array(size).fill(NONE16),
    jobFunction: new Uint8Array(size).fill(NONE8),
    seniority: new Uint8Array(size).fill(NONE8),
    employer: new Uint16Array(size).fill(NONE16),
    industry: new Uint8Array(size).fill(NONE8),
    staffCount: new Uint8Array(size).fill(NONE8),
    growthRate: new Uint8Array(size).fill(NONE8),
  };
}

const cache = new Map<string, Population>();

/** The population for (seed, size), generated once per process and shared (it is never mutated). */
export function getPopulation(catalog: Catalog, seed: number, size: number): Population {
  const key = `${seed}:${size}`;
  let population = cache.get(key);
  if (!population) {
    population = generatePopulation(catalog, seed, size);
    cache.set(key, population);
  }
  return population;
}

export function generatePopulation(catalog: Catalog, seed: number, size: number): Population {
  if (!Number.isInteger(size) || size < 1 || size > 5_000_000)
    throw new RangeError('populationSize must be 1..5,000,000');
  const rng = mulberry32(hashSeed(seed, 'population'));
  const draw = new MemberDrawer(catalog, rng);
  const cols = emptyPopulation(seed, size);
  const skills = new MultiValueBuilder(size, 10);
  const interests = new MultiValueBuilder(size, 5);
  const productInterests = new MultiValueBuilder(size, 3);
  const rawWeight = new Float64Array(size);
  const rare = new Uint8Array(size);

  for (let m = 0; m < size; m++) {
    const city = draw.city();
    cols.city[m] = city;
    cols.locale[m] = draw.locale(city);
    const hasPosition = rng() >= NO_POSITION_SHARE;
    let fn: number;
    let seniority = -1;
    let sector: Sector | undefined;
    let title = -1;
    if (hasPosition) {
      const band = draw.staffBand();
      const employer = draw.employer(catalog.geos[city]!.country, band);
      const e = catalog.employers[employer]!;
      sector = catalog.industries[e.industry]!.sector;
      title = draw.title(draw.jobFunction(sector), draw.seniority(band));
      const t = catalog.titles[title]!;
      fn = t.fn;
      seniority = t.seniority;
      cols.title[m] = title;
      cols.jobFunction[m] = fn;
      cols.seniority[m] = seniority;
      cols.employer[m] = employer;
      cols.industry[m] = e.industry;
      cols.staffCount[m] = e.staffCount;
      cols.growthRate[m] = e.growthRate;
    } else {
      // Students and people between jobs: skills and interests still follow a field.
      fn = draw.jobFunction(undefined);
    }
    const years = draw.years(seniority);
    cols.years[m] = years - 1;
    cols.ageRange[m] = draw.ageRange(years);
    cols.gender[m] = rng() < catalog.functionFemaleShare[fn]! ? 0 : 1;
    draw.skills(fn, title, years, skills);
    skills.endMember(m);
    draw.interests(sector, fn, 0, interests);
    interests.endMember(m);
    draw.interests(sector, fn, 1, productInterests);
    productInterests.endMember(m);
    if (rng() < RARE_SHARE) {
      rare[m] = 1;
      rawWeight[m] = 3 + Math.floor(rng() * 298);
    } else {
      rawWeight[m] = Math.exp(0.45 * normal(rng));
    }
  }

  const target = catalog.countries.reduce((s, g) => s + catalog.geos[g]!.spec!.millions, 0) * 1_000_000;
  let rareTotal = 0;
  let commonTotal = 0;
  for (let m = 0; m < size; m++) {
    if (rare[m]) rareTotal += rawWeight[m]!;
    else commonTotal += rawWeight[m]!;
  }
  const scale = commonTotal > 0 ? Math.max(1, target - rareTotal) / commonTotal : 1;
  let represented = 0;
  for (let m = 0; m < size; m++) {
    const w = rare[m] ? rawWeight[m]! : Math.max(1, Math.round(rawWeight[m]! * scale));
    cols.weight[m] = w;
    represented += w;
  }

  return {
    ...cols,
    represented,
    skills: skills.build(),
    interests: interests.build(),
    productInterests: productInterests.build(),
  };
}

/** The conditional distributions, with samplers built once and cached by condition. */
class MemberDrawer {
  private readonly citySampler: WeightedSampler;
  private readonly localeByCountry = new Map<number, { sampler: WeightedSampler; locales: number[] }>();
  private readonly bandSampler = new WeightedSampler(STAFF_BAND_SHARE);
  private readonly employerSamplers = new Map<number, { sampler: WeightedSampler; employers: number[] }>();
  private readonly functionSamplers = new Map<string, WeightedSampler>();
  private readonly senioritySamplers = new Map<number, WeightedSampler>();
  private readonly titleSamplers = new Map<number, WeightedSampler>();
  private readonly interestSamplers: Array<WeightedSampler | undefined> = [];
  private readonly sectorIndex = new Map<Sector | undefined, number>();
  /** Per kind (0 interests, 1 product interests): the broad ones every member may have, by `base` rate. */
  private readonly broad: Array<Array<{ index: number; base: number; fns: Uint8Array }>>;
  private readonly skillPools: WeightedSampler[];
  private readonly commonSkills: WeightedSampler;

  constructor(
    private readonly catalog: Catalog,
    private readonly rng: Rng,
  ) {
    this.citySampler = new WeightedSampler(catalog.cities.map((g) => catalog.geos[g]!.memberShare ?? 0));
    this.skillPools = catalog.functionSkills.map((p) => new WeightedSampler(p.weights));
    this.commonSkills = new WeightedSampler(catalog.commonSkills.weights);
    this.broad = [catalog.interests, catalog.productInterests].map((list) =>
      list.flatMap((e, index) => {
        if (e.base < BROAD_BASE) return [];
        const fns = new Uint8Array(catalog.functions.length);
        for (const f of e.fns) fns[f] = 1;
        return [{ index, base: e.base, fns }];
      }),
    );
  }

  city(): number {
    return this.catalog.cities[this.citySampler.sample(this.rng)]!;
  }

  locale(city: number): number {
    const country = this.catalog.geos[city]!.country;
    let entry = this.localeByCountry.get(country);
    if (!entry) {
      const shares = Object.entries(this.catalog.geos[country]!.spec!.locales);
      const locales = shares.map(([code]) => this.catalog.locales.findIndex((l) => l.urn === `urn:li:locale:${code}`));
      if (locales.includes(-1)) throw new Error(`Unknown locale for ${this.catalog.geos[country]!.name}`);
      entry = { sampler: new WeightedSampler(shares.map(([, s]) => s)), locales };
      this.localeByCountry.set(country, entry);
    }
    return entry.locales[entry.sampler.sample(this.rng)]!;
  }

  staffBand(): number {
    return this.bandSampler.sample(this.rng);
  }

  employer(country: number, band: number): number {
    const key = country * 16 + band;
    let entry = this.employerSamplers.get(key);
    if (!entry) {
      const employers: number[] = [];
      const weights: number[] = [];
      this.catalog.employers.forEach((e, i) => {
        if (e.staffCount !== band) return;
        let w = 0;
        if (e.home === country) w = e.size * (e.local ? 1 : 1.5);
        else if (!e.local) w = e.size * 0.3;
        if (w > 0) {
          employers.push(i);
          weights.push(w);
        }
      });
      if (employers.length === 0)
        throw new Error(`No employer for band ${band} in ${this.catalog.geos[country]!.name}`);
      entry = { sampler: new WeightedSampler(weights), employers };
      this.employerSamplers.set(key, entry);
    }
    return entry.employers[entry.sampler.sample(this.rng)]!;
  }

  jobFunction(sector: Sector | undefined): number {
    const key = sector ?? '';
    let sampler = this.functionSamplers.get(key);
    if (!sampler) {
      const bias = sector ? SECTOR_FUNCTION_BIAS[sector] : {};
      sampler = new WeightedSampler(this.catalog.functionWeights.map((w, fn) => w * (bias[fn + 1] ?? 1)));
      this.functionSamplers.set(key, sampler);
    }
    return sampler.sample(this.rng);
  }

  seniority(band: number): number {
    let sampler = this.senioritySamplers.get(band);
    if (!sampler) {
      const shares = [...SENIORITY_SHARE];
      if (band === 0) shares[OWNER] = 2.5;
      else if (band === 1) {
        shares[OWNER] = 0.2;
        shares[7] = 0.05;
      } else if (band >= 6) {
        shares[OWNER] = 0.003;
        shares[7] = 0.006;
        shares[8] = 0.004;
      }
      sampler = new WeightedSampler(shares);
      this.senioritySamplers.set(band, sampler);
    }
    return sampler.sample(this.rng);
  }

  /** A title of that function near that seniority; owners of functions without owner titles become entrepreneurs. */
  title(fn: number, seniority: number): number {
    const byFn = this.catalog.titlesBy;
    let f = fn;
    let s = seniority;
    if (seniority === OWNER && byFn[fn]![OWNER]!.length === 0 && this.rng() < 0.6) f = ENTREPRENEURSHIP;
    // Entrepreneurship is a function of founders and owners.
    if (f === ENTREPRENEURSHIP && this.rng() < 0.85) s = OWNER;
    const options = byFn[f]!;
    if (options[s]!.length === 0) {
      for (let d = 1; d < 10; d++) {
        if (s - d >= 0 && options[s - d]!.length > 0) {
          s -= d;
          break;
        }
        if (s + d < 10 && options[s + d]!.length > 0) {
          s += d;
          break;
        }
      }
    }
    const key = f * 16 + s;
    let sampler = this.titleSamplers.get(key);
    if (!sampler) {
      sampler = new WeightedSampler(options[s]!.map((_, i) => 1 / (1 + 0.25 * i)));
      this.titleSamplers.set(key, sampler);
    }
    return options[s]![sampler.sample(this.rng)]!;
  }

  years(seniority: number): number {
    const [mean, sd] = seniority < 0 ? [1.5, 2.5] : YEARS_BY_SENIORITY[seniority]!;
    return Math.min(12, Math.max(1, Math.round(mean + sd * normal(this.rng))));
  }

  ageRange(years: number): number {
    const shares = AGE_BY_YEARS(years);
    let u = this.rng();
    for (let i = 0; i < shares.length; i++) {
      u -= shares[i]!;
      if (u < 0) return i;
    }
    return shares.length - 1;
  }

  skills(fn: number, title: number, years: number, out: MultiValueBuilder): void {
    if (title >= 0) for (const s of this.catalog.titles[title]!.roleSkills) if (this.rng() < 0.6) out.add(s);
    const want = Math.min(16, Math.max(3, Math.round(4 + years * 0.6 + 2 * normal(this.rng))));
    const pool = this.catalog.functionSkills[fn]!.skills;
    const poolSampler = this.skillPools[fn]!;
    const common = this.catalog.commonSkills.skills;
    let guard = want * 6;
    while (out.count < want && guard-- > 0) {
      out.add(this.rng() < 0.7 ? pool[poolSampler.sample(this.rng)]! : common[this.commonSkills.sample(this.rng)]!);
    }
  }

  interests(sector: Sector | undefined, fn: number, kind: 0 | 1, out: MultiValueBuilder): void {
    const list = kind === 0 ? this.catalog.interests : this.catalog.productInterests;
    let sectorIdx = this.sectorIndex.get(sector);
    if (sectorIdx === undefined) {
      sectorIdx = this.sectorIndex.size;
      this.sectorIndex.set(sector, sectorIdx);
    }
    const key = (sectorIdx * 2 + kind) * 32 + fn;
    let sampler = this.interestSamplers[key];
    if (!sampler) {
      sampler = new WeightedSampler(
        list.map(
          (e) =>
            0.04 +
            (sector && e.sectors.includes(sector) ? 1 : 0) +
            (e.fns.includes(fn) ? 1.3 : 0) +
            (e.base < BROAD_BASE ? e.base * 8 : 0),
        ),
      );
      this.interestSamplers[key] = sampler;
    }
    for (const b of this.broad[kind]!) {
      if (this.rng() < Math.min(0.95, b.base + (b.fns[fn] ? 0.15 : 0))) out.add(b.index);
    }
    const want = out.count + (kind === 0 ? 2 + Math.floor(this.rng() * 5) : 1 + Math.floor(this.rng() * 4));
    let guard = want * 6;
    while (out.count < want && guard-- > 0) out.add(sampler.sample(this.rng));
  }
}

/** Builds a population from explicit members (by URN); unknown URNs throw. Function, seniority, industry, size and growth follow from title and employer. */
export function populationFromMembers(catalog: Catalog, members: readonly MemberSpec[], seed = 0): Population {
  const size = members.length;
  const cols = emptyPopulation(seed, size);
  const skills = new MultiValueBuilder(size, 4);
  const interests = new MultiValueBuilder(size, 2);
  const productInterests = new MultiValueBuilder(size, 2);
  const indexIn = (list: ReadonlyArray<{ urn: string }>, urn: string, what: string): number => {
    const i = list.findIndex((e) => e.urn === urn);
    if (i < 0) throw new Error(`Unknown ${what} ${urn}`);
    return i;
  };
  let represented = 0;
  members.forEach((spec, m) => {
    cols.weight[m] = spec.weight;
    represented += spec.weight;
    const city = indexIn(catalog.geos, spec.city, 'city');
    if (catalog.geos[city]!.level !== 'CITY') throw new Error(`${spec.city} is not a city`);
    cols.city[m] = city;
    cols.locale[m] = indexIn(catalog.locales, spec.locale ?? 'urn:li:locale:en_US', 'locale');
    cols.gender[m] = indexIn(catalog.genders, spec.gender ?? 'urn:li:gender:FEMALE', 'gender');
    cols.ageRange[m] = indexIn(catalog.ageRanges, spec.ageRange ?? 'urn:li:ageRange:(25,34)', 'age range');
    cols.years[m] = Math.min(12, Math.max(1, spec.years ?? 5)) - 1;
    if (spec.title) {
      const t = indexIn(catalog.titles, spec.title, 'title');
      cols.title[m] = t;
      cols.jobFunction[m] = catalog.titles[t]!.fn;
      cols.seniority[m] = catalog.titles[t]!.seniority;
    }
    if (spec.employer) {
      const e = indexIn(catalog.employers, spec.employer, 'employer');
      const emp = catalog.employers[e]!;
      cols.employer[m] = e;
      cols.industry[m] = emp.industry;
      cols.staffCount[m] = emp.staffCount;
      cols.growthRate[m] = emp.growthRate;
    }
    for (const u of spec.skills ?? []) skills.add(indexIn(catalog.skills, u, 'skill'));
    skills.endMember(m);
    for (const u of spec.interests ?? []) interests.add(indexIn(catalog.interests, u, 'interest'));
    interests.endMember(m);
    for (const u of spec.productInterests ?? [])
      productInterests.add(indexIn(catalog.productInterests, u, 'product interest'));
    productInterests.endMember(m);
  });
  return {
    ...cols,
    represented,
    skills: skills.build(),
    interests: interests.build(),
    productInterests: productInterests.build(),
  };
}

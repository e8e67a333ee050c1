import { describe, expect, it } from 'vitest';
import { getCatalog } from '../../src/sandbox/catalog.js';
import {
  generatePopulation,
  getPopulation,
  NONE8,
  NONE16,
  populationFromMembers,
} from '../../src/sandbox/population.js';

const catalog = getCatalog();
const population = getPopulation(catalog, 42, 200_000);

/** Weighted share of members matching `where` among those matching `among`. */
function share(where: (i: number) => boolean, among: (i: number) => boolean = () => true): number {
  let hit = 0;
  let all = 0;
  for (let i = 0; i < population.size; i++) {
    if (!among(i)) continue;
    all += population.weight[i]!;
    if (where(i)) hit += population.weight[i]!;
  }
  return hit / all;
}
const hasSkill = (i: number, skill: number) => {
  const { offsets, values } = population.skills;
  for (let k = offsets[i]!; k < offsets[i + 1]!; k++) if (values[k] === skill) return true;
  return false;
};
const idx = <T extends { urn: string }>(list: readonly T[], urn: string) => list.findIndex((e) => e.urn === urn);
const geo = (urn: string) => idx(catalog.geos, urn);

describe('catalog', () => {
  it('has LinkedIn’s fixed taxonomies with their ids', () => {
    expect(catalog.functions).toHaveLength(26);
    expect(catalog.functions[3]).toEqual({ urn: 'urn:li:function:4', name: 'Business Development' });
    expect(catalog.seniorities.map((s) => s.name)).toEqual([
      'Unpaid',
      'Training',
      'Entry',
      'Senior',
      'Manager',
      'Director',
      'VP',
      'CXO',
      'Partner',
      'Owner',
    ]);
    expect(catalog.staffCounts.map((s) => s.urn)).toContain('urn:li:staffCountRange:(10001,2147483647)');
    expect(catalog.years).toHaveLength(12);
    expect(catalog.growthRates).toHaveLength(5);
  });

  it('is large and includes the URNs the documentation uses', () => {
    expect(catalog.skills.length).toBeGreaterThan(300);
    expect(catalog.titles.length).toBeGreaterThan(300);
    expect(catalog.employers.length).toBeGreaterThan(150);
    expect(catalog.industries.length).toBeGreaterThan(30);
    expect(catalog.interests.length).toBeGreaterThan(50);
    expect(catalog.productInterests.length).toBeGreaterThan(30);
    for (const urn of [
      'urn:li:skill:17',
      'urn:li:skill:236',
      'urn:li:skill:242',
      'urn:li:skill:252',
      'urn:li:organization:1035',
      'urn:li:organization:163361',
      'urn:li:interest:71363',
      'urn:li:geo:103644278',
      'urn:li:geo:102221843',
      'urn:li:geo:105080838',
      'urn:li:geo:103537801',
      'urn:li:geo:104035573',
      'urn:li:geo:102095887',
      'urn:li:geo:101857797',
      'urn:li:geo:100506914',
      'urn:li:locale:en_US',
      'urn:li:company:1035',
    ]) {
      expect(catalog.lookup(urn), urn).toBeDefined();
    }
    expect(catalog.lookup('urn:li:organization:1035')!.name).toBe('Microsoft');
    expect(catalog.lookup('urn:li:geo:101857797')!.name).toBe('Sacramento, California, United States');
  });

  it('ties cities to their state, country and continent', () => {
    const sac = catalog.geos[geo('urn:li:geo:101857797')]!;
    expect(catalog.geos[sac.state]!.urn).toBe('urn:li:geo:102095887');
    expect(catalog.geos[sac.country]!.urn).toBe('urn:li:geo:103644278');
    expect(catalog.geos[sac.continent]!.urn).toBe('urn:li:geo:102221843');
    const joburg = catalog.geos.find((g) => g.name.startsWith('Johannesburg'))!;
    expect(catalog.geos[joburg.country]!.urn).toBe('urn:li:geo:104035573');
    expect(catalog.geos[joburg.continent]!.urn).toBe('urn:li:geo:103537801');
    expect(new Set(catalog.geos.map((g) => g.continent)).size).toBe(6);
  });
});

describe('population', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = generatePopulation(catalog, 5, 5000);
    const b = generatePopulation(catalog, 5, 5000);
    const c = generatePopulation(catalog, 6, 5000);
    expect(Buffer.from(a.title.buffer).equals(Buffer.from(b.title.buffer))).toBe(true);
    expect(Buffer.from(a.weight.buffer).equals(Buffer.from(b.weight.buffer))).toBe(true);
    expect(Buffer.from(a.skills.values.buffer).equals(Buffer.from(b.skills.values.buffer))).toBe(true);
    expect(Buffer.from(a.title.buffer).equals(Buffer.from(c.title.buffer))).toBe(false);
  });

  it('is cached per (seed, size)', () => {
    expect(getPopulation(catalog, 42, 200_000)).toBe(population);
  });

  it('represents about a billion members, with rare profiles below 300', () => {
    expect(population.represented).toBeGreaterThan(900_000_000);
    expect(population.represented).toBeLessThan(1_100_000_000);
    let small = 0;
    for (let i = 0; i < population.size; i++) if (population.weight[i]! < 300) small++;
    expect(small / population.size).toBeGreaterThan(0.01);
    expect(small / population.size).toBeLessThan(0.1);
  });

  it('derives function and seniority from the title, and company facts from the employer', () => {
    for (let i = 0; i < population.size; i++) {
      const t = population.title[i]!;
      if (t === NONE16) {
        expect(population.jobFunction[i]).toBe(NONE8);
        expect(population.employer[i]).toBe(NONE16);
        continue;
      }
      expect(population.jobFunction[i]).toBe(catalog.titles[t]!.fn);
      expect(population.seniority[i]).toBe(catalog.titles[t]!.seniority);
      const e = catalog.employers[population.employer[i]!]!;
      expect(population.industry[i]).toBe(e.industry);
      expect(population.staffCount[i]).toBe(e.staffCount);
      expect(population.growthRate[i]).toBe(e.growthRate);
    }
  });

  it('gives senior people more years of experience', () => {
    const meanYears = (seniority: number) => {
      let sum = 0;
      let n = 0;
      for (let i = 0; i < population.size; i++) {
        if (population.seniority[i] === seniority) {
          sum += population.years[i]! + 1;
          n++;
        }
      }
      return sum / n;
    };
    expect(meanYears(2)).toBeLessThan(4.5); // Entry
    expect(meanYears(3)).toBeGreaterThan(meanYears(2)); // Senior
    expect(meanYears(5)).toBeGreaterThan(9); // Director
    expect(meanYears(7)).toBeGreaterThan(meanYears(3)); // CXO
  });

  it('speaks the country’s language', () => {
    const inCountry = (urn: string) => {
      const g = geo(urn);
      return (i: number) => catalog.geos[population.city[i]!]!.country === g;
    };
    const locale = (code: string) => {
      const l = idx(catalog.locales, `urn:li:locale:${code}`);
      return (i: number) => population.locale[i] === l;
    };
    expect(share(locale('en_US'), inCountry('urn:li:geo:103644278'))).toBeGreaterThan(0.9);
    expect(share(locale('de_DE'), inCountry('urn:li:geo:101282230'))).toBeGreaterThan(0.6);
    expect(share(locale('pt_BR'), inCountry('urn:li:geo:106057199'))).toBeGreaterThan(0.8);
    expect(share(locale('de_DE'), inCountry('urn:li:geo:106057199'))).toBe(0);
  });

  it('lives mostly where LinkedIn members live', () => {
    const us = geo('urn:li:geo:103644278');
    const usShare = share((i) => catalog.geos[population.city[i]!]!.country === us);
    expect(usShare).toBeGreaterThan(0.2);
    expect(usShare).toBeLessThan(0.3);
  });

  it('lists skills that fit the job', () => {
    const python = idx(catalog.skills, catalog.skills.find((s) => s.name === 'Python')!.urn);
    const recruiting = idx(catalog.skills, catalog.skills.find((s) => s.name === 'Recruiting')!.urn);
    const engineers = (i: number) => population.jobFunction[i] === 7;
    const hr = (i: number) => population.jobFunction[i] === 11;
    expect(share((i) => hasSkill(i, python), engineers)).toBeGreaterThan(10 * share((i) => hasSkill(i, python), hr));
    expect(share((i) => hasSkill(i, recruiting), hr)).toBeGreaterThan(
      10 * share((i) => hasSkill(i, recruiting), engineers),
    );
  });

  it('works in sectors that fit the function', () => {
    const sector = (name: string) => (i: number) =>
      population.industry[i] !== NONE8 && catalog.industries[population.industry[i]!]!.sector === name;
    const nurses = (i: number) => population.jobFunction[i] === 10; // Healthcare Services
    expect(share(sector('health'), nurses)).toBeGreaterThan(0.4);
    expect(share(sector('health'))).toBeLessThan(0.15);
  });

  it('has interests that follow the job', () => {
    const interest = (name: string) => catalog.interests.findIndex((x) => x.name === name);
    const has = (i: number, v: number) => {
      const { offsets, values } = population.interests;
      for (let k = offsets[i]!; k < offsets[i + 1]!; k++) if (values[k] === v) return true;
      return false;
    };
    const cloud = interest('Cloud Computing');
    const engineers = (i: number) => population.jobFunction[i] === 7;
    const teachers = (i: number) => population.jobFunction[i] === 6;
    expect(share((i) => has(i, cloud), engineers)).toBeGreaterThan(3 * share((i) => has(i, cloud), teachers));
    // 71363 is broad, as in the reference sample (89% of an audience).
    expect(share((i) => has(i, interest('Business and Management')))).toBeGreaterThan(0.6);
  });

  it('builds hand-made populations from URNs', () => {
    const p = populationFromMembers(catalog, [
      {
        weight: 10,
        city: 'urn:li:geo:101857797',
        title: catalog.titles[0]!.urn,
        employer: 'urn:li:organization:1035',
        skills: ['urn:li:skill:17'],
      },
    ]);
    expect(p.represented).toBe(10);
    expect(p.jobFunction[0]).toBe(catalog.titles[0]!.fn);
    expect(catalog.employers[p.employer[0]!]!.name).toBe('Microsoft');
    expect(() => populationFromMembers(catalog, [{ weight: 1, city: 'urn:li:geo:103644278' }])).toThrow(/not a city/);
  });
});

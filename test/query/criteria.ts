/**
 * Audiences with a known shape, found in the sandbox's synthetic population (independently of the bot): one
 * under 300 members, one over 100M, and one whose every job-title segment has fewer than 30 members.
 */
import type { Sandbox } from '../../src/sandbox/index.js';

const NO_TITLE = 0xffff;

export interface CityAndSkill {
  city: { urn: string; name: string };
  skill: { urn: string; name: string };
  /** Real members represented. */
  raw: number;
}

interface Aggregate {
  total: number;
  titles?: Map<number, number>;
}

/** (city, skill) audiences with their sizes, and per-title sizes for the ones in `titleRange`. */
function aggregate(sandbox: Sandbox, titleRange: [number, number]): Map<string, Aggregate> {
  const p = sandbox.population;
  const sums = new Map<string, Aggregate>();
  const each = (visit: (key: string, member: number) => void) => {
    for (let i = 0; i < p.size; i++) {
      for (let k = p.skills.offsets[i]!; k < p.skills.offsets[i + 1]!; k++)
        visit(`${p.city[i]}:${p.skills.values[k]}`, i);
    }
  };
  each((key, i) => {
    const entry = sums.get(key) ?? { total: 0 };
    entry.total += p.weight[i]!;
    sums.set(key, entry);
  });
  each((key, i) => {
    const entry = sums.get(key)!;
    if (entry.total < titleRange[0] || entry.total > titleRange[1] || p.title[i] === NO_TITLE) return;
    entry.titles ??= new Map();
    entry.titles.set(p.title[i]!, (entry.titles.get(p.title[i]!) ?? 0) + p.weight[i]!);
  });
  return sums;
}

const describe = (sandbox: Sandbox, key: string, raw: number): CityAndSkill => {
  const [city, skill] = key.split(':').map(Number) as [number, number];
  const geo = sandbox.catalog.geos[city]!;
  const s = sandbox.catalog.skills[skill]!;
  return { city: { urn: geo.urn, name: geo.name }, skill: { urn: s.urn, name: s.name }, raw };
};

export function edgeCaseAudiences(sandbox: Sandbox): { tooSmall: CityAndSkill; noTitleSegment: CityAndSkill } {
  const sums = aggregate(sandbox, [1_000, 50_000]);
  let tooSmall: CityAndSkill | undefined;
  let noTitleSegment: CityAndSkill | undefined;
  for (const [key, entry] of sums) {
    if (!tooSmall && entry.total > 0 && entry.total < 300) tooSmall = describe(sandbox, key, entry.total);
    if (!noTitleSegment && entry.total >= 1_000 && entry.total <= 50_000) {
      const largest = Math.max(0, ...(entry.titles?.values() ?? []));
      if (largest < 30) noTitleSegment = describe(sandbox, key, entry.total);
    }
    if (tooSmall && noTitleSegment) break;
  }
  if (!tooSmall || !noTitleSegment) throw new Error('the sandbox population has no such audiences');
  return { tooSmall, noTitleSegment };
}

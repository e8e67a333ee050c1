/**
 * Matched audiences (`adSegments`): per demo account, a few seeded member subsets — a retargeting sample, company
 * lists, contact lists — usable under `urn:li:adTargetingFacet:audienceMatchingSegments`. Segments that are not
 * READY (building, expired) match nobody, like a list LinkedIn has not matched yet.
 */
import type { AdSegment } from '../linkedin/types.js';
import type { AudienceEngine } from './audience.js';
import { andInto, type Bitset, createBitset, orInto, setBit } from './bitset.js';
import { roundSignificant } from './insights.js';
import { hashSeed, mulberry32 } from './prng.js';

type Status = AdSegment['status'];

interface SegmentDef {
  id: number;
  account: number;
  name: string;
  description: string;
  type: string;
  status: Status;
  created: number;
  /** Builds the members from the population (only for READY segments). */
  members?: (engine: AudienceEngine, seed: number) => Bitset;
}

const DAY = 86_400_000;
/** Created by LinkedIn's matching pipeline, not by a member. */
const SEGMENT_AUTHOR = 'urn:li:unknown:0';
const T0 = Date.UTC(2025, 8, 1);

/** Every member of `within` with probability `rate`, seeded per segment. */
function sample(engine: AudienceEngine, seed: number, id: number, rate: number, within?: Bitset): Bitset {
  const rng = mulberry32(hashSeed(seed, 'segment', id));
  const bits = createBitset(engine.population.size);
  for (let i = 0; i < engine.population.size; i++) if (rng() < rate) setBit(bits, i);
  if (within) andInto(bits, within);
  return bits;
}

const union = (engine: AudienceEngine, parts: Bitset[]): Bitset => {
  const bits = createBitset(engine.population.size);
  for (const p of parts) orInto(bits, p);
  return bits;
};

const geo = (engine: AudienceEngine, ...urns: string[]) =>
  union(
    engine,
    urns.map((u) => engine.valueBitset('geo', u)),
  );
const employers = (engine: AudienceEngine, ...urns: string[]) =>
  union(
    engine,
    urns.map((u) => engine.valueBitset('employer', u)),
  );
const fns = (engine: AudienceEngine, ...ids: number[]) =>
  union(
    engine,
    ids.map((id) => engine.valueBitset('jobFunction', `urn:li:function:${id}`)),
  );

/** The lightest members of an audience, taken until just under 300 represented members: a list too small to use. */
function tooSmall(engine: AudienceEngine, within: Bitset): Bitset {
  const w = engine.population.weight;
  const candidates: number[] = [];
  for (let i = 0; i < engine.population.size; i++) if (within[i >>> 5]! & (1 << (i & 31))) candidates.push(i);
  candidates.sort((a, b) => w[a]! - w[b]! || a - b);
  const bits = createBitset(engine.population.size);
  let total = 0;
  for (const i of candidates) {
    if (total + w[i]! >= 290) break;
    total += w[i]!;
    setBit(bits, i);
  }
  return bits;
}

const NORTH_AMERICA = 'urn:li:geo:102221843';
const EUROPE = 'urn:li:geo:100506914';
const UNITED_STATES = 'urn:li:geo:103644278';
const UNITED_KINGDOM = 'urn:li:geo:101165590';
const CALIFORNIA = 'urn:li:geo:102095887';

const SEGMENTS: readonly SegmentDef[] = [
  {
    id: 10011234,
    account: 123,
    name: 'Website visitors – last 90 days',
    description: 'Insight Tag retargeting audience',
    type: 'RETARGETING',
    status: 'READY',
    created: T0,
    members: (e, seed) => sample(e, seed, 10011234, 0.01, geo(e, NORTH_AMERICA, EUROPE)),
  },
  {
    id: 10011235,
    account: 123,
    name: 'Target accounts – enterprise software',
    description: 'Company list uploaded from the CRM',
    type: 'BULK',
    status: 'READY',
    created: T0 + 3 * DAY,
    members: (e) =>
      employers(
        e,
        'urn:li:organization:1035',
        'urn:li:organization:1441',
        'urn:li:organization:1028',
        'urn:li:organization:1009',
        'urn:li:organization:163361',
      ),
  },
  {
    id: 10011236,
    account: 123,
    name: 'CRM contacts – IT decision makers',
    description: 'Contact list (hashed emails) from the CRM',
    type: 'BULK',
    status: 'READY',
    created: T0 + 10 * DAY,
    members: (e, seed) => {
      const within = fns(e, 8, 13);
      andInto(within, geo(e, UNITED_STATES));
      return sample(e, seed, 10011236, 0.05, within);
    },
  },
  {
    id: 10011237,
    account: 123,
    name: 'Lookalike – CRM contacts',
    description: 'Lookalike of the CRM contact list',
    type: 'LOOKALIKE',
    status: 'BUILDING',
    created: T0 + 40 * DAY,
  },
  {
    id: 10011238,
    account: 123,
    name: 'Pilot event attendees',
    description: 'Badge scans from a small pilot event (below the 300-member minimum)',
    type: 'BULK',
    status: 'READY',
    created: T0 + 45 * DAY,
    members: (e) => {
      const within = fns(e, 15);
      andInto(within, geo(e, CALIFORNIA));
      return tooSmall(e, within);
    },
  },
  {
    id: 10020001,
    account: 508915158,
    name: 'EMEA website visitors',
    description: 'Insight Tag retargeting audience, EMEA pages',
    type: 'RETARGETING',
    status: 'READY',
    created: T0 + 5 * DAY,
    members: (e, seed) => sample(e, seed, 10020001, 0.02, geo(e, EUROPE, 'urn:li:geo:103537801')),
  },
  {
    id: 10020002,
    account: 508915158,
    name: 'Webinar registrants 2024',
    description: 'Synced from marketing automation',
    type: 'MARKET_AUTOMATION',
    status: 'EXPIRED',
    created: T0 - 300 * DAY,
  },
  {
    id: 10030001,
    account: 516413367,
    name: 'Agency prospects – retail brands',
    description: 'Company list for a retail pitch',
    type: 'BULK',
    status: 'READY',
    created: T0 + 20 * DAY,
    members: (e) =>
      employers(
        e,
        ...['Walmart', 'Target', 'Costco Wholesale', 'IKEA', 'Inditex', 'Tesco', 'Carrefour'].map(
          (name) => e.catalog.employers.find((x) => x.name === name)!.urn,
        ),
      ),
  },
  {
    id: 10040001,
    account: 507404993,
    name: 'Newsletter subscribers',
    description: 'Synced from marketing automation',
    type: 'MARKET_AUTOMATION',
    status: 'READY',
    created: T0 + 30 * DAY,
    members: (e, seed) => sample(e, seed, 10040001, 0.03, geo(e, UNITED_KINGDOM)),
  },
];

export class SegmentStore {
  private readonly membersById = new Map<number, Bitset>();
  private readonly empty: Bitset;

  constructor(
    private readonly engine: AudienceEngine,
    private readonly seed: number,
  ) {
    this.empty = createBitset(engine.population.size);
  }

  /** Members of a segment URN; empty for unknown, building or expired segments. */
  members(urn: string): Bitset {
    const def = this.find(urn);
    if (!def?.members || def.status !== 'READY') return this.empty;
    let bits = this.membersById.get(def.id);
    if (!bits) {
      bits = def.members(this.engine, this.seed);
      this.membersById.set(def.id, bits);
    }
    return bits;
  }

  /** The account owning a segment URN, if the segment exists. */
  accountOf(urn: string): number | undefined {
    return this.find(urn)?.account;
  }

  list(accountId: number): AdSegment[] {
    return SEGMENTS.filter((s) => s.account === accountId).map((s) => this.toWire(s));
  }

  get(id: number): AdSegment | undefined {
    const def = SEGMENTS.find((s) => s.id === id);
    return def ? this.toWire(def) : undefined;
  }

  private find(urn: string): SegmentDef | undefined {
    const m = /^urn:li:adSegment:(\d+)$/.exec(urn);
    return m ? SEGMENTS.find((s) => s.id === Number(m[1])) : undefined;
  }

  private toWire(def: SegmentDef): AdSegment {
    const raw = def.status === 'READY' ? this.engine.count(this.members(`urn:li:adSegment:${def.id}`)) : 0;
    return {
      id: def.id,
      account: `urn:li:sponsoredAccount:${def.account}`,
      name: def.name,
      description: def.description,
      // LinkedIn does not disclose lists under 300 matched members.
      approximateMemberCount: raw < 300 ? 0 : roundSignificant(raw, 2),
      status: def.status,
      type: def.type,
      created: { actor: SEGMENT_AUTHOR, time: def.created },
      lastModified: { actor: SEGMENT_AUTHOR, time: def.created + DAY },
    };
  }
}

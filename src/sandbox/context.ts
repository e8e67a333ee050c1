/** Everything one sandbox instance holds: the shared (immutable) world plus its own tokens, templates and knobs. */
import type { AdAccount } from '../linkedin/types.js';
import type { DemoMember } from './accounts.js';
import type { AudienceEngine } from './audience.js';
import type { Catalog } from './catalog.js';
import type { Population } from './population.js';
import type { Rng } from './prng.js';
import type { SegmentStore } from './segments.js';
import type { TemplateStore } from './templates.js';
import type { TokenStore } from './tokens.js';

export interface SandboxKnobs {
  /** Added to every API call (rest, userinfo, token endpoint), in milliseconds. */
  latencyMs: number;
  /** Share (0..1) of /rest calls answered 429 (LinkedIn's resource throttle). */
  rate429: number;
  /** Share (0..1) of /rest calls answered 500. */
  rate500: number;
  /** false: the app is not provisioned for Audience Insights → 403 ACCESS_DENIED on targetingAudienceInsights. */
  provisioned: boolean;
  /**
   * LinkedIn-Version values (YYYYMM) that are served. Unset: every version released in the last year (by the
   * sandbox clock) is served, as LinkedIn does.
   */
  activeVersions?: string[];
}

export interface SandboxContext {
  catalog: Catalog;
  population: Population;
  engine: AudienceEngine;
  segments: SegmentStore;
  tokens: TokenStore;
  templates: TemplateStore;
  members: DemoMember[];
  accounts: readonly AdAccount[];
  knobs: SandboxKnobs;
  now: () => number;
  /** Seeded randomness for fault injection (reproducible given the seed and the order of calls). */
  faultRng: Rng;
  sleep: (ms: number) => Promise<void>;
  clientId: string;
  clientSecret: string;
  /** Allowed redirect_uri prefixes; undefined allows any http(s) URL. */
  redirectUriPrefixes?: readonly string[];
}

export const memberById = (ctx: SandboxContext, id: string): DemoMember | undefined =>
  ctx.members.find((m) => m.id === id);

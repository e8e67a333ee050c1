/**
 * URN → display name, through one LRU cache shared by every user. Entity names are public taxonomy data, so the
 * cache key is the URN alone; a member's token is only ever used to fetch names, never to serve anything else.
 */
import { LRUCache } from 'lru-cache';
import type { TargetingEntity } from './types.js';

export type NameCacheEvent = 'hit' | 'miss' | 'coalesced' | 'error';

export interface NameCacheStats {
  /** URNs answered from the cache. */
  hits: number;
  /** URNs that needed a LinkedIn call. */
  misses: number;
  /** URNs that joined a look-up already in flight. */
  coalesced: number;
  /** Failed LinkedIn look-ups (the URNs got readable labels instead). */
  errors: number;
  size: number;
}

export interface NameResolverOptions {
  resolveUrns: (token: string, urns: string[]) => Promise<TargetingEntity[]>;
  max?: number;
  ttlMs?: number;
  /** How long a URN LinkedIn does not know stays cached as unknown (shorter, in case it appears later). */
  unknownTtlMs?: number;
  /** Clock for the TTLs (tests). */
  now?: () => number;
  onCacheEvent?: (event: NameCacheEvent, count: number) => void;
}

export interface NameResolver {
  /** Never rejects: URNs LinkedIn cannot name (or cannot be asked about right now) get `readableUrnLabel`. */
  resolveEntityNames(token: string, urns: readonly string[]): Promise<Map<string, string>>;
  stats(): NameCacheStats;
}

export const DEFAULT_NAME_CACHE = { max: 5000, ttlMs: 12 * 60 * 60 * 1000, unknownTtlMs: 10 * 60 * 1000 };

interface Entry {
  name?: string;
}

const words = (camel: string): string => {
  const spaced = camel.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
};

const LINKEDIN_INT_MAX = '2147483647';

/**
 * A label for a URN LinkedIn did not name: `urn:li:function:4` → "Function 4",
 * `urn:li:staffCountRange:(11,50)` → "Staff count range 11–50", `(10001,2147483647)` → "… 10001+".
 */
export function readableUrnLabel(urn: string): string {
  const match = /^urn:li:([A-Za-z]+):(.+)$/.exec(urn);
  if (!match) return urn;
  const [, type, id] = match as unknown as [string, string, string];
  const range = /^\((-?\d+),(-?\d+)\)$/.exec(id);
  if (range) {
    const [, low, high] = range as unknown as [string, string, string];
    const text =
      high === LINKEDIN_INT_MAX ? `${low}+` : low === `-${LINKEDIN_INT_MAX}` ? `below ${high}` : `${low}–${high}`;
    return `${words(type)} ${text}`;
  }
  return `${words(type)} ${id}`;
}

export function createNameResolver(opts: NameResolverOptions): NameResolver {
  const ttl = opts.ttlMs ?? DEFAULT_NAME_CACHE.ttlMs;
  const unknownTtl = Math.min(ttl, opts.unknownTtlMs ?? DEFAULT_NAME_CACHE.unknownTtlMs);
  const cache = new LRUCache<string, Entry>({
    max: opts.max ?? DEFAULT_NAME_CACHE.max,
    ttl,
    // An injected clock is read on every access (lru-cache otherwise memoises `now` for 1 ms).
    ...(opts.now ? { perf: { now: opts.now }, ttlResolution: 0 } : {}),
  });
  /** URN → the look-up in flight for it; resolves `undefined` if that look-up failed. */
  const inflight = new Map<string, Promise<Entry | undefined>>();
  const counters = { hits: 0, misses: 0, coalesced: 0, errors: 0 };
  const counterOf = { hit: 'hits', miss: 'misses', coalesced: 'coalesced', error: 'errors' } as const;

  const count = (event: NameCacheEvent, n: number) => {
    if (n === 0) return;
    counters[counterOf[event]] += n;
    opts.onCacheEvent?.(event, n);
  };

  /** One LinkedIn call for all the URNs; resolves `undefined` on failure (never rejects). */
  const lookUp = async (token: string, urns: string[]): Promise<Map<string, Entry> | undefined> => {
    try {
      const found = new Map((await opts.resolveUrns(token, urns)).map((e) => [e.urn, e.name] as const));
      const entries = new Map<string, Entry>();
      for (const urn of urns) {
        const name = found.get(urn);
        const entry: Entry = name ? { name } : {};
        cache.set(urn, entry, name ? undefined : { ttl: unknownTtl });
        entries.set(urn, entry);
      }
      return entries;
    } catch {
      count('error', 1);
      return undefined;
    }
  };

  return {
    async resolveEntityNames(token, urns) {
      const unique = [...new Set(urns.filter((u): u is string => typeof u === 'string'))];
      const entries = new Map<string, Entry | undefined>();
      const joined: Array<[string, Promise<Entry | undefined>]> = [];
      const misses: string[] = [];

      for (const urn of unique) {
        const cached = cache.get(urn);
        if (cached) entries.set(urn, cached);
        else if (inflight.has(urn)) joined.push([urn, inflight.get(urn)!]);
        else misses.push(urn);
      }
      count('hit', entries.size);
      count('coalesced', joined.length);
      count('miss', misses.length);

      if (misses.length > 0) {
        const batch = lookUp(token, misses);
        for (const urn of misses) {
          const pending = batch.then((m) => m?.get(urn));
          inflight.set(urn, pending);
          joined.push([urn, pending]);
          void pending.finally(() => {
            if (inflight.get(urn) === pending) inflight.delete(urn);
          });
        }
      }

      const settled = await Promise.all(joined.map(async ([urn, p]) => [urn, await p] as const));
      for (const [urn, entry] of settled) entries.set(urn, entry);

      // A look-up joined from another request failed (perhaps that member's token): ask once with our own token.
      const ownMisses = new Set(misses);
      const retry = settled.filter(([urn, entry]) => entry === undefined && !ownMisses.has(urn)).map(([u]) => u);
      if (retry.length > 0) {
        const second = await lookUp(token, retry);
        for (const urn of retry) entries.set(urn, second?.get(urn));
      }

      return new Map(unique.map((urn) => [urn, entries.get(urn)?.name ?? readableUrnLabel(urn)]));
    },

    stats: () => ({ ...counters, size: cache.size }),
  };
}

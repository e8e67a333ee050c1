import { LRUCache } from 'lru-cache';

/**
 * A bounded cache whose entries expire after `ttlMs` on the injected clock, with concurrent loads of one key
 * coalesced into one. Expiry is checked against `now()` on every read rather than lru-cache's own timer-based
 * clock, so tests (and benchmarks) can move time without sleeping.
 */
export interface TtlCache<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  delete(key: string): void;
  /** The cached value, or the result of `load` (stored unless `load` throws); one load per key at a time. */
  getOrLoad(key: string, load: () => Promise<V>): Promise<V>;
  clear(): void;
  readonly size: number;
}

/** What a look-up found: a fresh value, nothing, or (getOrLoad) a load of the same key already in flight. */
export type CacheLookup = 'hit' | 'miss' | 'coalesced';

export interface TtlCacheOptions {
  max: number;
  ttlMs: number;
  now: () => number;
  /** Told the result of every `get` and `getOrLoad` (for hit/miss metrics). */
  onLookup?: (result: CacheLookup) => void;
}

export function createTtlCache<V>(opts: TtlCacheOptions): TtlCache<V> {
  const entries = new LRUCache<string, { value: V; expiresAt: number }>({ max: Math.max(1, opts.max) });
  const loading = new Map<string, Promise<V>>();

  const read = (key: string): V | undefined => {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= opts.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry.value;
  };
  const set = (key: string, value: V) => {
    if (opts.ttlMs > 0) entries.set(key, { value, expiresAt: opts.now() + opts.ttlMs });
  };

  const report = (result: CacheLookup) => opts.onLookup?.(result);

  return {
    get(key) {
      const value = read(key);
      report(value === undefined ? 'miss' : 'hit');
      return value;
    },
    set,
    delete: (key) => {
      entries.delete(key);
    },
    getOrLoad(key, load) {
      const hit = read(key);
      if (hit !== undefined) {
        report('hit');
        return Promise.resolve(hit);
      }
      const pending = loading.get(key);
      if (pending) {
        report('coalesced');
        return pending;
      }
      report('miss');
      const promise = load()
        .then((value) => {
          set(key, value);
          return value;
        })
        .finally(() => loading.delete(key));
      loading.set(key, promise);
      return promise;
    },
    clear: () => {
      entries.clear();
      loading.clear();
    },
    get size() {
      return entries.size;
    },
  };
}

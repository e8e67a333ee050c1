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

export function createTtlCache<V>(opts: { max: number; ttlMs: number; now: () => number }): TtlCache<V> {
  const entries = new LRUCache<string, { value: V; expiresAt: number }>({ max: Math.max(1, opts.max) });
  const loading = new Map<string, Promise<V>>();

  const get = (key: string): V | undefined => {
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

  return {
    get,
    set,
    delete: (key) => {
      entries.delete(key);
    },
    getOrLoad(key, load) {
      const hit = get(key);
      if (hit !== undefined) return Promise.resolve(hit);
      const pending = loading.get(key);
      if (pending) return pending;
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

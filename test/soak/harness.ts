/**
 * What the soak and fuzz tests share: a guard that records every unhandled rejection and uncaught exception while
 * it is installed, a bounded-concurrency runner with a per-task deadline (a hung request is a failure, not a
 * stuck test), a seeded random source, heap readings after a full GC, and checks on what a person reads.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Records process-level failures while installed; `errors` must be empty when the test ends. */
export interface ProcessGuard {
  readonly errors: string[];
  uninstall(): void;
}

export function installProcessGuard(): ProcessGuard {
  const errors: string[] = [];
  const describe = (kind: string, reason: unknown) =>
    `${kind}: ${reason instanceof Error ? `${reason.name}: ${reason.message}\n${reason.stack ?? ''}` : String(reason)}`;
  const onRejection = (reason: unknown) => errors.push(describe('unhandledRejection', reason));
  const onException = (error: unknown) => errors.push(describe('uncaughtException', error));
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return {
    errors,
    uninstall() {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
    },
  };
}

export class DeadlineError extends Error {
  constructor(
    readonly label: string,
    readonly ms: number,
  ) {
    super(`${label} did not finish within ${ms} ms`);
    this.name = 'DeadlineError';
  }
}

/** `work`, or a DeadlineError after `ms` (the work itself keeps running; the caller records the hang). */
export function withDeadline<T>(work: Promise<T>, ms: number, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(label, ms)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** Runs `count` tasks made by `task(i)` with at most `concurrency` in flight; resolves when all settled. */
export async function runPool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/** mulberry32: a small seeded generator, so a failing run can be replayed with its printed seed. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (minInclusive: number, maxInclusive: number) =>
      minInclusive + Math.floor(next() * (maxInclusive - minInclusive + 1)),
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)]!;
    },
    chance: (p: number) => next() < p,
  };
}

export type Random = ReturnType<typeof seededRandom>;

/** Picks a task kind by weight. */
export function weighted<K extends string>(random: Random, weights: Readonly<Record<K, number>>): K {
  const entries = Object.entries(weights) as Array<[K, number]>;
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  let roll = random.next() * total;
  for (const [kind, w] of entries) {
    roll -= w;
    if (roll < 0) return kind;
  }
  return entries.at(-1)![0];
}

let gcFunction: (() => void) | undefined;

/** V8's gc(), made available without starting node with --expose-gc. */
export function forceGc(): void {
  if (!gcFunction) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (typeof exposed === 'function') gcFunction = exposed;
    else {
      setFlagsFromString('--expose-gc');
      gcFunction = runInNewContext('gc') as () => void;
    }
  }
  gcFunction();
}

/** heapUsed after full collections (a few, so weak references and finalizers settle). */
export async function settledHeapUsed(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    forceGc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * What must never reach a person: a stack frame, an error class name with its message, internal exception text,
 * or a credential (Slack tokens, bearer values, the sandbox's tokens and secrets).
 */
const LEAK_PATTERNS: ReadonlyArray<[string, RegExp]> = [
  ['stack frame', /\bat\s+[\w.<>$]+\s+\(?[^\s)]*:\d+:\d+\)?/],
  ['file path', /(?:\/[\w.-]+)+\.(?:ts|js|mjs|cjs):\d+/],
  ['error class', /\b(?:TypeError|ReferenceError|SyntaxError|RangeError|ZodError|SqliteError)\b/],
  [
    'internal error text',
    /\b(?:Cannot read propert|is not a function|is not iterable|undefined is not|Unexpected token)/,
  ],
  ['Slack token', /\bxox[abprse]-[A-Za-z0-9-]+/],
  ['bearer credential', /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/],
];

/** The leaks found in `text` (empty when it is fit for a person), each named with the offending excerpt. */
export function leaksIn(text: string, secrets: readonly string[] = []): string[] {
  const found: string[] = [];
  for (const [name, pattern] of LEAK_PATTERNS) {
    const match = pattern.exec(text);
    if (match) found.push(`${name}: ${JSON.stringify(match[0].slice(0, 80))}`);
  }
  for (const secret of secrets) {
    if (secret.length >= 8 && text.includes(secret)) found.push('a secret of this app');
  }
  return found;
}

/** Every string a person could read in a message, view or ack body, joined. */
export function readableText(node: unknown): string {
  const out: string[] = [];
  const visit = (n: unknown) => {
    if (typeof n === 'string') out.push(n);
    else if (Array.isArray(n)) for (const x of n) visit(x);
    else if (n && typeof n === 'object') for (const v of Object.values(n)) visit(v);
  };
  visit(node);
  return out.join('\n');
}

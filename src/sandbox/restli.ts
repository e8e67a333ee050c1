/**
 * Rest.li protocol 2.0 query decoding: a port of the algorithm of linkedin-api-js-client `lib/utils/decoder.ts`
 * (reference §10.2), with the checks a server needs on top (balanced brackets, nothing after a closing bracket but a
 * comma), plus typed accessors that turn misuse into LinkedIn's `PARAM_INVALID` errors.
 */
import { inputError, type RestError } from './errors.js';

export type RestliValue = string | RestliValue[] | { [key: string]: RestliValue };

export class RestliDecodeError extends Error {
  readonly code = 'restli_decode_error';
  constructor(message: string) {
    super(message);
    this.name = 'RestliDecodeError';
  }
}

const LIST_PREFIX = 'List(';

function leaf(raw: string): string {
  if (raw === "''") return '';
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new RestliDecodeError(`Malformed percent-encoding in ${raw}`);
  }
}

/** Index of the bracket closing the one opened at or after `pos` (findLastRightBracket in the client). */
function matchingBracket(s: string, pos: number): number {
  let depth = 0;
  for (let i = pos; i < s.length; i++) {
    const c = s[i];
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return i;
      if (depth < 0) break;
    }
  }
  throw new RestliDecodeError(`Input has unbalanced prefix and suffix: ${s}`);
}

const startsNested = (s: string, i: number): boolean => s.startsWith(LIST_PREFIX, i) || s[i] === '(';

/** Decodes one URL-mode Rest.li value: `List(...)`, `(k:v,...)` or a percent-encoded leaf. */
export function decodeRestli(s: string): RestliValue {
  if (s.startsWith(LIST_PREFIX)) {
    if (matchingBracket(s, 0) !== s.length - 1)
      throw new RestliDecodeError(`Input has unbalanced prefix and suffix: ${s}`);
    return decodeList(s.slice(LIST_PREFIX.length, -1));
  }
  if (s.startsWith('(')) {
    if (matchingBracket(s, 0) !== s.length - 1)
      throw new RestliDecodeError(`Input has unbalanced prefix and suffix: ${s}`);
    return decodeObject(s.slice(1, -1));
  }
  if (/[()]/.test(s)) throw new RestliDecodeError(`Unexpected bracket in value ${s}`);
  return leaf(s);
}

/** After a nested value ends at `end`, the next char must be a comma or the end. Returns the next start index. */
function afterNested(s: string, end: number): number {
  if (end + 1 < s.length && s[end + 1] !== ',')
    throw new RestliDecodeError(`Expected ',' after ${s.slice(0, end + 1)}`);
  return end + 2;
}

function decodeList(s: string): RestliValue[] {
  const out: RestliValue[] = [];
  let i = 0;
  while (i < s.length) {
    if (startsNested(s, i)) {
      const end = matchingBracket(s, i);
      out.push(decodeRestli(s.slice(i, end + 1)));
      i = afterNested(s, end);
      continue;
    }
    let end = s.indexOf(',', i);
    if (end < 0) end = s.length;
    out.push(decodeRestli(s.slice(i, end)));
    i = end + 1;
  }
  return out;
}

function decodeObject(s: string): Record<string, RestliValue> {
  const out: Record<string, RestliValue> = {};
  let i = 0;
  while (i < s.length) {
    const colon = s.indexOf(':', i);
    if (colon < 0) throw new RestliDecodeError(`Missing ':' in object entry ${s.slice(i)}`);
    const key = leaf(s.slice(i, colon));
    i = colon + 1;
    if (startsNested(s, i)) {
      const end = matchingBracket(s, i);
      out[key] = decodeRestli(s.slice(i, end + 1));
      i = afterNested(s, end);
      continue;
    }
    let end = s.indexOf(',', i);
    if (end < 0) end = s.length;
    out[key] = decodeRestli(s.slice(i, end));
    i = end + 1;
  }
  return out;
}

/** Splits a raw query string into raw (still encoded) values. Keys are percent-decoded; `+` stays a plus. */
export function splitQuery(qs: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of qs.split('&')) {
    if (part === '' || part.startsWith('=')) continue;
    const eq = part.indexOf('=');
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? '' : part.slice(eq + 1);
    let key: string;
    try {
      key = rawKey === "''" ? '' : decodeURIComponent(rawKey);
    } catch {
      key = rawKey;
    }
    out.set(key, rawValue === '' ? "''" : rawValue);
  }
  return out;
}

/** True when a raw value uses Rest.li 2.0 structure (`List(` or `(`) — such queries need the 2.0.0 protocol header. */
export const isRestli2Syntax = (raw: string): boolean => raw.startsWith(LIST_PREFIX) || raw.startsWith('(');

/** Structure that arrived percent-encoded (`%28status%3A...`) decodes to a string that still looks structured. */
const looksStructured = (s: string): boolean => s.startsWith(LIST_PREFIX) || s.startsWith('(');

/** The decoded query of one request, with accessors that fail the way LinkedIn does. */
export class QueryParams {
  private readonly decoded = new Map<string, RestliValue>();

  constructor(readonly raw: Map<string, string>) {}

  static parse(qs: string): QueryParams {
    return new QueryParams(splitQuery(qs));
  }

  has(name: string): boolean {
    return this.raw.has(name);
  }

  names(): string[] {
    return [...this.raw.keys()];
  }

  usesRestli2Syntax(): boolean {
    for (const v of this.raw.values()) if (isRestli2Syntax(v)) return true;
    return false;
  }

  /** The decoded value; `undefined` when absent. */
  value(name: string): RestliValue | undefined {
    if (!this.raw.has(name)) return undefined;
    const cached = this.decoded.get(name);
    if (cached !== undefined) return cached;
    let v: RestliValue;
    try {
      v = decodeRestli(this.raw.get(name)!);
    } catch (e) {
      throw this.invalid(name, e instanceof Error ? e.message : undefined);
    }
    this.decoded.set(name, v);
    return v;
  }

  string(name: string): string | undefined {
    const v = this.value(name);
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw this.invalid(name, 'Expected a simple value, got a structure');
    return v;
  }

  requireString(name: string): string {
    const v = this.string(name);
    if (v === undefined || v === '') throw inputError('PARAM_MISSING', name);
    return v;
  }

  int(name: string, opts: { min?: number; max?: number } = {}): number | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    if (!/^-?\d+$/.test(v)) throw this.invalid(name, `Expected an integer, got ${v}`);
    const n = Number(v);
    if ((opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max)) {
      throw this.invalid(name, `Value ${n} is out of range`);
    }
    return n;
  }

  bool(name: string): boolean | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    if (v !== 'true' && v !== 'false') throw this.invalid(name, `Expected true or false, got ${v}`);
    return v === 'true';
  }

  /**
   * A `List(...)`. A plain leaf (`accounts=urn:li:sponsoredAccount:1`, raw colons allowed) counts as a one-item
   * list, as LinkedIn's examples use it; a percent-encoded structure does not.
   */
  list(name: string): RestliValue[] | undefined {
    const v = this.value(name);
    if (v === undefined) return undefined;
    if (Array.isArray(v)) return v;
    if (typeof v === 'string' && !looksStructured(v) && v !== '') return [v];
    throw this.invalid(name);
  }

  stringList(name: string): string[] | undefined {
    const list = this.list(name);
    if (list === undefined) return undefined;
    if (!list.every((x): x is string => typeof x === 'string')) throw this.invalid(name, 'Expected a list of values');
    return list;
  }

  object(name: string): Record<string, RestliValue> | undefined {
    const v = this.value(name);
    if (v === undefined) return undefined;
    if (typeof v === 'object' && !Array.isArray(v)) return v;
    throw this.invalid(name);
  }

  /** Rejects any parameter outside `allowed` (LinkedIn's QUERY_PARAM_NOT_ALLOWED). */
  allowOnly(allowed: readonly string[]): void {
    for (const name of this.raw.keys()) {
      if (!allowed.includes(name)) throw inputError('QUERY_PARAM_NOT_ALLOWED', name);
    }
  }

  private invalid(name: string, description?: string): RestError {
    return inputError('PARAM_INVALID', name, description);
  }
}

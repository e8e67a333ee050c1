/**
 * Rest.li 2.0 query encoding, written to match LinkedIn's own JS client (`lib/utils/encoder.ts`/`decoder.ts`)
 * character for character: data is URL-encoded and additionally has the five reserved characters `, ( ) ' :`
 * escaped; the structure (`List(`, `(`, `)`, `,`, `:`) is never escaped.
 */

export type RestliValue = string | number | boolean | null | RestliValue[] | { [key: string]: RestliValue };

/** Decoded values: the format is lossy, so every leaf comes back as a string. */
export type DecodedRestli = string | DecodedRestli[] | { [key: string]: DecodedRestli };

export class RestliDecodeError extends Error {
  readonly code = 'restli_decode';
  constructor(message: string) {
    super(message);
    this.name = 'RestliDecodeError';
  }
}

const RESERVED = /[,()':]/g;
const RESERVED_ESCAPES: Record<string, string> = { ',': '%2C', '(': '%28', ')': '%29', "'": '%27', ':': '%3A' };
// encodeURIComponent throws on lone surrogates; a typed query must never crash the request builder.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const escapeReserved = (s: string): string => s.replace(RESERVED, (c) => RESERVED_ESCAPES[c]!);

/** A leaf (or an object key) in URL mode. */
export function encodePrimitive(value: unknown): string {
  if (value === '') return "''";
  const text = String(value).replace(LONE_SURROGATE, '\uFFFD');
  return escapeReserved(encodeURIComponent(text));
}

function encodeAnyType(value: unknown): string {
  if (Array.isArray(value)) return `List(${value.map(encodeAnyType).join(',')})`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => `${encodePrimitive(k)}:${encodeAnyType(v)}`);
    return `(${entries.join(',')})`;
  }
  return encodePrimitive(value);
}

// Same pre-processing as the JS client: drops `undefined` properties, turns Dates into ISO strings, etc.
const jsonClone = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

/** Encodes one value (list, object or leaf) for a URL query or path key. */
export function encode(value: unknown): string {
  return encodeAnyType(jsonClone(value));
}

/** Encodes a top-level query map in insertion order: `k1=v1&k2=v2`. Properties set to `undefined` are left out. */
export function paramEncode(params: Record<string, unknown> | null | undefined): string {
  if (!params) return '';
  if (typeof params !== 'object' || Array.isArray(params)) throw new TypeError('paramEncode expects an object');
  const clone = jsonClone(params) as Record<string, unknown>;
  return Object.entries(clone)
    .map(([k, v]) => `${encodePrimitive(k)}=${encodeAnyType(v)}`)
    .join('&');
}

/** Reduced mode, for keys that travel in headers or bodies: only the five reserved characters are escaped. */
export function reducedEncode(value: unknown): unknown {
  return typeof value === 'string' ? escapeReserved(value) : value;
}

const decodeLeaf = (raw: string): string => {
  if (raw === "''") return '';
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new RestliDecodeError('Malformed percent-encoding in Rest.li value');
  }
};

/** Reverses `reducedEncode` (used for the `x-restli-id` header of a create). */
export function reducedDecode(value: string): string {
  return value.replace(/%2C|%28|%29|%27|%3A/gi, (m) => decodeURIComponent(m));
}

const setOwn = (obj: Record<string, DecodedRestli>, key: string, value: DecodedRestli): void => {
  // defineProperty so that a key such as `__proto__` stays plain data.
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
};

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parseAll(): DecodedRestli {
    const value = this.parseValue();
    if (this.pos !== this.text.length) throw new RestliDecodeError('Input has unbalanced prefix and suffix');
    return value;
  }

  private parseValue(): DecodedRestli {
    if (this.text.startsWith('List(', this.pos)) {
      this.pos += 5;
      return this.parseList();
    }
    if (this.text[this.pos] === '(') {
      this.pos += 1;
      return this.parseObject();
    }
    return decodeLeaf(this.readUntil(',)'));
  }

  private parseList(): DecodedRestli[] {
    const items: DecodedRestli[] = [];
    if (this.consume(')')) return items;
    for (;;) {
      items.push(this.parseValue());
      if (this.consume(')')) return items;
      this.expect(',');
    }
  }

  private parseObject(): Record<string, DecodedRestli> {
    const obj: Record<string, DecodedRestli> = {};
    if (this.consume(')')) return obj;
    for (;;) {
      const key = decodeLeaf(this.readUntil(':,()'));
      this.expect(':');
      setOwn(obj, key, this.parseValue());
      if (this.consume(')')) return obj;
      this.expect(',');
    }
  }

  private readUntil(stops: string): string {
    const start = this.pos;
    while (this.pos < this.text.length && !stops.includes(this.text[this.pos]!)) this.pos += 1;
    return this.text.slice(start, this.pos);
  }

  private consume(ch: string): boolean {
    if (this.text[this.pos] !== ch) return false;
    this.pos += 1;
    return true;
  }

  private expect(ch: string): void {
    if (!this.consume(ch)) {
      throw new RestliDecodeError(
        this.pos >= this.text.length
          ? 'Input has unbalanced prefix and suffix'
          : `Unexpected character at position ${this.pos} of a Rest.li value`,
      );
    }
  }
}

/**
 * Decodes one Rest.li value. A top-level leaf is decoded whole, so lenient simple parameters such as
 * `urn:li:sponsoredAccount:1` (raw colons, as in LinkedIn's own examples) are accepted.
 */
export function decode(text: string): DecodedRestli {
  if (text.startsWith('List(') || text.startsWith('(')) return new Parser(text).parseAll();
  return decodeLeaf(text);
}

/** Decodes a whole query string (without the leading `?`); the first `=` of each pair separates key and value. */
export function paramDecode(query: string): Record<string, DecodedRestli> {
  const result: Record<string, DecodedRestli> = {};
  if (query === '') return result;
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
    setOwn(result, decodeLeaf(rawKey), rawValue === '' ? '' : decode(rawValue));
  }
  return result;
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decode,
  encode,
  encodePrimitive,
  paramDecode,
  paramEncode,
  RestliDecodeError,
  reducedDecode,
  reducedEncode,
} from '../../src/linkedin/restli.js';

describe('paramEncode: the verified outputs of the reference (§10.1), character for character', () => {
  it('encodes the audienceCounts example', () => {
    const query = paramEncode({
      q: 'targetingCriteriaV2',
      targetingCriteria: {
        include: {
          and: [
            { or: { 'urn:li:adTargetingFacet:locations': ['urn:li:geo:102221843'] } },
            { or: { 'urn:li:adTargetingFacet:skills': ['urn:li:skill:17'] } },
          ],
        },
      },
    });
    expect(query).toBe(
      'q=targetingCriteriaV2&targetingCriteria=(include:(and:List((or:(urn%3Ali%3AadTargetingFacet%3Alocations:List(urn%3Ali%3Ageo%3A102221843))),(or:(urn%3Ali%3AadTargetingFacet%3Askills:List(urn%3Ali%3Askill%3A17))))))',
    );
  });

  it('encodes the typeahead example', () => {
    expect(
      paramEncode({
        q: 'typeahead',
        facet: 'urn:li:adTargetingFacet:titles',
        query: 'software engineer',
        queryVersion: 'QUERY_USES_URNS',
        locale: { language: 'en', country: 'US' },
        start: 0,
        count: 10,
      }),
    ).toBe(
      'q=typeahead&facet=urn%3Ali%3AadTargetingFacet%3Atitles&query=software%20engineer&queryVersion=QUERY_USES_URNS&locale=(language:en,country:US)&start=0&count=10',
    );
  });

  it('encodes the q=urns example, escaping the tuple inside a staffCountRange URN', () => {
    expect(
      paramEncode({
        q: 'urns',
        urns: ['urn:li:function:4', 'urn:li:seniority:9', 'urn:li:staffCountRange:(1,1)'],
        queryVersion: 'QUERY_USES_URNS',
      }),
    ).toBe(
      'q=urns&urns=List(urn%3Ali%3Afunction%3A4,urn%3Ali%3Aseniority%3A9,urn%3Ali%3AstaffCountRange%3A%281%2C1%29)&queryVersion=QUERY_USES_URNS',
    );
  });

  it('encodes the adAccounts search example (booleans and numbers as text)', () => {
    expect(paramEncode({ q: 'search', search: { status: { values: ['ACTIVE'] }, test: false }, pageSize: 100 })).toBe(
      'q=search&search=(status:(values:List(ACTIVE)),test:false)&pageSize=100',
    );
  });

  it('encodes the adSegments and adTargetTemplates finder examples', () => {
    expect(paramEncode({ q: 'accounts', accounts: ['urn:li:sponsoredAccount:123'] })).toBe(
      'q=accounts&accounts=List(urn%3Ali%3AsponsoredAccount%3A123)',
    );
    expect(paramEncode({ q: 'account', account: 'urn:li:sponsoredAccount:123' })).toBe(
      'q=account&account=urn%3Ali%3AsponsoredAccount%3A123',
    );
  });

  it("encodes '' for the empty string, escapes reserved characters in data, writes null and booleans", () => {
    expect(paramEncode({ a: '', b: "it's (x)", c: null, d: true })).toBe("a=''&b=it%27s%20%28x%29&c=null&d=true");
  });
});

describe('encoding details', () => {
  it('keeps insertion order and leaves out undefined properties', () => {
    expect(paramEncode({ z: 1, a: undefined, m: 2 })).toBe('z=1&m=2');
  });

  it('returns an empty string for no parameters and rejects non-objects', () => {
    expect(paramEncode(undefined)).toBe('');
    expect(paramEncode(null)).toBe('');
    expect(() => paramEncode('q=x' as unknown as Record<string, unknown>)).toThrow(TypeError);
    expect(() => paramEncode([1] as unknown as Record<string, unknown>)).toThrow(TypeError);
  });

  it('writes empty lists and empty objects', () => {
    expect(encode([])).toBe('List()');
    expect(encode({})).toBe('()');
    expect(encode({ a: [], b: {} })).toBe('(a:List(),b:())');
  });

  it('encodes keys exactly like values', () => {
    expect(encode({ 'a:b': 'c,d', '': 'x' })).toBe("(a%3Ab:c%2Cd,'':x)");
  });

  it('never escapes structure, always escapes data', () => {
    expect(encode(['List(', '(', ')'])).toBe('List(List%28,%28,%29)');
    expect(encodePrimitive('a&b=c/d%e é')).toBe('a%26b%3Dc%2Fd%25e%20%C3%A9');
    // encodeURIComponent leaves these alone, and so does LinkedIn's client.
    expect(encodePrimitive('!*~-_.')).toBe('!*~-_.');
  });

  it('turns Dates into ISO strings like the JSON pre-processing of the JS client', () => {
    expect(encode({ at: new Date(Date.UTC(2026, 0, 2)) })).toBe('(at:2026-01-02T00%3A00%3A00.000Z)');
  });

  it('replaces lone surrogates instead of throwing', () => {
    expect(encodePrimitive('a\uD800b')).toBe('a%EF%BF%BDb');
  });

  it('reduced mode escapes only the reserved characters, and reducedDecode reverses it', () => {
    expect(reducedEncode('urn:li:x:(1,2) it’s')).toBe('urn%3Ali%3Ax%3A%281%2C2%29 it’s');
    expect(reducedEncode(42)).toBe(42);
    expect(reducedDecode('urn%3Ali%3Ax%3A%281%2C2%29')).toBe('urn:li:x:(1,2)');
    expect(reducedDecode('12345')).toBe('12345');
  });
});

describe('decoding', () => {
  it('decodes the audienceCounts example back into the criteria', () => {
    const decoded = paramDecode(
      'q=targetingCriteriaV2&targetingCriteria=(include:(and:List((or:(urn%3Ali%3AadTargetingFacet%3Alocations:List(urn%3Ali%3Ageo%3A102221843))),(or:(urn%3Ali%3AadTargetingFacet%3Askills:List(urn%3Ali%3Askill%3A17))))))',
    );
    expect(decoded).toEqual({
      q: 'targetingCriteriaV2',
      targetingCriteria: {
        include: {
          and: [
            { or: { 'urn:li:adTargetingFacet:locations': ['urn:li:geo:102221843'] } },
            { or: { 'urn:li:adTargetingFacet:skills': ['urn:li:skill:17'] } },
          ],
        },
      },
    });
  });

  it('returns every leaf as a string (the format is lossy)', () => {
    expect(paramDecode("a=''&b=it%27s%20%28x%29&c=null&d=true&n=10")).toEqual({
      a: '',
      b: "it's (x)",
      c: 'null',
      d: 'true',
      n: '10',
    });
  });

  it('accepts raw colons in simple parameters, as LinkedIn does', () => {
    expect(paramDecode('q=accounts&accounts=urn:li:sponsoredAccount:516986977')).toEqual({
      q: 'accounts',
      accounts: 'urn:li:sponsoredAccount:516986977',
    });
  });

  it('splits a pair on its first = only, and treats a missing value as empty', () => {
    expect(paramDecode('a=b%3Dc&flag&=x')).toEqual({ a: 'b=c', flag: '', '': 'x' });
    expect(paramDecode('')).toEqual({});
  });

  it('does not turn + into a space', () => {
    expect(decode('a+b')).toBe('a+b');
  });

  it('keeps a __proto__ key as plain data', () => {
    const decoded = decode('(__proto__:x)') as Record<string, unknown>;
    expect(Object.keys(decoded)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
  });

  it.each([
    ['List(a,b', 'unbalanced'],
    ['(a:b', 'unbalanced'],
    ['(a)', 'Unexpected'],
    ['List(a)x', 'unbalanced'],
    ['(a:%E0%A4%A)', 'percent'],
  ])('rejects %s with a RestliDecodeError', (input, fragment) => {
    expect(() => decode(input)).toThrow(RestliDecodeError);
    expect(() => decode(input)).toThrow(new RegExp(fragment));
  });
});

describe('round trip', () => {
  // Leaves come back as strings, so the property holds for structures whose leaves are strings.
  const text = fc.string({ unit: 'binary', maxLength: 12 });
  const { tree } = fc.letrec<{ tree: unknown }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      text,
      fc.array(tie('tree'), { maxLength: 4 }),
      fc.dictionary(text, tie('tree'), { maxKeys: 4 }),
    ),
  }));

  it('decode(encode(x)) === x for any nesting of lists, objects and strings', () => {
    fc.assert(
      fc.property(tree, (value) => {
        expect(decode(encode(value))).toEqual(value);
      }),
      { numRuns: 500 },
    );
  });

  it('paramDecode(paramEncode(m)) === m for any query map', () => {
    fc.assert(
      fc.property(fc.dictionary(text, tree, { maxKeys: 5 }), (params) => {
        expect(paramDecode(paramEncode(params))).toEqual(params);
      }),
      { numRuns: 300 },
    );
  });

  it('never lets a structural or separator character escape from data', () => {
    fc.assert(
      fc.property(text, (s) => {
        const encoded = encodePrimitive(s);
        if (s === '') expect(encoded).toBe("''");
        else expect(encoded).not.toMatch(/[,()':&=+\s]/);
      }),
    );
  });
});

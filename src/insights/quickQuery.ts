/**
 * The power-user form of a query, typed after the slash command:
 *
 *   /audience by:jobFunctions location:"United States" skill:Python skill:Java -seniority:Unpaid top:10
 *
 * `parseQuickQuery` turns the text into a draft (names, not URNs) and never throws; `resolveQuickQuery` turns
 * the names into URNs with LinkedIn's listings and typeahead and says how each name was read.
 * Repeated keys are OR-ed within their facet; different facets are AND-ed as separate groups.
 */
import type { AudienceQuerySpec } from '../db/types.js';
import { InvalidQueryError } from '../errors.js';
import type { LinkedInApi } from '../linkedin/api.js';
import { facetUrn, findGroupByFacet, findTargetingFacet, GROUP_BY_FACETS } from '../linkedin/facets.js';
import type { FacetValues, MemberAdAccount, SegmentsOrderedBy, TargetingEntity } from '../linkedin/types.js';
import { fallbackLabel } from './describe.js';
import { createFacetOptions, type FacetOptions, normalizeName } from './facetOptions.js';

export interface DraftFacet {
  /** Targeting facet name, e.g. `skills`. */
  facet: string;
  /** What the person typed, one entry per value. */
  values: string[];
}

export interface QuickQueryDraft {
  include: DraftFacet[];
  exclude: DraftFacet[];
  /** A groupBy facet URN. */
  groupBy?: string;
  top?: number;
  order?: SegmentsOrderedBy;
  /** An ad account id, URN or name, as typed. */
  account?: string;
}

export interface QuickQueryProblem {
  field: string;
  message: string;
}

export interface QuickQueryParse {
  draft: QuickQueryDraft;
  /** Empty when the text was understood completely. */
  problems: QuickQueryProblem[];
}

export const MAX_TOP = 100;

/** Keys a person may type (lower-case, letters only) → targeting facet name. */
const FACET_KEYS: Record<string, string> = {};
const addKeys = (facet: string, keys: string[]) => {
  for (const key of [facet.toLowerCase(), ...keys]) FACET_KEYS[key] = facet;
};
addKeys('locations', ['location', 'loc', 'geo', 'geos']);
addKeys('skills', ['skill']);
addKeys('titles', ['title', 'jobtitle', 'jobtitles']);
addKeys('employers', ['employer', 'company', 'companies']);
addKeys('industries', ['industry']);
addKeys('jobFunctions', ['function', 'functions', 'jobfunction']);
addKeys('seniorities', ['seniority']);
addKeys('staffCountRanges', ['size', 'sizes', 'companysize', 'staffcount']);
addKeys('yearsOfExperienceRanges', ['experience', 'years', 'yearsofexperience']);
addKeys('growthRate', ['growth', 'companygrowth']);
addKeys('interests', ['interest']);
addKeys('productInterests', ['product', 'products', 'productinterest']);
addKeys('interfaceLocales', ['language', 'languages', 'locale', 'locales', 'interfacelocale']);
addKeys('audienceMatchingSegments', ['segment', 'segments', 'audience', 'audiences', 'matchedaudience']);

const SPECIAL_KEYS = {
  by: ['by', 'groupby', 'group'],
  top: ['top', 'limit'],
  order: ['order', 'orderby', 'sort'],
  account: ['account', 'acct', 'adaccount'],
  not: ['not', 'exclude', 'except', 'without'],
} as const;
type SpecialKey = keyof typeof SPECIAL_KEYS;
const SPECIAL_INDEX = new Map<string, SpecialKey>(
  (Object.entries(SPECIAL_KEYS) as Array<[SpecialKey, readonly string[]]>).flatMap(([k, aliases]) =>
    aliases.map((a) => [a, k] as const),
  ),
);

/** `by:` values (normalized) → groupBy facet name: names, display labels and everyday words. */
const GROUP_BY_WORDS = new Map<string, string>();
for (const f of GROUP_BY_FACETS) {
  GROUP_BY_WORDS.set(f.name.toLowerCase(), f.name);
  GROUP_BY_WORDS.set(f.label.toLowerCase().replace(/[^a-z0-9]/g, ''), f.name);
}
const groupByAlias = (name: string, words: string[]) => {
  for (const w of words) GROUP_BY_WORDS.set(w, name);
};
groupByAlias('jobFunctions', ['function', 'functions', 'jobfunction', 'department']);
groupByAlias('seniorities', ['seniority', 'level', 'levels']);
groupByAlias('titles', ['title', 'jobtitle']);
groupByAlias('yearsOfExperienceRanges', ['experience', 'years', 'yearsofexperience']);
groupByAlias('interests', ['interest']);
groupByAlias('productInterests', ['product', 'products', 'productinterest']);
groupByAlias('skills', ['skill']);
groupByAlias('industries', ['industry']);
groupByAlias('staffCountRanges', ['size', 'sizes', 'companysize', 'staffcount']);
groupByAlias('growthRate', ['growth', 'companygrowth']);
groupByAlias('employers', ['employer', 'company', 'companies']);
groupByAlias('bingContinent', ['continent']);
groupByAlias('bingCountry', ['country', 'region', 'countries', 'regions', 'location', 'locations', 'geo', 'loc']);
groupByAlias('bingState', ['state']);
groupByAlias('bingCity', ['city']);

const ORDER_WORDS: Record<string, SegmentsOrderedBy> = {
  share: 'AUDIENCE_PERCENTAGE',
  percentage: 'AUDIENCE_PERCENTAGE',
  percent: 'AUDIENCE_PERCENTAGE',
  size: 'AUDIENCE_PERCENTAGE',
  audiencepercentage: 'AUDIENCE_PERCENTAGE',
  hierarchical: 'HIERARCHICAL',
  hierarchy: 'HIERARCHICAL',
  natural: 'HIERARCHICAL',
};

const keyWord = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The keys to show when one is not understood. */
export const QUICK_QUERY_KEYS =
  'by, location, skill, title, company, industry, function, seniority, size, experience, growth, interest, product, language, segment, top, order, account, not (or a leading -)';

// Straight and typographic double quotes (Slack and phones turn " into “ ”).
const QUOTES = new Set(['"', '“', '”', '„', '‟', '″', '«', '»']);

interface Piece {
  text: string;
  quoted: boolean;
}
type Token = Piece[];

/** Splits on whitespace outside quotes; a quote may open anywhere and runs to the next quote (or the end). */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let current: Token = [];
  let buffer = '';
  let inQuote = false;
  const flushPiece = (quoted: boolean) => {
    if (buffer !== '' || quoted) current.push({ text: buffer, quoted });
    buffer = '';
  };
  const flushToken = () => {
    flushPiece(false);
    if (current.length > 0) tokens.push(current);
    current = [];
  };
  for (const ch of text) {
    if (QUOTES.has(ch)) {
      if (inQuote) {
        flushPiece(true);
        inQuote = false;
      } else {
        flushPiece(false);
        inQuote = true;
      }
    } else if (!inQuote && /\s/u.test(ch)) {
      flushToken();
    } else {
      buffer += ch;
    }
  }
  if (inQuote) flushPiece(true);
  flushToken();
  return tokens;
}

/** Splits a token at its first unquoted `:`. */
const splitKey = (token: Token): { key: string; value: Token } | undefined => {
  for (let i = 0; i < token.length; i++) {
    const piece = token[i]!;
    if (piece.quoted) continue;
    const at = piece.text.indexOf(':');
    if (at < 0) continue;
    const key = token
      .slice(0, i)
      .map((p) => p.text)
      .join('')
      .concat(piece.text.slice(0, at));
    const rest = piece.text.slice(at + 1);
    const value: Token = [...(rest !== '' ? [{ text: rest, quoted: false }] : []), ...token.slice(i + 1)];
    return { key, value };
  }
  return undefined;
};

/** The values of a token: unquoted commas separate values, quoted text is kept whole. */
const tokenValues = (value: Token): string[] => {
  const values: string[] = [];
  let buffer = '';
  for (const piece of value) {
    if (piece.quoted) {
      buffer += piece.text;
      continue;
    }
    const parts = piece.text.split(',');
    parts.forEach((part, i) => {
      if (i > 0) {
        values.push(buffer);
        buffer = '';
      }
      buffer += part;
    });
  }
  values.push(buffer);
  return values.map((v) => v.replace(/\s+/g, ' ').trim()).filter((v) => v !== '');
};

const tokenText = (token: Token) => token.map((p) => (p.quoted ? `“${p.text}”` : p.text)).join('');

const addValues = (facets: DraftFacet[], facet: string, values: string[]) => {
  let entry = facets.find((f) => f.facet === facet);
  if (!entry) {
    entry = { facet, values: [] };
    facets.push(entry);
  }
  for (const v of values) if (!entry.values.some((x) => x.toLowerCase() === v.toLowerCase())) entry.values.push(v);
};

/** Whether the text is meant as a quick query (some `key:value`), rather than a sub-command like "help". */
export function looksLikeQuickQuery(text: string): boolean {
  return tokenize(text).some((token) => {
    const split = splitKey(token);
    return split !== undefined && keyWord(split.key) !== '';
  });
}

/** Looks a `by:` word up: a facet name, its display label ("Job Titles") or an everyday word ("country"). */
export function findGroupByWord(word: string): string | undefined {
  const direct = findGroupByFacet(word.trim());
  if (direct) return direct.urn;
  const w = keyWord(word);
  const name = GROUP_BY_WORDS.get(w) ?? (w.endsWith('s') ? GROUP_BY_WORDS.get(w.slice(0, -1)) : undefined);
  return name ? findGroupByFacet(name)?.urn : undefined;
}

export function parseQuickQuery(text: string): QuickQueryParse {
  const draft: QuickQueryDraft = { include: [], exclude: [] };
  const problems: QuickQueryProblem[] = [];
  const unkeyed: string[] = [];
  const tokens = tokenize(text);
  if (tokens[0]?.length === 1 && !tokens[0][0]!.quoted && /^\/\S+$/.test(tokens[0][0]!.text)) tokens.shift();

  const setOnce = <K extends 'groupBy' | 'top' | 'order' | 'account'>(
    field: K,
    value: QuickQueryDraft[K],
    label: string,
  ) => {
    if (draft[field] !== undefined && draft[field] !== value) {
      problems.push({ field, message: `${label} is given twice; keep one.` });
      return;
    }
    draft[field] = value;
  };

  const handle = (key: string, value: Token, excluded: boolean, raw: string) => {
    const word = keyWord(key.startsWith('-') ? key.slice(1) : key);
    if (key.startsWith('-') && !excluded) {
      handle(key.slice(1), value, true, raw);
      return;
    }
    const special = SPECIAL_INDEX.get(word);
    if (special === 'not') {
      const inner = splitKey(value);
      if (!inner) {
        problems.push({
          field: 'exclude',
          message: `Say what to exclude as not:key:value, e.g. not:seniority:Unpaid (got “${tokenText(value)}”).`,
        });
        return;
      }
      handle(inner.key, inner.value, true, raw);
      return;
    }
    const values = tokenValues(value);
    if (special) {
      if (excluded) {
        problems.push({ field: special, message: `${special}: cannot be excluded.` });
        return;
      }
      const single = values.join(', ');
      if (single === '') {
        problems.push({ field: special, message: `${special}: needs a value.` });
        return;
      }
      if (special === 'by') {
        const urn = findGroupByWord(single);
        if (urn) setOnce('groupBy', urn, 'by:');
        else
          problems.push({
            field: 'groupBy',
            message: `LinkedIn cannot break an audience down by “${single}”. Use by: with one of ${GROUP_BY_FACETS.map((f) => f.name).join(', ')} (or country, city, state, continent, function, title, size…).`,
          });
      } else if (special === 'top') {
        const n = /^\d{1,3}$/.test(single) ? Number(single) : Number.NaN;
        if (Number.isInteger(n) && n >= 1 && n <= MAX_TOP) setOnce('top', n, 'top:');
        else
          problems.push({
            field: 'top',
            message: `top: must be a whole number from 1 to ${MAX_TOP} (got “${single}”).`,
          });
      } else if (special === 'order') {
        const order = ORDER_WORDS[keyWord(single)];
        if (order) setOnce('order', order, 'order:');
        else problems.push({ field: 'order', message: `order: is either share or hierarchical (got “${single}”).` });
      } else {
        setOnce('account', single, 'account:');
      }
      return;
    }
    const facet = FACET_KEYS[word];
    if (!facet) {
      problems.push({
        field: 'key',
        message: `I don’t know the key “${key.replace(/^-/, '')}:” in “${raw}”. Valid keys: ${QUICK_QUERY_KEYS}.`,
      });
      return;
    }
    if (values.length === 0) {
      problems.push({
        field: facet,
        message: `${key.replace(/^-/, '')}: needs a value, e.g. ${key.replace(/^-/, '')}:"…".`,
      });
      return;
    }
    addValues(excluded ? draft.exclude : draft.include, facet, values);
  };

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const split = splitKey(token);
    if (!split || split.key === '') {
      unkeyed.push(tokenText(token));
      continue;
    }
    let value = split.value;
    // `location: "United States"` – a space after the colon.
    const next = tokens[i + 1];
    if (value.length === 0 && next && !splitKey(next)) {
      value = next;
      i++;
    }
    handle(split.key, value, false, tokenText(token));
  }

  if (unkeyed.length > 0) {
    problems.push({
      field: 'text',
      message: `I don’t know what “${unkeyed.slice(0, 5).join(' ')}” means. Write key:value pairs, e.g. skill:Python location:"United States" by:function. Valid keys: ${QUICK_QUERY_KEYS}.`,
    });
  }
  return { draft, problems };
}

// ---------------------------------------------------------------------------------------------------------------
// Resolution: names → URNs

export interface QuickQueryResolution {
  /** What the person typed. */
  input: string;
  /** Targeting facet name. */
  facet: string;
  urn: string;
  name: string;
  excluded: boolean;
}

export interface ResolvedQuickQuery {
  spec: AudienceQuerySpec;
  /** URN → name for every value picked. */
  names: Record<string, string>;
  resolutions: QuickQueryResolution[];
  account: { urn: string; name?: string };
}

export interface ResolveDeps {
  token: string;
  linkedin: Pick<LinkedInApi, 'facetEntities' | 'typeahead' | 'adSegments'>;
  /** The person's ad accounts (e.g. the cached list). */
  accounts: readonly MemberAdAccount[];
  /** The person's default ad account URN. */
  defaultAccount?: string;
  /** The shared option cache; without it, a listing is fetched once per call. */
  facetOptions?: FacetOptions;
  defaultGroupBy?: string;
  defaultTop?: number;
}

export const DEFAULT_GROUP_BY = facetUrn('jobFunctions');
export const DEFAULT_TOP = 5;
const MAX_SUGGESTIONS = 5;
const TYPEAHEAD_COUNT = 10;

const NOUNS: Record<string, string> = {
  locations: 'location',
  skills: 'skill',
  titles: 'job title',
  employers: 'company',
  industries: 'industry',
  jobFunctions: 'job function',
  seniorities: 'seniority',
  staffCountRanges: 'company size',
  yearsOfExperienceRanges: 'years-of-experience range',
  growthRate: 'growth rate',
  interests: 'interest',
  productInterests: 'product interest',
  interfaceLocales: 'language',
  audienceMatchingSegments: 'matched audience',
};
const noun = (facet: string) => NOUNS[facet] ?? findTargetingFacet(facet)?.label.toLowerCase() ?? facet;

/** How names are compared: case, accents, dash styles, spaces and thousands separators do not matter. */
const matchKey = (s: string) =>
  normalizeName(s)
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/(\d),(\d{3})/g, '$1$2')
    .replace(/\s*-\s*/g, '-');

/** Edit distance, for "did you mean" on a typo. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

const closeOnes = (input: string, candidates: readonly TargetingEntity[]): TargetingEntity[] => {
  const key = matchKey(input);
  const budget = Math.max(2, Math.floor(key.length / 3));
  return candidates
    .map((c) => {
      const name = matchKey(c.name);
      // A typo in a prefix of a longer name ("Pythn" → "Python (Programming Language)") counts as close too.
      const distance = Math.min(editDistance(key, name), editDistance(key, name.slice(0, key.length)) + 1);
      return { c, distance };
    })
    .filter((x) => x.distance <= budget)
    .sort((a, b) => a.distance - b.distance)
    .map((x) => x.c);
};

const quoteList = (items: readonly TargetingEntity[]) =>
  items
    .slice(0, MAX_SUGGESTIONS)
    .map((e) => `“${e.name}”`)
    .join(', ');

type Match = { ok: true; entity: TargetingEntity } | { ok: false; message: string };

/**
 * Picks one candidate for what was typed: an exact (case-insensitive) name wins, then a single candidate;
 * several are ambiguous, none unknown — both with suggestions.
 */
const pick = (
  facet: string,
  input: string,
  candidates: readonly TargetingEntity[],
  suggestions: readonly TargetingEntity[],
): Match => {
  const key = matchKey(input);
  const exact = candidates.find((c) => matchKey(c.name) === key);
  if (exact) return { ok: true, entity: exact };
  if (candidates.length === 1) return { ok: true, entity: candidates[0]! };
  if (candidates.length > 1) {
    return {
      ok: false,
      message: `“${input}” matches several ${noun(facet)} values. Did you mean: ${quoteList(candidates)}? Put the full name in quotes.`,
    };
  }
  const hint = suggestions.length > 0 ? ` Did you mean: ${quoteList(suggestions)}?` : '';
  return { ok: false, message: `No ${noun(facet)} matches “${input}”.${hint}` };
};

const localFilter = (input: string, list: readonly TargetingEntity[]): TargetingEntity[] => {
  const key = matchKey(input);
  const starts = list.filter((e) => matchKey(e.name).startsWith(key));
  if (starts.length > 0) return starts;
  return list.filter((e) => matchKey(e.name).includes(key));
};

const accountLabel = (a: MemberAdAccount) => `${a.name} (${a.id})`;

const resolveAccount = (
  typed: string | undefined,
  accounts: readonly MemberAdAccount[],
  defaultAccount: string | undefined,
): { urn: string; name?: string } | QuickQueryProblem => {
  const list = accounts.map(accountLabel).slice(0, 10).join(', ');
  if (typed === undefined) {
    if (defaultAccount) return { urn: defaultAccount, name: accounts.find((a) => a.urn === defaultAccount)?.name };
    if (accounts.length === 1) return { urn: accounts[0]!.urn, name: accounts[0]!.name };
    if (accounts.length === 0) {
      return {
        field: 'account',
        message: 'You have no LinkedIn ad account to run insights on. Ask an account manager to add you to one.',
      };
    }
    return { field: 'account', message: `Which ad account? Add account:<name or id> — yours are: ${list}.` };
  }
  const id = /^(?:urn:li:sponsoredAccount:)?(\d+)$/.exec(typed.trim())?.[1];
  if (id) {
    const found = accounts.find((a) => String(a.id) === id);
    if (found) return { urn: found.urn, name: found.name };
    // The cached list may be stale; LinkedIn itself checks the member's role on the account.
    return { urn: `urn:li:sponsoredAccount:${id}` };
  }
  const key = matchKey(typed);
  const exact = accounts.filter((a) => matchKey(a.name) === key);
  const partial = exact.length > 0 ? exact : accounts.filter((a) => matchKey(a.name).includes(key));
  if (partial.length === 1) return { urn: partial[0]!.urn, name: partial[0]!.name };
  if (partial.length > 1) {
    return {
      field: 'account',
      message: `“${typed}” matches several ad accounts: ${partial.slice(0, MAX_SUGGESTIONS).map(accountLabel).join(', ')}. Use the id, e.g. account:${partial[0]!.id}.`,
    };
  }
  return {
    field: 'account',
    message: `You have no ad account called “${typed}”.${list ? ` Yours are: ${list}.` : ''}`,
  };
};

const isProblem = (x: object): x is QuickQueryProblem => 'message' in x;

/**
 * Resolves a parsed quick query into a spec. All problems are reported at once (InvalidQueryError); LinkedIn
 * failures reject with their typed error.
 */
export async function resolveQuickQuery(draft: QuickQueryDraft, deps: ResolveDeps): Promise<ResolvedQuickQuery> {
  const problems: QuickQueryProblem[] = [];
  const options = deps.facetOptions ?? createFacetOptions({ linkedin: deps.linkedin });

  const account = resolveAccount(draft.account, deps.accounts, deps.defaultAccount);
  if (isProblem(account)) problems.push(account);
  const accountUrn = isProblem(account) ? undefined : account.urn;

  let segments: Promise<TargetingEntity[]> | undefined;
  const segmentList = (): Promise<TargetingEntity[]> => {
    segments ??= accountUrn
      ? deps.linkedin.adSegments(deps.token, accountUrn).then((list) =>
          list.map((s) => ({
            urn: `urn:li:adSegment:${s.id}`,
            facetUrn: facetUrn('audienceMatchingSegments'),
            name: s.name,
          })),
        )
      : Promise.resolve([]);
    return segments;
  };

  const resolveValue = async (facet: string, input: string): Promise<Match> => {
    const urn = facetUrn(facet);
    const info = findTargetingFacet(facet);
    if (/^urn:li:[A-Za-z]+:.+/.test(input)) {
      const known =
        info?.picker === 'static'
          ? (await options.staticOptions(deps.token, urn)).find((e) => e.urn === input)
          : undefined;
      return { ok: true, entity: known ?? { urn: input, facetUrn: urn, name: fallbackLabel(input) } };
    }
    if (info?.picker === 'segments') {
      if (!accountUrn)
        return { ok: false, message: `Matched audiences belong to an ad account: choose the account first.` };
      const list = await segmentList();
      const byId = /^\d+$/.test(input) ? list.find((s) => s.urn === `urn:li:adSegment:${input}`) : undefined;
      if (byId) return { ok: true, entity: byId };
      return pick(facet, input, localFilter(input, list), closeOnes(input, list));
    }
    if (info?.picker === 'static') {
      const list = await options.staticOptions(deps.token, urn);
      return pick(facet, input, localFilter(input, list), closeOnes(input, list));
    }
    const found = await deps.linkedin.typeahead(deps.token, urn, input, { count: TYPEAHEAD_COUNT });
    if (found.length > 0) return pick(facet, input, found, []);
    // Nothing starts with the text: ask with a shorter prefix, and offer the names a typo away.
    const stem = input.slice(0, Math.max(3, Math.ceil(input.length / 2)));
    const near =
      stem.length < input.length
        ? await deps.linkedin.typeahead(deps.token, urn, stem, { count: TYPEAHEAD_COUNT })
        : [];
    return pick(facet, input, [], closeOnes(input, near));
  };

  const jobs = [
    ...draft.include.flatMap((f) => f.values.map((input) => ({ facet: f.facet, input, excluded: false }))),
    ...draft.exclude.flatMap((f) => f.values.map((input) => ({ facet: f.facet, input, excluded: true }))),
  ];
  const matches = await Promise.all(jobs.map((job) => resolveValue(job.facet, job.input)));

  const resolutions: QuickQueryResolution[] = [];
  const include: Array<[string, string[]]> = [];
  const exclude: FacetValues = {};
  jobs.forEach((job, i) => {
    const match = matches[i]!;
    if (!match.ok) {
      problems.push({ field: job.facet, message: match.message });
      return;
    }
    const { urn, name } = match.entity;
    resolutions.push({ input: job.input, facet: job.facet, urn, name, excluded: job.excluded });
    const key = facetUrn(job.facet);
    if (job.excluded) {
      exclude[key] = [...new Set([...(exclude[key] ?? []), urn])];
      return;
    }
    let group = include.find(([f]) => f === key);
    if (!group) {
      group = [key, []];
      include.push(group);
    }
    if (!group[1].includes(urn)) group[1].push(urn);
  });

  if (draft.include.length === 0) {
    problems.push({
      field: 'criteria',
      message: 'Describe the audience, e.g. location:"United States" skill:Python.',
    });
  }

  const groupBy = draft.groupBy ?? deps.defaultGroupBy ?? DEFAULT_GROUP_BY;
  const groupByFacet = findGroupByFacet(groupBy);
  const orderBy = draft.order ?? 'AUDIENCE_PERCENTAGE';
  if (orderBy === 'HIERARCHICAL' && !groupByFacet?.hierarchical) {
    const allowed = GROUP_BY_FACETS.filter((f) => f.hierarchical).map((f) => f.label);
    problems.push({
      field: 'order',
      message: `order:hierarchical only works when breaking down by ${allowed.join(', ')}.`,
    });
  }

  if (problems.length > 0 || !accountUrn) throw new InvalidQueryError(problems);

  const names: Record<string, string> = {};
  for (const r of resolutions) names[r.urn] = r.name;
  const spec: AudienceQuerySpec = {
    accountUrn,
    criteria: {
      include: { and: include.map(([facet, urns]) => ({ or: { [facet]: urns } })) },
      ...(Object.keys(exclude).length > 0 ? { exclude: { or: exclude } } : {}),
    },
    groupBy,
    orderBy,
    maxReturnCount: draft.top ?? deps.defaultTop ?? DEFAULT_TOP,
  };
  return { spec, names, resolutions, account: account as { urn: string; name?: string } };
}

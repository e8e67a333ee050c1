/** The request a /rest resource handler sees once the gateway has let it through, and helpers shared by handlers. */
import type { AdAccountRole } from '../../linkedin/types.js';
import type { DemoMember } from '../accounts.js';
import type { SandboxContext } from '../context.js';
import { accessDenied, classicError, type RestError } from '../errors.js';
import type { QueryParams } from '../restli.js';
import type { AccessToken } from '../tokens.js';

/** Rest.li method, inferred from HTTP method, path key and query (reference §10). */
export type RestliMethod =
  | 'GET'
  | 'BATCH_GET'
  | 'GET_ALL'
  | 'FINDER'
  | 'CREATE'
  | 'PARTIAL_UPDATE'
  | 'DELETE'
  | 'BATCH_DELETE'
  | 'ACTION';

export interface RestRequest {
  ctx: SandboxContext;
  resource: string;
  method: RestliMethod;
  /** Decoded path key (`/adAccounts/123` → "123"); complex keys stay as Rest.li text. */
  key?: string;
  query: QueryParams;
  /** Parsed JSON body, if any. */
  body?: unknown;
  /** The `X-RestLi-Method` header, lower-cased. */
  restliMethodHeader?: string;
  member: DemoMember;
  access: AccessToken;
  version: string;
  /** Version as LinkedIn echoes it in messages (`20261101`). */
  version8: string;
}

export interface RestResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type ResourceHandler = (req: RestRequest) => RestResponse | Promise<RestResponse>;

export const ok = (body: unknown): RestResponse => ({ status: 200, body });

/** Label for permission messages: `FINDER-search`, `ACTION-audienceInsights`, `GET`. */
export function methodLabel(req: RestRequest): string {
  if (req.method === 'FINDER') return `FINDER-${req.query.string('q') ?? ''}`;
  if (req.method === 'ACTION') return `ACTION-${req.query.string('action') ?? ''}`;
  return req.method;
}

/** 403 unless the token carries one of the scopes (reference §1.6). */
export function requireScope(req: RestRequest, scopes: readonly string[]): void {
  if (!scopes.some((s) => req.access.grant.scopes.includes(s))) {
    throw accessDenied(req.resource, methodLabel(req), req.version8);
  }
}

export const READ_ADS = ['r_ads', 'rw_ads'] as const;
export const WRITE_ADS = ['rw_ads'] as const;

export function roleOn(member: DemoMember, accountId: number): AdAccountRole | undefined {
  return member.accounts.find((a) => a.account.id === accountId)?.role;
}

export function unsupportedMethod(req: RestRequest): RestError {
  return classicError(400, `The ${req.method} method is not supported by resource ${req.resource}`, {
    code: 'METHOD_NOT_SUPPORTED',
  });
}

export function unknownFinder(req: RestRequest): RestError {
  return classicError(
    400,
    `Finder ${JSON.stringify(req.query.string('q'))} is not supported by resource ${req.resource}`,
    {
      code: 'QUERY_PARAM_NOT_ALLOWED',
    },
  );
}

/** `start`/`count` paging (reference §3.4). */
export function page<T>(req: RestRequest, items: readonly T[], defaultCount: number) {
  const start = req.query.int('start', { min: 0 }) ?? 0;
  const count = req.query.int('count', { min: 0, max: 10_000 }) ?? defaultCount;
  return {
    elements: items.slice(start, start + count),
    paging: { count, start, links: [] as unknown[], total: items.length },
  };
}

/** Applies a Rest.li 1.0 `fields=a,b` projection to each element. */
export function project<T extends object>(req: RestRequest, elements: T[]): Array<Partial<T>> {
  const fields = req.query.string('fields');
  if (!fields) return elements;
  const wanted = fields.split(',').map((f) => f.trim());
  return elements.map((e) => Object.fromEntries(Object.entries(e).filter(([k]) => wanted.includes(k))) as Partial<T>);
}

export function parseIntKey(req: RestRequest): number {
  if (!req.key || !/^\d+$/.test(req.key))
    throw classicError(400, `Invalid key ${JSON.stringify(req.key)} for ${req.resource}`);
  return Number(req.key);
}

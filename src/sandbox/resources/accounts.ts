/** `adAccountUsers` and `adAccounts` (reference §3). */
import type { AdAccount, AdAccountUser } from '../../linkedin/types.js';
import { accountUrn, type DemoMember, parseAccountUrn } from '../accounts.js';
import { classicError, inputError } from '../errors.js';
import { decodeRestli, type RestliValue } from '../restli.js';
import {
  methodLabel,
  ok,
  page,
  project,
  READ_ADS,
  type RestRequest,
  type RestResponse,
  requireScope,
  roleOn,
  unknownFinder,
  unsupportedMethod,
} from './common.js';

const AUDIT_TIME = Date.UTC(2024, 2, 4, 9, 30);

function accountUser(member: DemoMember, accountId: number): AdAccountUser {
  const role = roleOn(member, accountId)!;
  return {
    account: accountUrn(accountId),
    changeAuditStamps: {
      created: { actor: 'urn:li:unknown:0', time: AUDIT_TIME },
      lastModified: { actor: 'urn:li:unknown:0', time: AUDIT_TIME },
    },
    role,
    user: member.urn,
    version: { versionTag: '1' },
  };
}

export function adAccountUsers(req: RestRequest): RestResponse {
  requireScope(req, READ_ADS);
  if (req.method === 'FINDER') {
    const finder = req.query.string('q');
    if (finder === 'authenticatedUser') {
      req.query.allowOnly(['q', 'start', 'count', 'fields']);
      const users = req.member.accounts.map((a) => accountUser(req.member, a.account.id));
      const { elements, paging } = page(req, users, 100);
      return ok({ elements: project(req, elements), paging });
    }
    if (finder === 'accounts') {
      req.query.allowOnly(['q', 'accounts', 'start', 'count', 'fields']);
      // Only the first account is honoured (reference §3.1).
      const first = req.query.stringList('accounts')?.[0];
      const id = first ? parseAccountUrn(first) : undefined;
      if (id === undefined) throw inputError('PARAM_INVALID', 'accounts', 'Expected a sponsored account URN');
      if (!roleOn(req.member, id)) throw forbidden(req);
      const users = req.ctx.members.filter((m) => roleOn(m, id)).map((m) => accountUser(m, id));
      const { elements, paging } = page(req, users, 100);
      return ok({ elements: project(req, elements), paging });
    }
    throw unknownFinder(req);
  }
  if (req.method === 'GET') {
    let key: RestliValue;
    try {
      key = decodeRestli(req.key!);
    } catch {
      throw classicError(400, `Invalid key ${req.key}`);
    }
    if (
      typeof key !== 'object' ||
      Array.isArray(key) ||
      typeof key.account !== 'string' ||
      typeof key.user !== 'string'
    ) {
      throw classicError(400, 'The key must be (account:urn:li:sponsoredAccount:N,user:urn:li:person:X)');
    }
    const id = parseAccountUrn(key.account);
    const member = req.ctx.members.find((m) => m.urn === key.user);
    if (id === undefined || !roleOn(req.member, id)) throw forbidden(req);
    if (!member || !roleOn(member, id)) throw classicError(404, `No user ${key.user} on ${key.account}`);
    return ok(accountUser(member, id));
  }
  throw unsupportedMethod(req);
}

const forbidden = (req: RestRequest) =>
  classicError(403, `Not enough permissions to access: ${req.resource}.${methodLabel(req)}.${req.version8}`, {
    code: 'ACCESS_DENIED',
    serviceErrorCode: 100,
  });

function wireAccount(a: AdAccount) {
  return {
    test: a.test,
    changeAuditStamps: { created: { time: AUDIT_TIME }, lastModified: { time: AUDIT_TIME } },
    currency: a.currency,
    id: a.id,
    name: a.name,
    notifiedOnCampaignOptimization: true,
    notifiedOnCreativeApproval: true,
    notifiedOnCreativeRejection: true,
    notifiedOnEndOfCampaign: true,
    notifiedOnNewFeaturesEnabled: false,
    reference: a.reference,
    servingStatuses: a.servingStatuses ?? [],
    status: a.status,
    type: a.type,
    version: { versionTag: '1' },
  };
}

const SEARCH_FIELDS = ['id', 'name', 'reference', 'type', 'status', 'test'];

interface PageToken {
  offset: number;
}

const encodePageToken = (t: PageToken): string => Buffer.from(JSON.stringify(t)).toString('base64url');

function decodePageToken(s: string): PageToken {
  try {
    const t = JSON.parse(Buffer.from(s, 'base64url').toString()) as PageToken;
    if (Number.isInteger(t.offset) && t.offset >= 0) return t;
  } catch {
    // fall through
  }
  throw inputError('PARAM_INVALID', 'pageToken', 'Invalid page token');
}

function searchAccounts(req: RestRequest): RestResponse {
  req.query.allowOnly(['q', 'search', 'pageSize', 'pageToken', 'fields', 'sort']);
  const search = req.query.object('search') ?? {};
  const valuesOf = (field: string): string[] | undefined => {
    const v = search[field];
    if (v === undefined) return undefined;
    const values = typeof v === 'object' && !Array.isArray(v) ? v.values : undefined;
    if (!Array.isArray(values) || !values.every((x) => typeof x === 'string')) {
      throw inputError('PARAM_INVALID', `search.${field}`, 'Expected (values:List(...))');
    }
    return values as string[];
  };
  for (const field of Object.keys(search)) {
    if (!SEARCH_FIELDS.includes(field)) throw inputError('PARAM_INVALID', `search.${field}`, 'Unknown search field');
  }
  const ids = valuesOf('id');
  const names = valuesOf('name')?.map((n) => n.toLowerCase());
  const references = valuesOf('reference');
  const types = valuesOf('type');
  const statuses = valuesOf('status');
  const test = search.test;
  if (test !== undefined && test !== 'true' && test !== 'false') {
    throw inputError('PARAM_INVALID', 'search.test', 'Expected true or false');
  }
  const matches = req.member.accounts
    .map((a) => a.account)
    .filter(
      (a) =>
        (!ids || ids.includes(String(a.id)) || ids.includes(accountUrn(a.id))) &&
        (!names || names.some((n) => a.name.toLowerCase().includes(n))) &&
        (!references || (a.reference !== undefined && references.includes(a.reference))) &&
        (!types || types.includes(a.type)) &&
        (!statuses || statuses.includes(a.status)) &&
        (test === undefined || String(a.test) === test),
    )
    .sort((a, b) => a.id - b.id);
  const pageSize = req.query.int('pageSize', { min: 1, max: 1000 }) ?? 100;
  const token = req.query.string('pageToken');
  const offset = token ? decodePageToken(token).offset : 0;
  const elements = matches.slice(offset, offset + pageSize).map(wireAccount);
  const next = offset + pageSize < matches.length ? encodePageToken({ offset: offset + pageSize }) : undefined;
  return ok({
    elements: project(req, elements),
    metadata: next ? { nextPageToken: next } : {},
    paging: { count: pageSize, links: [], start: 0 },
  });
}

export function adAccounts(req: RestRequest): RestResponse {
  requireScope(req, READ_ADS);
  const accounts = req.ctx.accounts;
  switch (req.method) {
    case 'GET': {
      req.query.allowOnly(['fields']);
      const id = /^\d+$/.test(req.key ?? '') ? Number(req.key) : undefined;
      const account = accounts.find((a) => a.id === id);
      if (!account || id === undefined)
        throw classicError(404, `Ad account ${req.key} does not exist`, { code: 'NOT_FOUND' });
      if (!roleOn(req.member, id)) throw forbidden(req);
      return ok(project(req, [wireAccount(account)])[0]);
    }
    case 'BATCH_GET': {
      req.query.allowOnly(['ids', 'fields']);
      const ids = req.query.stringList('ids') ?? [];
      const results: Record<string, unknown> = {};
      const statuses: Record<string, number> = {};
      const errors: Record<string, unknown> = {};
      for (const raw of ids) {
        const id = /^\d+$/.test(raw) ? Number(raw) : undefined;
        const account = accounts.find((a) => a.id === id);
        if (!account) {
          statuses[raw] = 404;
          errors[raw] = { status: 404, message: `Ad account ${raw} does not exist` };
        } else if (!roleOn(req.member, account.id)) {
          statuses[raw] = 403;
          errors[raw] = { status: 403, message: `Not enough permissions to access ad account ${raw}` };
        } else {
          statuses[raw] = 200;
          results[raw] = project(req, [wireAccount(account)])[0];
        }
      }
      return ok({ results, statuses, errors });
    }
    case 'FINDER':
      if (req.query.string('q') === 'search') return searchAccounts(req);
      throw unknownFinder(req);
    default:
      throw unsupportedMethod(req);
  }
}

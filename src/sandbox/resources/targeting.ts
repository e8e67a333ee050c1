/**
 * Audience endpoints: `targetingAudienceInsights?action=audienceInsights` (the Audience Insights API),
 * `audienceCounts`, `adSegments` and `adTargetTemplates`.
 */
import type { AdTargetTemplate, SegmentsOrderedBy, TargetingCriteria } from '../../linkedin/types.js';
import { accountUrn, parseAccountUrn, WRITE_ROLES } from '../accounts.js';
import type { SandboxContext } from '../context.js';
import { accessDenied, classicError, failedValidation, inputError } from '../errors.js';
import { findGroupBy, GROUP_BY_FACETS } from '../facet-table.js';
import { computeInsights, DEFAULT_MAX_RETURN_COUNT, roundAudienceCount } from '../insights.js';
import {
  describeProblems,
  insightsRequirementProblems,
  type ParsedCriteria,
  parseTargetingCriteria,
} from '../rules.js';
import {
  methodLabel,
  ok,
  page,
  parseIntKey,
  READ_ADS,
  type RestRequest,
  type RestResponse,
  requireScope,
  roleOn,
  unknownFinder,
  unsupportedMethod,
  WRITE_ADS,
} from './common.js';

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function segmentUrns(criteria: ParsedCriteria): string[] {
  return [...criteria.include.flat(), ...criteria.exclude]
    .filter((c) => c.facet.kind === 'segment')
    .flatMap((c) => c.values);
}

function evaluate(ctx: SandboxContext, criteria: ParsedCriteria) {
  return ctx.engine.evaluate(criteria, (urn) => ctx.segments.members(urn));
}

const userNotAuthorized = () =>
  classicError(403, 'Caller should have access to the Ad Account provided in the request', {
    code: 'USER_NOT_AUTHORIZED',
  });

// ---------------------------------------------------------------------------------------------------------------
// Audience Insights

const REQUEST_FIELDS = ['requestMetaData', 'targetingCriteria', 'groupBy', 'segmentsOrderedBy', 'maxReturnCount'];

export function targetingAudienceInsights(req: RestRequest): RestResponse {
  if (req.method !== 'ACTION') throw unsupportedMethod(req);
  const action = req.query.string('action');
  if (action !== 'audienceInsights') {
    throw classicError(400, `Unknown action ${JSON.stringify(action)} on ${req.resource}`, {
      code: 'ACTION_NOT_FOUND',
    });
  }
  req.query.allowOnly(['action']);
  if (!req.ctx.knobs.provisioned) throw accessDenied(req.resource, methodLabel(req), req.version8);

  const body = req.body;
  if (!isPlainObject(body) || !isPlainObject(body.request)) {
    throw failedValidation('Request fails structure validation: missing required field "request"');
  }
  const r = body.request;
  const structure: string[] = [];
  for (const key of Object.keys(body)) if (key !== 'request') structure.push(`unknown field "${key}"`);
  for (const key of Object.keys(r)) if (!REQUEST_FIELDS.includes(key)) structure.push(`unknown field "request.${key}"`);

  let accountId: number | undefined;
  if (!isPlainObject(r.requestMetaData)) {
    structure.push('missing required field "request.requestMetaData"');
  } else {
    const meta = r.requestMetaData;
    for (const key of Object.keys(meta)) {
      if (key !== 'sponsoredAccount' && key !== 'sponsoredAccountUrn') {
        structure.push(`unknown field "request.requestMetaData.${key}"`);
      }
    }
    // The doc's table calls it sponsoredAccountUrn, its sample sponsoredAccount: both are accepted.
    const urn = meta.sponsoredAccount ?? meta.sponsoredAccountUrn;
    accountId = typeof urn === 'string' ? parseAccountUrn(urn) : undefined;
    if (urn === undefined) structure.push('missing required field "request.requestMetaData.sponsoredAccount"');
    else if (accountId === undefined) {
      structure.push('"request.requestMetaData.sponsoredAccount" must be a urn:li:sponsoredAccount:N URN');
    }
  }
  const groupBy = typeof r.groupBy === 'string' ? findGroupBy(r.groupBy) : undefined;
  if (r.groupBy === undefined) structure.push('missing required field "request.groupBy"');
  else if (!groupBy) {
    structure.push(
      `"request.groupBy" ${JSON.stringify(r.groupBy)} is not a supported facet; use one of ${GROUP_BY_FACETS.map((g) => g.urn).join(', ')}`,
    );
  }
  const orderBy = (r.segmentsOrderedBy ?? 'AUDIENCE_PERCENTAGE') as SegmentsOrderedBy;
  if (orderBy !== 'AUDIENCE_PERCENTAGE' && orderBy !== 'HIERARCHICAL') {
    structure.push('"request.segmentsOrderedBy" must be AUDIENCE_PERCENTAGE or HIERARCHICAL');
  } else if (orderBy === 'HIERARCHICAL' && groupBy && !groupBy.hierarchical) {
    structure.push(
      `HIERARCHICAL ordering is only supported for low-cardinality facets (${GROUP_BY_FACETS.filter(
        (g) => g.hierarchical,
      )
        .map((g) => g.name)
        .join(', ')}), not ${groupBy.name}`,
    );
  }
  const maxReturnCount = r.maxReturnCount ?? DEFAULT_MAX_RETURN_COUNT;
  if (
    typeof maxReturnCount !== 'number' ||
    !Number.isInteger(maxReturnCount) ||
    maxReturnCount < 1 ||
    maxReturnCount > 100
  ) {
    structure.push('"request.maxReturnCount" must be an integer from 1 to 100');
  }
  const parsed = parseTargetingCriteria(r.targetingCriteria, req.ctx.catalog, 'request.targetingCriteria');
  structure.push(...parsed.problems.filter((p) => p.kind === 'structure').map((p) => p.message));
  if (structure.length > 0) throw failedValidation(`Request fails structure validation: ${structure.join('; ')}`);

  if (!roleOn(req.member, accountId!)) throw userNotAuthorized();

  const rules = [...parsed.problems, ...insightsRequirementProblems(parsed.criteria)];
  for (const urn of segmentUrns(parsed.criteria)) {
    const owner = req.ctx.segments.accountOf(urn);
    if (owner !== accountId) {
      rules.push({ kind: 'rule', message: `${urn} is not a matched audience of ${accountUrn(accountId!)}` });
    }
  }
  if (rules.length > 0) throw failedValidation(`Targeting criteria are not supported: ${describeProblems(rules)}`);

  const audience = evaluate(req.ctx, parsed.criteria);
  return ok(computeInsights(req.ctx.engine, audience, groupBy!, { orderBy, maxReturnCount: maxReturnCount as number }));
}

// ---------------------------------------------------------------------------------------------------------------
// audienceCounts

/** Criteria that fail structure or combination rules → 400, and segments of accounts the member cannot see → 403. */
function criteriaFor(req: RestRequest, raw: unknown, path: string): ParsedCriteria {
  const { criteria, problems } = parseTargetingCriteria(raw, req.ctx.catalog, path);
  if (problems.length > 0) {
    throw classicError(400, `Invalid targeting criteria: ${describeProblems(problems)}`, { code: 'INVALID_TARGETING' });
  }
  for (const urn of segmentUrns(criteria)) {
    const owner = req.ctx.segments.accountOf(urn);
    if (owner !== undefined && !roleOn(req.member, owner)) {
      throw classicError(403, `Caller should have access to the Ad Account owning ${urn}`, {
        code: 'USER_NOT_AUTHORIZED',
      });
    }
  }
  return criteria;
}

export function audienceCounts(req: RestRequest): RestResponse {
  if (req.method !== 'FINDER') throw unsupportedMethod(req);
  if (req.query.string('q') !== 'targetingCriteriaV2') throw unknownFinder(req);
  req.query.allowOnly(['q', 'targetingCriteria']);
  if (!req.query.has('targetingCriteria')) throw inputError('PARAM_MISSING', 'targetingCriteria');
  const criteria = criteriaFor(req, req.query.object('targetingCriteria'), 'targetingCriteria');
  const total = roundAudienceCount(req.ctx.engine.count(evaluate(req.ctx, criteria)));
  return ok({ elements: [{ active: 0, total }], paging: { count: 10, links: [], start: 0 } });
}

// ---------------------------------------------------------------------------------------------------------------
// adSegments

export function adSegments(req: RestRequest): RestResponse {
  requireScope(req, READ_ADS);
  if (req.method === 'GET') {
    req.query.allowOnly(['fields']);
    const segment = req.ctx.segments.get(parseIntKey(req));
    if (!segment) throw classicError(404, `Ad segment ${req.key} does not exist`, { code: 'NOT_FOUND' });
    if (!roleOn(req.member, parseAccountUrn(segment.account)!)) throw userNotAuthorized();
    return ok(segment);
  }
  if (req.method !== 'FINDER') throw unsupportedMethod(req);
  if (req.query.string('q') !== 'accounts') throw unknownFinder(req);
  req.query.allowOnly(['q', 'accounts', 'start', 'count', 'fields']);
  const accounts = req.query.stringList('accounts');
  if (!accounts || accounts.length === 0) throw inputError('PARAM_MISSING', 'accounts');
  const segments = accounts.flatMap((urn) => {
    const id = parseAccountUrn(urn);
    if (id === undefined) throw inputError('PARAM_INVALID', 'accounts', `${urn} is not a sponsored account URN`);
    if (!roleOn(req.member, id)) throw userNotAuthorized();
    return req.ctx.segments.list(id);
  });
  return ok(page(req, segments, 100));
}

// ---------------------------------------------------------------------------------------------------------------
// adTargetTemplates

const TEMPLATE_FIELDS = ['account', 'name', 'description', 'targetingCriteria'];

function writeRoleOrThrow(req: RestRequest, accountId: number): void {
  requireScope(req, WRITE_ADS);
  const role = roleOn(req.member, accountId);
  if (!role) throw userNotAuthorized();
  if (!WRITE_ROLES.includes(role)) {
    throw classicError(
      403,
      `Role ${role} on ${accountUrn(accountId)} may not change saved audience templates; a campaign manager or account manager role is required`,
      { code: 'ACCESS_DENIED', serviceErrorCode: 100 },
    );
  }
}

function checkName(name: unknown): string {
  if (typeof name !== 'string' || name.trim() === '' || name.length > 255) {
    throw classicError(400, 'name must be a non-empty string of at most 255 characters', { code: 'FIELD_INVALID' });
  }
  return name;
}

function checkDescription(description: unknown): string | undefined {
  if (description === undefined) return undefined;
  if (typeof description !== 'string' || description.length > 1000) {
    throw classicError(400, 'description must be a string of at most 1000 characters', { code: 'FIELD_INVALID' });
  }
  return description;
}

function templateFor(req: RestRequest): AdTargetTemplate {
  const id = parseIntKey(req);
  const template = req.ctx.templates.get(id);
  if (!template) throw classicError(404, `Saved audience template ${id} does not exist`, { code: 'NOT_FOUND' });
  return template;
}

export function adTargetTemplates(req: RestRequest): RestResponse {
  const { ctx } = req;
  switch (req.method) {
    case 'CREATE': {
      if (req.restliMethodHeader && req.restliMethodHeader !== 'create') throw unsupportedMethod(req);
      const body = req.body;
      if (!isPlainObject(body)) throw classicError(400, 'A JSON body with the template is required');
      for (const key of Object.keys(body)) {
        if (!TEMPLATE_FIELDS.includes(key))
          throw classicError(400, `Unknown field "${key}"`, { code: 'FIELD_INVALID' });
      }
      const accountId = typeof body.account === 'string' ? parseAccountUrn(body.account) : undefined;
      if (accountId === undefined) {
        throw classicError(400, 'account must be a urn:li:sponsoredAccount:N URN', { code: 'FIELD_INVALID' });
      }
      writeRoleOrThrow(req, accountId);
      const name = checkName(body.name);
      const description = checkDescription(body.description);
      const criteria = criteriaFor(req, body.targetingCriteria, 'targetingCriteria');
      const now = ctx.now();
      const saved = ctx.templates.create({
        account: accountUrn(accountId),
        name,
        ...(description !== undefined ? { description } : {}),
        targetingCriteria: body.targetingCriteria as TargetingCriteria,
        approximateMemberCount: roundAudienceCount(ctx.engine.count(evaluate(ctx, criteria))),
        created: { time: now },
        lastModified: { time: now },
      });
      return {
        status: 201,
        headers: { 'x-restli-id': String(saved.id), location: `/adTargetTemplates/${saved.id}` },
      };
    }
    case 'GET': {
      requireScope(req, READ_ADS);
      const template = templateFor(req);
      if (!roleOn(req.member, parseAccountUrn(template.account)!)) throw userNotAuthorized();
      return ok(template);
    }
    case 'FINDER': {
      requireScope(req, READ_ADS);
      if (req.query.string('q') !== 'account') throw unknownFinder(req);
      req.query.allowOnly(['q', 'account', 'start', 'count', 'fields', 'filter', 'sortField', 'sortOrder']);
      const account = req.query.requireString('account');
      const accountId = parseAccountUrn(account);
      if (accountId === undefined)
        throw inputError('PARAM_INVALID', 'account', `${account} is not a sponsored account URN`);
      if (!roleOn(req.member, accountId)) throw userNotAuthorized();
      const sortOrder = req.query.string('sortOrder') ?? 'ASCENDING';
      if (sortOrder !== 'ASCENDING' && sortOrder !== 'DESCENDING') throw inputError('PARAM_INVALID', 'sortOrder');
      const templates = ctx.templates.byAccount(accountUrn(accountId));
      if (sortOrder === 'DESCENDING') templates.reverse();
      return ok(page(req, templates, 100));
    }
    case 'PARTIAL_UPDATE': {
      if (req.restliMethodHeader && req.restliMethodHeader !== 'partial_update') throw unsupportedMethod(req);
      const template = templateFor(req);
      writeRoleOrThrow(req, parseAccountUrn(template.account)!);
      const patch = isPlainObject(req.body) ? req.body.patch : undefined;
      if (!isPlainObject(patch)) throw classicError(400, 'A partial update needs a body {"patch": {"$set": {...}}}');
      const set = patch.$set ?? {};
      const unset = patch.$delete ?? [];
      if (!isPlainObject(set) || !Array.isArray(unset)) throw classicError(400, 'Malformed patch');
      const next: AdTargetTemplate = { ...template };
      for (const [field, value] of Object.entries(set)) {
        if (field === 'name') next.name = checkName(value);
        else if (field === 'description') next.description = checkDescription(value);
        else if (field === 'targetingCriteria') {
          criteriaFor(req, value, 'patch.$set.targetingCriteria');
          next.targetingCriteria = value as TargetingCriteria;
        } else throw classicError(400, `Field "${field}" cannot be updated`, { code: 'FIELD_INVALID' });
      }
      for (const field of unset) {
        if (field !== 'description') throw classicError(400, `Field ${JSON.stringify(field)} cannot be deleted`);
        delete next.description;
      }
      next.approximateMemberCount = roundAudienceCount(
        ctx.engine.count(evaluate(ctx, criteriaFor(req, next.targetingCriteria, 'targetingCriteria'))),
      );
      next.lastModified = { time: ctx.now() };
      ctx.templates.replace(next);
      return { status: 204 };
    }
    case 'DELETE': {
      const template = templateFor(req);
      writeRoleOrThrow(req, parseAccountUrn(template.account)!);
      ctx.templates.delete(template.id);
      return { status: 204 };
    }
    case 'BATCH_DELETE': {
      req.query.allowOnly(['ids']);
      const ids = req.query.stringList('ids') ?? [];
      const results: Record<string, { status: number }> = {};
      const errors: Record<string, { status: number; message: string }> = {};
      for (const raw of ids) {
        const template = /^\d+$/.test(raw) ? ctx.templates.get(Number(raw)) : undefined;
        if (!template) {
          errors[raw] = { status: 404, message: `Saved audience template ${raw} does not exist` };
          continue;
        }
        writeRoleOrThrow(req, parseAccountUrn(template.account)!);
        ctx.templates.delete(template.id);
        results[raw] = { status: 204 };
      }
      return ok({ results, errors });
    }
    default:
      throw unsupportedMethod(req);
  }
}

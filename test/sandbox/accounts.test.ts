import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdAccountUser } from '../../src/linkedin/types.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { type Api, apiFor, sandboxWithApi } from './helpers.js';

let sandbox: Sandbox;
let maya: Api;
const as = (member: string, scopes?: string[]) =>
  apiFor(sandbox, sandbox.issueToken(member, scopes ? { scopes } : {}).access_token);

beforeAll(async () => {
  ({ sandbox, api: maya } = await sandboxWithApi({ populationSize: 2000 }));
});
afterAll(() => sandbox.close());

const json = async <T>(res: Response, status = 200): Promise<T> => {
  expect(res.status, await res.clone().text()).toBe(status);
  return (await res.json()) as T;
};

describe('adAccountUsers?q=authenticatedUser', () => {
  it('lists each demo member’s accounts and roles', async () => {
    const roles = async (member: string) =>
      (
        await json<{ elements: AdAccountUser[] }>(await as(member).get('/rest/adAccountUsers?q=authenticatedUser'))
      ).elements.map((e) => [e.account, e.role]);
    expect(await roles('maya-chen')).toEqual([
      ['urn:li:sponsoredAccount:123', 'ACCOUNT_MANAGER'],
      ['urn:li:sponsoredAccount:508915158', 'ACCOUNT_MANAGER'],
      ['urn:li:sponsoredAccount:516413367', 'VIEWER'],
    ]);
    expect(await roles('liam-okafor')).toEqual([['urn:li:sponsoredAccount:516413367', 'VIEWER']]);
    expect(await roles('sofia-rossi')).toContainEqual(['urn:li:sponsoredAccount:507404993', 'CAMPAIGN_MANAGER']);
    expect(await roles('noah-berg')).toEqual([]);
  });

  it('has the documented element and paging shape', async () => {
    const body = await json<{ elements: AdAccountUser[]; paging: unknown }>(
      await maya.get('/rest/adAccountUsers?q=authenticatedUser&start=1&count=1'),
    );
    expect(body.paging).toEqual({ count: 1, start: 1, links: [], total: 3 });
    expect(body.elements).toEqual([
      {
        account: 'urn:li:sponsoredAccount:508915158',
        changeAuditStamps: {
          created: { actor: 'urn:li:unknown:0', time: expect.any(Number) },
          lastModified: { actor: 'urn:li:unknown:0', time: expect.any(Number) },
        },
        role: 'ACCOUNT_MANAGER',
        user: 'urn:li:person:maya-chen',
        version: { versionTag: '1' },
      },
    ]);
  });

  it('needs r_ads or rw_ads', async () => {
    const res = await as('maya-chen', ['openid', 'profile']).get('/rest/adAccountUsers?q=authenticatedUser');
    const body = await json<{ code: string; message: string }>(res, 403);
    expect(body.code).toBe('ACCESS_DENIED');
    expect(body.message).toBe('Not enough permissions to access: adAccountUsers.FINDER-authenticatedUser.20260901');
  });

  it('lists an account’s users (q=accounts) and gets one by complex key', async () => {
    const users = await json<{ elements: AdAccountUser[] }>(
      await maya.get('/rest/adAccountUsers?q=accounts&accounts=urn%3Ali%3AsponsoredAccount%3A516413367'),
    );
    expect(users.elements.map((u) => u.user).sort()).toEqual(['urn:li:person:liam-okafor', 'urn:li:person:maya-chen']);
    const one = await json<AdAccountUser>(
      await maya.get(
        '/rest/adAccountUsers/(account:urn%3Ali%3AsponsoredAccount%3A516413367,user:urn%3Ali%3Aperson%3Aliam-okafor)',
      ),
    );
    expect(one.role).toBe('VIEWER');
    expect(
      (await as('liam-okafor').get('/rest/adAccountUsers?q=accounts&accounts=urn:li:sponsoredAccount:123')).status,
    ).toBe(403);
  });
});

describe('adAccounts', () => {
  it('gets an account the member can access', async () => {
    const account = await json<Record<string, unknown>>(await maya.get('/rest/adAccounts/123'));
    expect(account).toMatchObject({
      id: 123,
      name: 'Northwind Traders – Global',
      currency: 'USD',
      status: 'ACTIVE',
      type: 'BUSINESS',
      test: false,
      servingStatuses: ['RUNNABLE'],
    });
    expect((await maya.get('/rest/adAccounts/507404993')).status).toBe(403);
    expect((await maya.get('/rest/adAccounts/999')).status).toBe(404);
  });

  it('BATCH_GET returns results, statuses and errors', async () => {
    const body = await json<{
      results: Record<string, { name: string }>;
      statuses: unknown;
      errors: Record<string, { status: number }>;
    }>(await maya.get('/rest/adAccounts?ids=List(123,516413367,507404993,999)'));
    expect(Object.keys(body.results).sort()).toEqual(['123', '516413367']);
    expect(body.results['516413367']!.name).toBe('Contoso Agency – Client Pitches');
    expect(body.statuses).toEqual({ '123': 200, '516413367': 200, '507404993': 403, '999': 404 });
    expect(body.errors['507404993']!.status).toBe(403);
    expect(body.errors['999']!.status).toBe(404);
  });

  it('projects fields', async () => {
    const body = await json<{ results: Record<string, unknown> }>(
      await maya.get('/rest/adAccounts?ids=List(123)&fields=id,name,currency'),
    );
    expect(body.results['123']).toEqual({ id: 123, name: 'Northwind Traders – Global', currency: 'USD' });
  });

  it('searches with cursor paging', async () => {
    type Page = { elements: Array<{ id: number }>; metadata: { nextPageToken?: string }; paging: unknown };
    const first = await json<Page>(
      await maya.get('/rest/adAccounts?q=search&search=(status:(values:List(ACTIVE)),test:false)&pageSize=2'),
    );
    expect(first.elements.map((a) => a.id)).toEqual([123, 508915158]);
    expect(first.paging).toEqual({ count: 2, links: [], start: 0 });
    const token = first.metadata.nextPageToken!;
    expect(token).toBeTruthy();
    const second = await json<Page>(
      await maya.get(
        `/rest/adAccounts?q=search&search=(status:(values:List(ACTIVE)),test:false)&pageSize=2&pageToken=${token}`,
      ),
    );
    expect(second.elements.map((a) => a.id)).toEqual([516413367]);
    expect(second.metadata.nextPageToken).toBeUndefined();
    const all = await json<Page>(await maya.get('/rest/adAccounts?q=search'));
    expect(all.elements).toHaveLength(3);
    const byName = await json<Page>(await maya.get('/rest/adAccounts?q=search&search=(name:(values:List(emea)))'));
    expect(byName.elements.map((a) => a.id)).toEqual([508915158]);
    const closed = await json<Page>(
      await as('sofia-rossi').get('/rest/adAccounts?q=search&search=(status:(values:List(CANCELED)))'),
    );
    expect(closed.elements.map((a) => a.id)).toEqual([502840441]);
  });

  it('rejects bad search input', async () => {
    expect((await maya.get('/rest/adAccounts?q=search&search=(colour:(values:List(red)))')).status).toBe(400);
    expect((await maya.get('/rest/adAccounts?q=search&pageToken=garbage')).status).toBe(400);
    expect((await maya.get('/rest/adAccounts?q=nope')).status).toBe(400);
  });
});

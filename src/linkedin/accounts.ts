import { z } from 'zod';
import type { LinkedInApi } from './api.js';
import { collectionOf, collectPages, expectShape, type RequestCore } from './core.js';
import type { AdAccount, AdAccountRole, MemberAdAccount } from './types.js';

const ACCOUNT_URN = /^urn:li:sponsoredAccount:(\d+)$/;
const PAGE_SIZE = 100;

const accountUser = z.object({
  account: z.string(),
  // Enums are read as strings: a role or status LinkedIn adds later must not break the account picker.
  role: z.string(),
});

const adAccount = z.object({
  id: z.number(),
  name: z.string(),
  currency: z.string(),
  status: z.string(),
  test: z.boolean().optional(),
});

// Standard Rest.li BATCH_GET envelope; ids that failed are in `errors`, not in `results`.
const batchGet = z.object({ results: z.record(z.string(), adAccount) });

export const accountIdOf = (urn: string): number | undefined => {
  const match = ACCOUNT_URN.exec(urn);
  return match ? Number(match[1]) : undefined;
};

export const accountEndpoints = (core: RequestCore): Pick<LinkedInApi, 'adAccounts'> => ({
  async adAccounts(token) {
    const usersEndpoint = 'adAccountUsers.authenticatedUser';
    const users = await collectPages(PAGE_SIZE, async (start, count) => {
      const response = await core.rest({
        endpoint: usersEndpoint,
        token,
        path: '/adAccountUsers',
        query: { q: 'authenticatedUser', start, count },
        restliMethod: 'finder',
      });
      const page = expectShape(collectionOf(accountUser), response, usersEndpoint);
      return { elements: page.elements, total: page.paging?.total };
    });

    const roles = new Map<number, AdAccountRole>();
    for (const user of users) {
      const id = accountIdOf(user.account);
      if (id !== undefined && !roles.has(id)) roles.set(id, user.role as AdAccountRole);
    }
    if (roles.size === 0) return [];

    const accountsEndpoint = 'adAccounts.batchGet';
    const response = await core.rest({
      endpoint: accountsEndpoint,
      token,
      path: '/adAccounts',
      query: { ids: [...roles.keys()] },
      restliMethod: 'batch_get',
    });
    const { results } = expectShape(batchGet, response, accountsEndpoint);

    // Accounts whose details LinkedIn did not return are left out rather than shown with invented fields.
    return [...roles].flatMap(([id, role]): MemberAdAccount[] => {
      const account = results[String(id)];
      if (!account) return [];
      return [
        {
          urn: `urn:li:sponsoredAccount:${id}`,
          id,
          name: account.name,
          status: account.status as AdAccount['status'],
          currency: account.currency,
          test: account.test ?? false,
          role,
        },
      ];
    });
  },
});

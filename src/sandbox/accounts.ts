/**
 * Demo members and their ad accounts. The first member has a role on account 123, the sponsored account of the
 * Audience Insights documentation sample, so the documented request works verbatim.
 */
import type { AdAccount, AdAccountRole } from '../linkedin/types.js';

export interface DemoAccountRole {
  account: AdAccount;
  role: AdAccountRole;
}

export interface DemoMember {
  /** The member id: `sub` of /v2/userinfo, `urn:li:person:{id}`, and the `member=` shortcut of the authorize page. */
  id: string;
  urn: string;
  firstName: string;
  lastName: string;
  name: string;
  headline: string;
  email: string;
  /** LinkedIn returns both shapes in the wild (reference §1.7); the demo members use both. */
  locale: string | { country: string; language: string };
  accounts: DemoAccountRole[];
}

const account = (id: number, name: string, extra: Partial<AdAccount> & { reference: string }): AdAccount => ({
  id,
  name,
  currency: 'USD',
  status: 'ACTIVE',
  type: 'BUSINESS',
  test: false,
  servingStatuses: ['RUNNABLE'],
  ...extra,
});

export const DEMO_ACCOUNTS: readonly AdAccount[] = [
  account(123, 'Northwind Traders – Global', { reference: 'urn:li:organization:91900001' }),
  account(508915158, 'Northwind Traders – EMEA', { currency: 'EUR', reference: 'urn:li:organization:91900001' }),
  account(516413367, 'Contoso Agency – Client Pitches', {
    type: 'ENTERPRISE',
    reference: 'urn:li:organization:91900002',
  }),
  account(507404993, 'Fabrikam Growth Marketing', { currency: 'GBP', reference: 'urn:li:organization:91900003' }),
  account(502840441, 'Wide World Importers (closed)', {
    status: 'CANCELED',
    servingStatuses: ['STOPPED'],
    reference: 'urn:li:organization:91900004',
  }),
];

const byId = (id: number): AdAccount => DEMO_ACCOUNTS.find((a) => a.id === id)!;

/** Builds fresh member objects (callers may not share mutable state across sandboxes). */
export function demoMembers(): DemoMember[] {
  const member = (
    id: string,
    firstName: string,
    lastName: string,
    headline: string,
    locale: DemoMember['locale'],
    roles: Array<[number, AdAccountRole]>,
  ): DemoMember => ({
    id,
    urn: `urn:li:person:${id}`,
    firstName,
    lastName,
    name: `${firstName} ${lastName}`,
    headline,
    email: `${firstName}.${lastName}@example.com`.toLowerCase(),
    locale,
    accounts: roles.map(([accountId, role]) => ({ account: byId(accountId), role })),
  });
  return [
    member('maya-chen', 'Maya', 'Chen', 'Head of Demand Generation at Northwind Traders', 'en-US', [
      [123, 'ACCOUNT_MANAGER'],
      [508915158, 'ACCOUNT_MANAGER'],
      [516413367, 'VIEWER'],
    ]),
    member('liam-okafor', 'Liam', 'Okafor', 'Strategist at Contoso Agency', { country: 'GB', language: 'en' }, [
      [516413367, 'VIEWER'],
    ]),
    member('sofia-rossi', 'Sofia', 'Rossi', 'Campaign Manager at Fabrikam', { country: 'IT', language: 'it' }, [
      [507404993, 'CAMPAIGN_MANAGER'],
      [502840441, 'CAMPAIGN_MANAGER'],
    ]),
    member('noah-berg', 'Noah', 'Berg', 'Freelance consultant (no ad accounts)', 'en-US', []),
  ];
}

/** Roles that may write (rw_ads operations, reference §1.6). */
export const WRITE_ROLES: readonly AdAccountRole[] = ['ACCOUNT_BILLING_ADMIN', 'ACCOUNT_MANAGER', 'CAMPAIGN_MANAGER'];

export const accountUrn = (id: number): string => `urn:li:sponsoredAccount:${id}`;

export function parseAccountUrn(urn: string): number | undefined {
  const m = /^urn:li:sponsoredAccount:(\d+)$/.exec(urn);
  return m ? Number(m[1]) : undefined;
}

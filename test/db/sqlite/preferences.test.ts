import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/types.js';
import type { MemberAdAccount } from '../../../src/linkedin/types.js';
import { makeTempDir, openTestDb, type TempDir } from '../helpers.js';

const ada = { teamId: 'T0001', userId: 'U0001' };
const bob = { teamId: 'T0001', userId: 'U0002' };

const accounts: MemberAdAccount[] = [
  {
    urn: 'urn:li:sponsoredAccount:507404993',
    id: 507404993,
    name: 'Acme — EMEA',
    status: 'ACTIVE',
    currency: 'EUR',
    test: false,
    role: 'ACCOUNT_MANAGER',
  },
  {
    urn: 'urn:li:sponsoredAccount:1',
    id: 1,
    name: 'Sandbox test account',
    status: 'DRAFT',
    currency: 'USD',
    test: true,
    role: 'VIEWER',
  },
];

describe('preferences repository', () => {
  let dir: TempDir;
  let db: Database;

  beforeEach(() => {
    dir = makeTempDir();
    db = openTestDb(dir);
  });
  afterEach(() => {
    db.close();
    dir.remove();
  });

  it('sets, replaces and clears the default ad account per person', () => {
    const prefs = db.repos.preferences;
    expect(prefs.getDefaultAccount(ada)).toBeUndefined();
    prefs.setDefaultAccount(ada, 'urn:li:sponsoredAccount:1');
    prefs.setDefaultAccount(ada, 'urn:li:sponsoredAccount:507404993');
    expect(prefs.getDefaultAccount(ada)).toBe('urn:li:sponsoredAccount:507404993');
    expect(prefs.getDefaultAccount(bob)).toBeUndefined();
    prefs.setDefaultAccount(ada, undefined);
    expect(prefs.getDefaultAccount(ada)).toBeUndefined();
  });

  it('caches ad accounts per person without touching the default account', () => {
    const prefs = db.repos.preferences;
    prefs.setDefaultAccount(ada, accounts[0]!.urn);
    expect(prefs.getCachedAccounts(ada)).toBeUndefined();
    prefs.setCachedAccounts(ada, accounts);
    expect(prefs.getCachedAccounts(ada)).toEqual(accounts);
    expect(prefs.getDefaultAccount(ada)).toBe(accounts[0]!.urn);
    prefs.setCachedAccounts(ada, []);
    expect(prefs.getCachedAccounts(ada)).toEqual([]);
    expect(prefs.getCachedAccounts(bob)).toBeUndefined();
    // Setting the default later keeps the cache.
    prefs.setCachedAccounts(bob, accounts.slice(1));
    prefs.setDefaultAccount(bob, accounts[1]!.urn);
    expect(prefs.getCachedAccounts(bob)).toEqual(accounts.slice(1));
  });

  it('keeps a chart style per workspace', () => {
    const prefs = db.repos.preferences;
    expect(prefs.getWorkspaceChartStyle('T0001')).toBeUndefined();
    prefs.setWorkspaceChartStyle('T0001', 'native');
    prefs.setWorkspaceChartStyle('T0002', 'upload');
    prefs.setWorkspaceChartStyle('T0001', 'quickchart');
    expect(prefs.getWorkspaceChartStyle('T0001')).toBe('quickchart');
    expect(prefs.getWorkspaceChartStyle('T0002')).toBe('upload');
    prefs.setWorkspaceChartStyle('T0001', undefined);
    expect(prefs.getWorkspaceChartStyle('T0001')).toBeUndefined();
  });

  it('survives closing and reopening the database', () => {
    db.repos.preferences.setDefaultAccount(ada, accounts[0]!.urn);
    db.repos.preferences.setWorkspaceChartStyle('T0001', 'native');
    db.close();
    db = openTestDb(dir);
    expect(db.repos.preferences.getDefaultAccount(ada)).toBe(accounts[0]!.urn);
    expect(db.repos.preferences.getWorkspaceChartStyle('T0001')).toBe('native');
  });
});

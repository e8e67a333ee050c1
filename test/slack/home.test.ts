/**
 * The App Home through the real app: `app_home_opened` publishes it; its buttons and picker act on the link.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LINK_ACTION_IDS, QUERY_RERUN_ACTION_ID } from '../../src/slack/blocks/linking.js';
import { checkView } from '../support/blockKitLimits.js';
import { appHomeOpened, retryOf, signEvent, TEST_TEAM_ID } from '../support/slackRequests.js';
import { createTestApp, findButtonUrl, type TestApp } from '../support/testApp.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const U1 = { teamId: TEST_TEAM_ID, userId: 'U1' };
const blocksOf = (view: Record<string, any> | undefined): any[] => view?.blocks ?? [];
const picker = (view: Record<string, any> | undefined) =>
  blocksOf(view).find((b) => b.accessory?.action_id === LINK_ACTION_IDS.defaultAccount)?.accessory;

describe('App Home', () => {
  it('is published when the person opens the Home tab', async () => {
    const res = await t.event(appHomeOpened({ userId: 'U1' }));
    expect(res.statusCode).toBe(200);
    const publish = t.slack.lastCall('views.publish')!;
    expect(publish.args.user_id).toBe('U1');
    expect(publish.problems).toBeUndefined();
    expect(checkView(publish.args.view)).toEqual([]);
    expect(JSON.stringify(publish.args.view)).toContain(LINK_ACTION_IDS.startLink);
    expect(JSON.stringify(publish.args.view)).toContain('sandbox');
  });

  it('is not published for the Messages tab', async () => {
    await t.event(appHomeOpened({ userId: 'U1', tab: 'messages' }));
    expect(t.slack.callsTo('views.publish')).toHaveLength(0);
  });

  it('is published once when Slack retries the event', async () => {
    const first = signEvent(appHomeOpened({ userId: 'U1', eventId: 'EvHome1' }), t.sign());
    await t.server.inject(first);
    const retry = await t.server.inject(retryOf(first, t.sign({ retryNum: 1 })));
    expect(retry.headers['x-slack-no-retry']).toBe('1');
    expect(t.slack.callsTo('views.publish')).toHaveLength(1);
  });

  it('shows the linked member, the account picker and recent queries with Re-run', async () => {
    await t.linkUser({ userId: 'U1' });
    const accountUrn = t.app.db.repos.preferences.getDefaultAccount(U1)!;
    t.app.db.repos.queries.create({
      id: 'q-home-1',
      ...U1,
      spec: {
        accountUrn,
        criteria: { include: { and: [{ or: { 'urn:li:adTargetingFacet:locations': ['urn:li:geo:103644278'] } }] } },
        groupBy: 'urn:li:adTargetingFacet:jobFunctions',
        orderBy: 'AUDIENCE_PERCENTAGE',
        maxReturnCount: 10,
      },
      status: 'done',
      names: { 'urn:li:geo:103644278': 'United States' },
    });
    await t.event(appHomeOpened({ userId: 'U1' }));
    const view = t.slack.homeOf('U1');
    expect(checkView(view)).toEqual([]);
    const text = JSON.stringify(view);
    expect(text).toContain('Maya Chen');
    expect(text).toContain(LINK_ACTION_IDS.unlink);
    expect(picker(view).initial_option.value).toBe(accountUrn);
    const rerun = blocksOf(view).find((b) => b.accessory?.action_id === QUERY_RERUN_ACTION_ID);
    expect(rerun.accessory.value).toBe('q-home-1');
    expect(rerun.text.text).toContain('By Job Functions');
    expect(rerun.text.text).toContain('United States');
  });

  it('stores the default account picked in the Home and republishes it', async () => {
    await t.linkUser({ userId: 'U1' });
    const accounts = await t.app.linking.accounts(U1);
    const chosen = accounts.at(-1)!;
    const before = t.slack.callsTo('views.publish').length;
    const res = await t.action({
      actionId: LINK_ACTION_IDS.defaultAccount,
      type: 'static_select',
      selectedValue: chosen.urn,
      userId: 'U1',
      container: 'home',
    });
    expect(res.statusCode).toBe(200);
    expect(t.app.db.repos.preferences.getDefaultAccount(U1)).toBe(chosen.urn);
    expect(t.slack.callsTo('views.publish')).toHaveLength(before + 1);
    expect(picker(t.slack.homeOf('U1')).initial_option.value).toBe(chosen.urn);
  });

  it('ignores an account that is not the member’s', async () => {
    await t.linkUser({ userId: 'U1' });
    const before = t.app.db.repos.preferences.getDefaultAccount(U1);
    await t.action({
      actionId: LINK_ACTION_IDS.defaultAccount,
      type: 'static_select',
      selectedValue: 'urn:li:sponsoredAccount:1',
      userId: 'U1',
      container: 'home',
    });
    expect(t.app.db.repos.preferences.getDefaultAccount(U1)).toBe(before);
  });

  it('opens a modal with a fresh one-time link from the Link button', async () => {
    const res = await t.action({
      actionId: LINK_ACTION_IDS.startLink,
      userId: 'U1',
      container: 'home',
      triggerId: '9.9.home',
    });
    expect(res.statusCode).toBe(200);
    const open = t.slack.lastCall('views.open')!;
    expect(open.args.trigger_id).toBe('9.9.home');
    expect(checkView(open.args.view)).toEqual([]);
    const url = findButtonUrl(open.args.view)!;
    const browser = t.browser();
    expect((await browser.get(url)).statusCode).toBe(302);
  });

  it('unlinks from the Unlink button and republishes the Home', async () => {
    await t.linkUser({ userId: 'U1' });
    await t.action({ actionId: LINK_ACTION_IDS.unlink, userId: 'U1', container: 'home' });
    expect(t.app.db.repos.links.get(U1)).toBeUndefined();
    expect(JSON.stringify(t.slack.homeOf('U1'))).toContain('not linked');
  });

  it('reloads the ad accounts from LinkedIn', async () => {
    await t.linkUser({ userId: 'U1' });
    const accounts = t.app.db.repos.preferences.getCachedAccounts(U1)!;
    t.app.db.repos.preferences.setCachedAccounts(U1, accounts.slice(0, 1));
    await t.action({ actionId: LINK_ACTION_IDS.refreshAccounts, userId: 'U1', container: 'home' });
    expect(t.app.db.repos.preferences.getCachedAccounts(U1)).toEqual(accounts);
    expect(picker(t.slack.homeOf('U1')).options).toHaveLength(accounts.length);
  });

  it('acknowledges the click on a link button without doing anything else', async () => {
    const res = await t.action({ actionId: LINK_ACTION_IDS.openLink, userId: 'U1' });
    expect(res.statusCode).toBe(200);
    expect(t.slack.calls).toHaveLength(0);
  });
});

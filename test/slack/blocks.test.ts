import { describe, expect, it } from 'vitest';
import type { StoredQuery } from '../../src/db/types.js';
import type { MemberAdAccount } from '../../src/linkedin/types.js';
import type { LinkStatusView } from '../../src/linking/types.js';
import { recentQueryItem, renderHome } from '../../src/slack/blocks/home.js';
import {
  LINK_ACTION_IDS,
  linkModal,
  linkPromptMessage,
  QUERY_RERUN_ACTION_ID,
  statusMessage,
} from '../../src/slack/blocks/linking.js';
import { helpMessage } from '../../src/slack/commands/help.js';
import { checkMessageBlocks, checkView } from '../support/blockKitLimits.js';

const account = (id: number, name = `Account ${id}`): MemberAdAccount => ({
  urn: `urn:li:sponsoredAccount:${id}`,
  id,
  name,
  status: 'ACTIVE',
  currency: 'USD',
  test: false,
  role: 'CAMPAIGN_MANAGER',
});

const linked = (overrides: Partial<Extract<LinkStatusView, { linked: true }>> = {}): LinkStatusView => ({
  linked: true,
  status: 'active',
  memberName: 'Ada <Lovelace> & Co',
  memberUrn: 'urn:li:person:abc',
  scopes: ['r_ads'],
  linkedAt: Date.UTC(2026, 0, 2),
  accessTokenExpiresAt: Date.UTC(2026, 2, 2),
  canRefresh: true,
  accounts: [account(1), account(2)],
  defaultAccountUrn: 'urn:li:sponsoredAccount:2',
  ...overrides,
});

const json = (value: unknown) => JSON.stringify(value);
const find = (blocks: any[], predicate: (b: any) => boolean) => blocks.find(predicate);

describe('renderHome', () => {
  it('shows an unlinked person a Link button and no account picker', () => {
    const view = renderHome({ link: { linked: false }, recentQueries: [] });
    expect(checkView(view)).toEqual([]);
    expect(json(view)).toContain(LINK_ACTION_IDS.startLink);
    expect(json(view)).not.toContain(LINK_ACTION_IDS.defaultAccount);
    expect(json(view)).toContain('not linked');
  });

  it('shows a linked member with Unlink and the default account pre-selected, escaping the name', () => {
    const view = renderHome({ link: linked(), recentQueries: [] });
    expect(checkView(view)).toEqual([]);
    const text = json(view);
    expect(text).toContain('Ada &lt;Lovelace&gt; &amp; Co');
    expect(text).toContain(LINK_ACTION_IDS.unlink);
    const picker = find(
      view.blocks as any[],
      (b) => b.accessory?.action_id === LINK_ACTION_IDS.defaultAccount,
    ).accessory;
    expect(picker.type).toBe('static_select');
    expect(picker.options.map((o: any) => o.value)).toEqual(['urn:li:sponsoredAccount:1', 'urn:li:sponsoredAccount:2']);
    expect(picker.initial_option.value).toBe('urn:li:sponsoredAccount:2');
    expect(picker.options[0].text.text).toBe('Account 1 (CAMPAIGN_MANAGER)');
  });

  it('offers "Link again" when the link needs re-linking', () => {
    const view = renderHome({ link: linked({ status: 'needs_relink' }), recentQueries: [] });
    expect(json(view)).toContain('Link again');
    expect(json(view)).toContain(LINK_ACTION_IDS.startLink);
  });

  it('stays within Slack limits with 150 accounts and very long names, keeping the role visible', () => {
    const accounts = Array.from({ length: 150 }, (_, i) =>
      account(i + 1, `A very long advertising account name ${'x'.repeat(80)}`),
    );
    const view = renderHome({ link: linked({ accounts, defaultAccountUrn: accounts[120]!.urn }), recentQueries: [] });
    expect(checkView(view)).toEqual([]);
    const picker = find(
      view.blocks as any[],
      (b) => b.accessory?.action_id === LINK_ACTION_IDS.defaultAccount,
    ).accessory;
    expect(picker.options).toHaveLength(100);
    expect(picker.options[0].text.text).toMatch(/… \(CAMPAIGN_MANAGER\)$/);
    // The default is beyond the first 100: no initial option rather than an invalid one.
    expect(picker.initial_option).toBeUndefined();
  });

  it('lists recent queries with a Re-run button carrying the query id', () => {
    const recent = Array.from({ length: 12 }, (_, i) => ({
      id: `q${i}`,
      title: `By Job Functions ${i}`,
      detail: 'United States',
      status: 'done' as const,
      createdAt: Date.UTC(2026, 0, 2),
    }));
    const view = renderHome({ link: linked(), recentQueries: recent });
    expect(checkView(view)).toEqual([]);
    const reruns = (view.blocks as any[]).filter((b) => b.accessory?.action_id === QUERY_RERUN_ACTION_ID);
    expect(reruns.map((b) => b.accessory.value)).toEqual(recent.slice(0, 8).map((q) => q.id));
  });

  it('summarises a stored query by breakdown and first filters, using resolved names', () => {
    const query: StoredQuery = {
      id: 'q1',
      teamId: 'T1',
      userId: 'U1',
      spec: {
        accountUrn: 'urn:li:sponsoredAccount:1',
        criteria: {
          include: {
            and: [
              { or: { 'urn:li:adTargetingFacet:locations': ['urn:li:geo:103644278'] } },
              { or: { 'urn:li:adTargetingFacet:skills': ['urn:li:skill:17', 'urn:li:skill:18', 'urn:li:skill:19'] } },
            ],
          },
        },
        groupBy: 'urn:li:adTargetingFacet:jobFunctions',
        orderBy: 'AUDIENCE_PERCENTAGE',
        maxReturnCount: 10,
      },
      status: 'done',
      result: { groupedBy: 'jobFunctions', totalAudienceCount: 1234567, segments: [] },
      names: { 'urn:li:geo:103644278': 'United States', 'urn:li:skill:17': 'Python' },
      createdAt: 1,
      updatedAt: 1,
    };
    expect(recentQueryItem(query)).toEqual({
      id: 'q1',
      title: 'By Job Functions',
      detail: 'United States, Python, urn:li:skill:18 +1 more · 1,234,567 members',
      status: 'done',
      createdAt: 1,
    });
  });
});

describe('linking messages', () => {
  it('puts the one-time link in a URL button and says it works once', () => {
    const message = linkPromptMessage({
      url: 'https://bot.test/oauth/linkedin/start?ticket=a.b',
      expiresAt: Date.UTC(2026, 0, 1),
      reason: 'link',
    });
    expect(checkMessageBlocks(message.blocks)).toEqual([]);
    const button = (message.blocks[1] as any).elements[0];
    expect(button).toMatchObject({
      type: 'button',
      url: 'https://bot.test/oauth/linkedin/start?ticket=a.b',
      action_id: LINK_ACTION_IDS.openLink,
    });
    expect(json(message)).toContain('works once');
  });

  it('builds a valid link modal', () => {
    const view = linkModal({ url: 'https://bot.test/x', expiresAt: 0 });
    expect(checkView(view)).toEqual([]);
  });

  it('describes the status for unlinked, linked and expired links', () => {
    expect(statusMessage({ linked: false }).text).toContain('/audience link');
    const ok = statusMessage(linked({ defaultAccount: account(2) }));
    expect(checkMessageBlocks(ok.blocks)).toEqual([]);
    expect(json(ok)).toContain('Account 2 (2)');
    expect(json(statusMessage(linked({ status: 'needs_relink' })))).toContain('expired or was revoked');
    expect(json(statusMessage(linked({ accounts: [], defaultAccountUrn: undefined })))).toContain('no ad account');
  });

  it('help covers every sub-command, including the query ones, within limits', () => {
    const help = helpMessage();
    expect(checkMessageBlocks(help.blocks)).toEqual([]);
    const text = json(help);
    for (const piece of [
      '`/audience`',
      'by:jobFunctions location:\\"United States\\" skill:Python title:\\"Data Engineer\\" top:10',
      '/audience link',
      '/audience status',
      '/audience unlink',
      '/audience help',
    ]) {
      expect(text).toContain(piece);
    }
  });
});

/**
 * The App Home, rendered from plain data by a pure function: the link (with Link/Unlink), the default ad account
 * picker, the workspace's chart style (a picker for workspace admins and owners only), and recent queries with a
 * Re-run button each.
 */
import type { types } from '@slack/bolt';
import type { StoredQuery } from '../../db/types.js';
import { findGroupByFacet } from '../../linkedin/facets.js';
import type { LinkStatusView } from '../../linking/types.js';
import { accountOption } from '../views/modal/elements.js';
import { CHART_STYLE_INFO, CHART_STYLES } from './chartStyles.js';
import {
  button,
  context,
  divider,
  escapeMrkdwn,
  header,
  type KnownBlock,
  LIMITS,
  option,
  plainText,
  type SlackMessage,
  section,
} from './kit.js';
import { LINK_ACTION_IDS, QUERY_RERUN_ACTION_ID, slackTime } from './linking.js';
import type { ChartStyle } from './types.js';

export const RECENT_QUERIES_SHOWN = 8;

export interface RecentQueryItem {
  id: string;
  title: string;
  detail?: string;
  status: 'pending' | 'done' | 'failed';
  createdAt: number;
}

/** The workspace's chart style as the Home shows it. */
export interface HomeChartStyle {
  /** The style new answers are drawn in. */
  current: ChartStyle;
  /** What an admin chose in the Home; undefined when the server's CHART_STYLE applies. */
  workspaceChoice?: ChartStyle;
  serverDefault: ChartStyle;
  /** Workspace admins and owners get the picker; everyone else only reads the setting. */
  canChange: boolean;
}

export interface HomeData {
  link: LinkStatusView;
  recentQueries: RecentQueryItem[];
  chartStyle?: HomeChartStyle;
  /** Shown as a note so nobody mistakes sandbox numbers for LinkedIn's. */
  linkedInMode?: 'sandbox' | 'live';
}

export const HOME_BLOCK_IDS = {
  link: 'home_link',
  account: 'home_default_account',
  chartStyle: 'home_chart_style',
  recent: 'home_recent',
} as const;

/** action_id of the workspace chart style picker. */
export const CHART_STYLE_ACTION_ID = 'workspace_chart_style';
/** The picker's value for "no workspace choice: use the server's CHART_STYLE". */
export const SERVER_DEFAULT_STYLE = 'server_default';

export function renderHome(data: HomeData): types.HomeView {
  const blocks: KnownBlock[] = [header('LinkedIn Audience Insights'), ...linkSection(data.link)];
  if (data.link.linked) blocks.push(...accountSection(data.link));
  if (data.chartStyle) blocks.push(...chartStyleSection(data.chartStyle));
  blocks.push(divider(), ...recentSection(data.recentQueries, data.link.linked));
  blocks.push(
    context(
      data.linkedInMode === 'sandbox'
        ? 'Connected to the LinkedIn *sandbox*: the numbers are synthetic. `/audience help` lists every command.'
        : '`/audience help` lists every command.',
    ),
  );
  return { type: 'home', blocks };
}

function linkSection(link: LinkStatusView): KnownBlock[] {
  if (!link.linked) {
    return [
      {
        ...section(
          '*LinkedIn:* not linked.\nLink your LinkedIn account to explore the audiences of your ad accounts.',
          HOME_BLOCK_IDS.link,
        ),
        accessory: button(LINK_ACTION_IDS.startLink, 'Link LinkedIn', undefined, { style: 'primary' }),
      },
    ];
  }
  const name = escapeMrkdwn(link.memberName);
  const text =
    link.status === 'needs_relink'
      ? `*LinkedIn:* :warning: linked as *${name}*, but the link has expired or was revoked.`
      : `*LinkedIn:* :white_check_mark: linked as *${name}* since ${slackTime(link.linkedAt, '{date_short_pretty}')}.`;
  const buttons: types.Button[] = [];
  if (link.status === 'needs_relink') {
    buttons.push(button(LINK_ACTION_IDS.startLink, 'Link again', undefined, { style: 'primary' }));
  }
  buttons.push({
    ...button(LINK_ACTION_IDS.unlink, 'Unlink', undefined, { style: 'danger' }),
    confirm: {
      title: plainText('Unlink LinkedIn?'),
      text: { type: 'mrkdwn', text: 'The bot loses access to your ad accounts until you link again.' },
      confirm: plainText('Unlink'),
      deny: plainText('Cancel'),
      style: 'danger',
    },
  });
  return [
    section(text, HOME_BLOCK_IDS.link),
    { type: 'actions', block_id: `${HOME_BLOCK_IDS.link}_actions`, elements: buttons },
  ];
}

function accountSection(link: Extract<LinkStatusView, { linked: true }>): KnownBlock[] {
  const reload = button(LINK_ACTION_IDS.refreshAccounts, 'Reload ad accounts');
  if (link.accounts.length === 0) {
    return [
      {
        ...section(
          '*Default ad account:* this LinkedIn member has no ad account with a role on it.',
          HOME_BLOCK_IDS.account,
        ),
        accessory: reload,
      },
    ];
  }
  // The same option the audience modal's account picker shows, so an account reads the same everywhere.
  const options = link.accounts.slice(0, LIMITS.staticOptions).map(accountOption);
  const initial = options.find((o) => o.value === link.defaultAccountUrn);
  const select: types.StaticSelect = {
    type: 'static_select',
    action_id: LINK_ACTION_IDS.defaultAccount,
    placeholder: plainText('Choose an ad account', LIMITS.placeholder),
    options,
    ...(initial ? { initial_option: initial } : {}),
  };
  const count = link.accounts.length;
  return [
    {
      ...section(
        `*Default ad account*\nQueries use this account unless you pick another. ${count} account${count === 1 ? '' : 's'} available.`,
        HOME_BLOCK_IDS.account,
      ),
      accessory: select,
    },
    { type: 'actions', block_id: `${HOME_BLOCK_IDS.account}_actions`, elements: [reload] },
  ];
}

/** Admins pick the style for everyone in the workspace; others see which one applies and who sets it. */
function chartStyleSection(style: HomeChartStyle): KnownBlock[] {
  const info = CHART_STYLE_INFO[style.current];
  const source = style.workspaceChoice ? 'chosen by a workspace admin' : 'the server default';
  if (!style.canChange) {
    return [context(`*Charts in this workspace:* ${info.label} (${source}). ${info.description}.`)];
  }
  const defaultInfo = CHART_STYLE_INFO[style.serverDefault];
  const options = [
    option(`Server default (${defaultInfo.label})`, SERVER_DEFAULT_STYLE, 'Whatever CHART_STYLE the bot runs with'),
    ...CHART_STYLES.map((s) => option(CHART_STYLE_INFO[s].label, s, CHART_STYLE_INFO[s].description)),
  ];
  const initial = options.find((o) => o.value === (style.workspaceChoice ?? SERVER_DEFAULT_STYLE));
  const select: types.StaticSelect = {
    type: 'static_select',
    action_id: CHART_STYLE_ACTION_ID,
    placeholder: plainText('Choose a chart style', LIMITS.placeholder),
    options,
    ...(initial ? { initial_option: initial } : {}),
  };
  return [
    {
      ...section(
        `*Chart style for this workspace*\nNow: ${info.label} (${source}). ${info.description}. Applies to new answers for everyone here; you see this because you are a workspace admin.`,
        HOME_BLOCK_IDS.chartStyle,
      ),
      accessory: select,
    },
  ];
}

/** Told (in the bot's DM) to someone who is not a workspace admin but sent a chart style change. */
export function chartStyleRefusedMessage(): SlackMessage {
  const text =
    'Only workspace admins and owners can change the chart style for this workspace. Ask one of them if the current style does not suit your team.';
  return { text, blocks: [section(`:lock: ${text}`)] };
}

const STATUS_ICON: Record<RecentQueryItem['status'], string> = {
  done: ':bar_chart:',
  pending: ':hourglass_flowing_sand:',
  failed: ':x:',
};

function recentSection(queries: RecentQueryItem[], linked: boolean): KnownBlock[] {
  const heading = section('*Recent queries*', HOME_BLOCK_IDS.recent);
  if (queries.length === 0) {
    return [
      heading,
      context(
        linked
          ? 'No queries yet. Type `/audience` in any channel to explore an audience.'
          : 'Your queries will show here once you have linked LinkedIn.',
      ),
    ];
  }
  return [
    heading,
    ...queries.slice(0, RECENT_QUERIES_SHOWN).map(
      (q): KnownBlock => ({
        ...section(
          `${STATUS_ICON[q.status]} *${escapeMrkdwn(q.title)}*${q.detail ? `\n${escapeMrkdwn(q.detail)}` : ''}\n${slackTime(q.createdAt)}`,
          `recent_${q.id}`.slice(0, 255),
        ),
        accessory: button(QUERY_RERUN_ACTION_ID, 'Re-run', q.id),
      }),
    ),
  ];
}

/** A stored query as one Home line: what it was broken down by, and its first filters by name. */
export function recentQueryItem(query: StoredQuery): RecentQueryItem {
  const facet = findGroupByFacet(query.spec.groupBy);
  const title = `By ${facet?.label ?? query.spec.groupBy}${query.compareSpec ? ' (comparison)' : ''}`;
  const names = query.names ?? {};
  const values = query.spec.criteria.include.and.flatMap((group) => Object.values(group.or).flat());
  const shown = values.slice(0, 3).map((urn) => names[urn] ?? urn);
  const more = values.length > shown.length ? ` +${values.length - shown.length} more` : '';
  const audience =
    query.result && query.status === 'done'
      ? ` · ${query.result.totalAudienceCount.toLocaleString('en-US')} members`
      : '';
  const detail = shown.length > 0 ? `${shown.join(', ')}${more}${audience}` : audience.replace(/^ · /, '') || undefined;
  return { id: query.id, title, detail, status: query.status, createdAt: query.createdAt };
}

/**
 * Helpers for the query-flow tests: the real app with the extension, modal state as Slack sends it, signed
 * payloads carrying the views the fake Slack recorded, and a recorder of the LinkedIn client's calls.
 */
import type { LightMyRequestResponse } from 'fastify';
import type { SlackUserKey } from '../../src/db/types.js';
import { facetUrn } from '../../src/linkedin/facets.js';
import { PENDING_TEXT } from '../../src/slack/blocks/status.js';
import { type QueryFlowOptions, queryFlowExtension } from '../../src/slack/query/index.js';
import {
  AUDIENCE_MODAL_CALLBACK_ID,
  decodeModalMetadata,
  encodeModalMetadata,
  facetBlockId,
  MODAL_ACTION,
  MODAL_BLOCK,
  type RowPlace,
  valuesActionId,
  valuesBlockId,
} from '../../src/slack/views/audienceModal.js';
import type { SlackCall } from '../support/fakeSlack.js';
import { signInteraction, TEST_APP_ID, TEST_TEAM_ID, triggerId } from '../support/slackRequests.js';
import { createTestApp, type TestApp, type TestAppOptions } from '../support/testApp.js';

export const QUICKCHART_TEST_URL = 'http://quickchart.test';
export const CHANNEL = 'C0TEST';
export const US = 'urn:li:geo:103644278';
export const ACCOUNT_123 = 'urn:li:sponsoredAccount:123';
export const SHARED_ACCOUNT = 'urn:li:sponsoredAccount:516413367';

export const MAYA: SlackUserKey = { teamId: TEST_TEAM_ID, userId: 'UMAYA' };
export const LIAM: SlackUserKey = { teamId: TEST_TEAM_ID, userId: 'ULIAM' };
export const NOAH: SlackUserKey = { teamId: TEST_TEAM_ID, userId: 'UNOAH' };

export async function queryFlowApp(options: TestAppOptions & { flow?: QueryFlowOptions } = {}): Promise<TestApp> {
  return createTestApp({
    ...options,
    env: { QUICKCHART_URL: QUICKCHART_TEST_URL, ...options.env },
    extensions: [queryFlowExtension(options.flow)],
  });
}

export async function linkAs(t: TestApp, key: SlackUserKey, memberId: string): Promise<void> {
  await t.linkUser({ userId: key.userId, teamId: key.teamId, memberId });
}

// ── Modal state, as Slack sends it in view.state.values ────────────────────────────────────────────────────────

const opt = (value: string, text = value) => ({ text: { type: 'plain_text', text }, value });

export interface RowInput {
  facet: string;
  values: Array<{ urn: string; name: string }>;
}

export interface ModalInput {
  account?: string;
  include?: RowInput[][];
  exclude?: RowInput[];
  groupBy?: string;
  orderBy?: 'AUDIENCE_PERCENTAGE' | 'HIERARCHICAL';
  count?: string;
}

function rowState(place: RowPlace, row: RowInput, values: Record<string, Record<string, unknown>>): void {
  const facetAction = place.kind === 'include' ? MODAL_ACTION.includeFacet : MODAL_ACTION.excludeFacet;
  values[facetBlockId(place)] = { [facetAction]: { type: 'static_select', selected_option: opt(row.facet) } };
  values[valuesBlockId(place, row.facet)] = {
    [valuesActionId(row.facet)]: {
      type: 'multi_external_select',
      selected_options: row.values.map((v) => opt(v.urn, v.name)),
    },
  };
}

/** `view.state.values` of a filled-in audience modal. */
export function modalValues(input: ModalInput): Record<string, Record<string, unknown>> {
  const values: Record<string, Record<string, unknown>> = {};
  if (input.account) {
    values[MODAL_BLOCK.account] = {
      [MODAL_ACTION.account]: { type: 'static_select', selected_option: opt(input.account) },
    };
  }
  (input.include ?? []).forEach((group, g) => {
    group.forEach((row, r) => {
      rowState({ kind: 'include', group: g, row: r }, row, values);
    });
  });
  (input.exclude ?? []).forEach((row, r) => {
    rowState({ kind: 'exclude', row: r }, row, values);
  });
  values[MODAL_BLOCK.groupBy] = {
    [MODAL_ACTION.groupBy]: {
      type: 'static_select',
      selected_option: input.groupBy ? opt(facetUrn(input.groupBy)) : null,
    },
  };
  values[MODAL_BLOCK.orderBy] = {
    [MODAL_ACTION.orderBy]: { type: 'radio_buttons', selected_option: opt(input.orderBy ?? 'AUDIENCE_PERCENTAGE') },
  };
  values[MODAL_BLOCK.maxReturnCount] = {
    [MODAL_ACTION.maxReturnCount]: { type: 'number_input', value: input.count ?? '5' },
  };
  return values;
}

/** The private_metadata of a modal with this layout, as the modal builder writes it. */
export function layoutOf(input: ModalInput): { includeRows: number[]; excludeRows: number } {
  const include = input.include ?? [[]];
  return {
    includeRows: include.map((g) => Math.max(1, g.length)),
    excludeRows: Math.max(1, input.exclude?.length ?? 1),
  };
}

// ── Views the fake Slack holds, and payloads that carry them ────────────────────────────────────────────────────

/** The view Slack shows now for the last opened modal: views.open's answer, or the latest views.update of it. */
export function currentModal(t: TestApp): Record<string, any> {
  const opened = t.slack.lastCall('views.open');
  if (!opened) throw new Error('no modal was opened');
  const id = opened.response.view.id;
  const updates = t.slack.callsTo('views.update').filter((c) => c.response.view?.id === id && c.response.ok);
  return (updates.at(-1) ?? opened).response.view;
}

export async function openModal(t: TestApp, key: SlackUserKey, trigger = triggerId()) {
  const res = await t.command('', { userId: key.userId, teamId: key.teamId, triggerId: trigger });
  return { res, view: currentModal(t) };
}

/**
 * Submits the modal filled in as `input`: the view as Slack holds it after the person added the groups and rows
 * the input uses (the same private_metadata layout the modal's views.update calls would have written).
 */
export function submitModal(
  t: TestApp,
  key: SlackUserKey,
  view: Record<string, any>,
  input: ModalInput,
): Promise<LightMyRequestResponse> {
  const meta = decodeModalMetadata(view.private_metadata);
  const laidOut = { ...view, private_metadata: encodeModalMetadata({ ...meta, ...layoutOf(input) }) };
  return submitView(t, key, laidOut, modalValues(input));
}

export function submitView(
  t: TestApp,
  key: SlackUserKey,
  view: Record<string, any>,
  values: Record<string, Record<string, unknown>>,
): Promise<LightMyRequestResponse> {
  return t.server.inject(
    signInteraction(
      {
        type: 'view_submission',
        team: { id: key.teamId, domain: 'testteam' },
        user: { id: key.userId, username: 'tester', name: 'tester', team_id: key.teamId },
        api_app_id: TEST_APP_ID,
        token: 'deprecated-verification-token',
        trigger_id: triggerId(),
        view: { ...view, callback_id: view.callback_id ?? AUDIENCE_MODAL_CALLBACK_ID, state: { values } },
        response_urls: [],
        is_enterprise_install: false,
      },
      t.sign(),
    ),
  );
}

/** The clicked element of a block action: a button, or a static select when `selected` is given. */
function actionElement(
  action: { actionId: string; value?: string; selected?: string },
  actionTs: string,
): Record<string, unknown> {
  const element: Record<string, unknown> = {
    action_id: action.actionId,
    block_id: 'b',
    type: action.selected !== undefined ? 'static_select' : 'button',
    action_ts: actionTs,
  };
  if (action.value !== undefined) element.value = action.value;
  if (action.selected !== undefined) element.selected_option = opt(action.selected);
  return element;
}

/** A block action inside the open modal, with the modal's real id, hash, blocks and metadata. */
export function modalAction(
  t: TestApp,
  key: SlackUserKey,
  view: Record<string, any>,
  action: { actionId: string; value?: string; selected?: string },
  values: Record<string, Record<string, unknown>>,
): Promise<LightMyRequestResponse> {
  const element = actionElement(action, '1700000000.000200');
  return t.server.inject(
    signInteraction(
      {
        type: 'block_actions',
        user: { id: key.userId, username: 'tester', name: 'tester', team_id: key.teamId },
        api_app_id: TEST_APP_ID,
        token: 'deprecated-verification-token',
        team: { id: key.teamId, domain: 'testteam' },
        trigger_id: triggerId(),
        container: { type: 'view', view_id: view.id },
        view: { ...view, state: { values } },
        actions: [element],
      },
      t.sign(),
    ),
  );
}

/** A click on a message the bot posted (in a DM or a channel), as Slack sends it. */
export function messageAction(
  t: TestApp,
  key: SlackUserKey,
  at: { channel: string; ts: string; threadTs?: string; ephemeral?: boolean },
  action: { actionId: string; value?: string; selected?: string },
  trigger = triggerId(),
): Promise<LightMyRequestResponse> {
  const element = actionElement(action, '1700000000.000300');
  return t.server.inject(
    signInteraction(
      {
        type: 'block_actions',
        user: { id: key.userId, username: 'tester', name: 'tester', team_id: key.teamId },
        api_app_id: TEST_APP_ID,
        token: 'deprecated-verification-token',
        team: { id: key.teamId, domain: 'testteam' },
        trigger_id: trigger,
        container: {
          type: 'message',
          message_ts: at.ts,
          channel_id: at.channel,
          is_ephemeral: at.ephemeral ?? false,
          ...(at.threadTs ? { thread_ts: at.threadTs } : {}),
        },
        channel: { id: at.channel, name: 'marketing' },
        message: { type: 'message', ts: at.ts, ...(at.threadTs ? { thread_ts: at.threadTs } : {}) },
        response_url: t.slack.responseUrl(),
        actions: [element],
      },
      t.sign(),
    ),
  );
}

// ── Reading what the bot sent ─────────────────────────────────────────────────────────────────────────────────

/** Every text of a message or view, joined: what a person would read. */
export function textOf(node: unknown): string {
  const out: string[] = [];
  const visit = (n: unknown, key?: string) => {
    if (typeof n === 'string') {
      if (key === 'text' || key === 'alt_text' || key === 'image_url' || key === 'title') out.push(n);
      return;
    }
    if (Array.isArray(n)) {
      for (const x of n) visit(x);
    } else if (n && typeof n === 'object') {
      for (const [k, v] of Object.entries(n)) visit(v, k);
    }
  };
  visit(node);
  return out.join('\n');
}

export function blocksOf(call: SlackCall | undefined): any[] {
  return (call?.args.blocks as any[]) ?? [];
}

/** Button and select values of the actions blocks of a message, by action_id. */
export function actionsOf(blocks: any[]): Record<string, any> {
  const found: Record<string, any> = {};
  for (const b of blocks) {
    if (b.type !== 'actions') continue;
    for (const e of b.elements) found[e.action_id] = e;
  }
  for (const b of blocks) if (b.accessory?.action_id) found[b.accessory.action_id] = b.accessory;
  return found;
}

/** The latest DM answer: its "fetching…" placeholder post and the last update of it. */
export function dmAnswer(t: TestApp, key: SlackUserKey) {
  const posts = t.slack
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === key.userId && String(c.args.text).startsWith(PENDING_TEXT));
  const placeholder = posts.at(-1);
  if (!placeholder) throw new Error(`no DM to ${key.userId}`);
  const { channel, ts } = placeholder.response;
  const updates = t.slack.callsTo('chat.update').filter((c) => c.args.channel === channel && c.args.ts === ts);
  const final = updates.at(-1);
  return { placeholder, final, channel: channel as string, ts: ts as string };
}

// ── The LinkedIn client, observed ──────────────────────────────────────────────────────────────────────────────

export interface LinkedInCallRecord {
  method: string;
  token: string;
  args: unknown[];
  /** How many Slack Web API calls had been made when this LinkedIn call started. */
  slackCallsBefore: number;
}

/**
 * Wraps every method of the app's LinkedIn client (the object the link service, the insights use cases and
 * the facet caches all call), recording each call with its token and its place among the Slack calls.
 */
export function recordLinkedIn(t: TestApp): LinkedInCallRecord[] {
  const calls: LinkedInCallRecord[] = [];
  const client = t.app.linkedin as unknown as Record<string, unknown>;
  for (const [name, value] of Object.entries(client)) {
    if (typeof value !== 'function' || name === 'authorizationUrl' || name === 'nameCacheStats') continue;
    const original = value as (...args: unknown[]) => unknown;
    client[name] = (...args: unknown[]) => {
      calls.push({
        method: name,
        token: typeof args[0] === 'string' ? args[0] : '',
        args: args.slice(1),
        slackCallsBefore: t.slack.calls.length,
      });
      return original(...args);
    };
  }
  return calls;
}

/** A sandbox entity by its exact name, e.g. the skill "Java". */
export function entityNamed(t: TestApp, kind: 'skills' | 'titles' | 'functions', name: string) {
  const found = (t.sandbox.catalog[kind] as ReadonlyArray<{ urn: string; name: string }>).find((e) => e.name === name);
  if (!found) throw new Error(`no ${kind} named ${name}`);
  return { urn: found.urn, name: found.name };
}

export const tokenOf = (t: TestApp, key: SlackUserKey): string => t.app.db.repos.links.get(key)!.accessToken;

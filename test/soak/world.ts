/**
 * The soak's world: Slack users linked to the sandbox's demo members (several Slack users share a member, one
 * has no ad account) plus unlinked ones, and how to tell which of the fake Slack's records answered whom.
 */
import type { SlackUserKey } from '../../src/db/types.js';
import type { SlackCall } from '../support/fakeSlack.js';
import { TEST_TEAM_ID } from '../support/slackRequests.js';
import { readableText } from './harness.js';

export interface SoakUser {
  key: SlackUserKey;
  /** The sandbox member it is linked to; undefined: never linked. */
  member?: string;
  /** The ad account its queries name (one without a role makes LinkedIn refuse: a clear error, counted). */
  account: string;
}

const user = (userId: string, member: string | undefined, account: string): SoakUser => ({
  key: { teamId: TEST_TEAM_ID, userId },
  ...(member ? { member } : {}),
  account,
});

export const ACCOUNT_123 = 'urn:li:sponsoredAccount:123';
export const ACCOUNT_508 = 'urn:li:sponsoredAccount:508915158';
export const SHARED_ACCOUNT = 'urn:li:sponsoredAccount:516413367';
export const SOFIA_ACCOUNT = 'urn:li:sponsoredAccount:507404993';
export const US = 'urn:li:geo:103644278';
export const CHANNEL = 'C0SOAK';

/** One worker per Slack user: a person never has two requests in flight, so every record can be attributed. */
export const SOAK_USERS: readonly SoakUser[] = [
  user('UMAYA1', 'maya-chen', ACCOUNT_123),
  user('UMAYA2', 'maya-chen', ACCOUNT_508),
  user('UMAYA3', 'maya-chen', SHARED_ACCOUNT),
  user('ULIAM1', 'liam-okafor', SHARED_ACCOUNT),
  // Liam has no role on 123: LinkedIn answers 403, which must reach him as a clear error.
  user('ULIAM2', 'liam-okafor', ACCOUNT_123),
  user('USOFIA1', 'sofia-rossi', SOFIA_ACCOUNT),
  user('USOFIA2', 'sofia-rossi', SOFIA_ACCOUNT),
  user('USOFIA3', 'sofia-rossi', SOFIA_ACCOUNT),
  user('UNOAH1', 'noah-berg', ACCOUNT_123),
  user('UMAYA4', 'maya-chen', ACCOUNT_123),
  user('UNOBODY1', undefined, ACCOUNT_123),
  user('UNOBODY2', undefined, ACCOUNT_123),
];

/** The DM channel the fake Slack answers for a user id. */
export const dmOf = (userId: string): string => `D${userId.slice(1)}`;

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** Stored-query ids carried by a message's buttons and menus (every element value names one). */
export function queryIdsIn(blocks: unknown): string[] {
  const ids = new Set<string>();
  const visit = (n: unknown, key?: string) => {
    if (typeof n === 'string') {
      if (key === 'value') for (const m of n.matchAll(UUID)) ids.add(m[0]);
      return;
    }
    if (Array.isArray(n)) for (const x of n) visit(x);
    else if (n && typeof n === 'object') for (const [k, v] of Object.entries(n)) visit(v, k);
  };
  visit(blocks);
  return [...ids];
}

export type AnswerKind = 'result' | 'error' | 'other';

/** A message about a stored query: an error (":warning: title, message, next step") or a result. */
export function answerKind(call: SlackCall): AnswerKind {
  const blocks = (call.args.blocks ?? []) as Array<{ type: string; text?: { text?: string } }>;
  const first = blocks.find((b) => b.type === 'section')?.text?.text ?? '';
  if (first.startsWith(':warning:')) return 'error';
  if (queryIdsIn(blocks).length > 0 || /^Audience (?:breakdown|comparison) by /.test(String(call.args.text))) {
    return 'result';
  }
  return 'other';
}

/** Whether a Web API call the bot made was addressed to this person (and only plausibly to them). */
export function addressedTo(
  call: SlackCall,
  userId: string,
  ownViews: ReadonlySet<string>,
  triggers: ReadonlySet<string>,
): boolean {
  const a = call.args;
  switch (call.method) {
    case 'chat.postMessage':
      if (a.channel === userId || a.channel === dmOf(userId)) return true;
      // A shared answer or a thread reply names who asked it.
      return readableText(a.blocks).includes(`<@${userId}>`);
    case 'chat.update':
      return a.channel === dmOf(userId);
    case 'chat.postEphemeral':
      return a.user === userId;
    case 'views.open':
      return triggers.has(String(a.trigger_id));
    case 'views.update':
      return ownViews.has(String(a.view_id));
    case 'views.publish':
      return a.user_id === userId;
    default:
      return false;
  }
}

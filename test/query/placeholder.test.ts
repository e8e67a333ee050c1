/**
 * A placeholder Slack will not replace: every path that shows "Fetching…" and then puts the answer in its place
 * (the modal, the quick query, Try again / Re-run in the DM, Break down by… in the DM thread) posts the answer
 * fresh when chat.update is refused because the message is gone or Slack failed for a moment, logs that, and
 * still leaves exactly one message holding the answer. `invalid_blocks` keeps its own fallback in place, and a
 * refusal a fresh post would meet too is not retried as a post.
 */

import { webApi } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { ACTION } from '../../src/slack/blocks/actions.js';
import { PENDING_TEXT } from '../../src/slack/blocks/status.js';
import { shouldRepostAfter } from '../../src/slack/query/deliver.js';
import type { SlackCall } from '../support/fakeSlack.js';
import type { TestApp } from '../support/testApp.js';
import { closeCheckingFakes } from '../support/testApp.js';
import {
  ACCOUNT_123,
  actionsOf,
  dmAnswer,
  entityNamed,
  linkAs,
  MAYA,
  type ModalInput,
  messageAction,
  openModal,
  queryFlowApp,
  submitModal,
  textOf,
  tokenOf,
  US,
} from './support.js';

let t: TestApp;
afterEach(() => closeCheckingFakes(t));

const usJava = (groupBy = 'jobFunctions'): ModalInput => ({
  account: ACCOUNT_123,
  include: [
    [{ facet: 'locations', values: [{ urn: US, name: 'United States' }] }],
    [{ facet: 'skills', values: [entityNamed(t, 'skills', 'Java')] }],
  ],
  groupBy,
});

async function ask(input: ModalInput) {
  const { view } = await openModal(t, MAYA);
  expect((await submitModal(t, MAYA, view, input)).statusCode).toBe(200);
  return dmAnswer(t, MAYA);
}

/** The chat.postMessage / chat.update calls made since `from`, as `method ok|error` with the message's first words. */
const messageCallsSince = (from: number) =>
  t.slack.calls
    .slice(from)
    .filter((c) => c.method === 'chat.postMessage' || c.method === 'chat.update')
    .map((c) => `${c.method} ${c.response.ok ? 'ok' : c.response.error}: ${String(c.args.text).split(' ')[0]}`);

/** Successful calls since `from` whose text starts with `prefix`: the messages a person now holds with it. */
const deliveredSince = (from: number, prefix: string): SlackCall[] =>
  t.slack.calls
    .slice(from)
    .filter(
      (c) =>
        (c.method === 'chat.postMessage' || c.method === 'chat.update') &&
        c.response.ok &&
        String(c.args.text).startsWith(prefix),
    );

const loggedSince = (from: number) => t.logs.slice(from).join('\n');

describe('Try again / Re-run in the DM, when the clicked message cannot be replaced', () => {
  async function failedAnswer() {
    t = await queryFlowApp({ captureLogs: true });
    await linkAs(t, MAYA, 'maya-chen');
    t.sandbox.knobs.provisioned = false;
    const { final, channel, ts } = await ask(usJava());
    const button = actionsOf(final!.args.blocks)[ACTION.queryRerun];
    const [failed] = t.app.db.repos.queries.listRecent(MAYA, 1);
    expect(failed!.status).toBe('failed');
    t.sandbox.knobs.provisioned = true;
    return { at: { channel, ts }, queryId: button.value as string };
  }

  it('posts the placeholder fresh and puts the answer in its place: one answer, the query done', async () => {
    const { at, queryId } = await failedAnswer();
    const from = t.slack.calls.length;
    const logFrom = t.logs.length;
    t.slack.failNext('chat.update', 'message_not_found');
    const res = await messageAction(t, MAYA, at, { actionId: ACTION.queryRerun, value: queryId });
    expect(res.statusCode).toBe(200);

    expect(messageCallsSince(from)).toEqual([
      'chat.update message_not_found: Fetching',
      'chat.postMessage ok: Fetching',
      'chat.update ok: Audience',
    ]);
    const answers = deliveredSince(from, 'Audience breakdown by Job Functions');
    expect(answers).toHaveLength(1);
    const placeholder = t.slack.calls.slice(from).find((c) => c.method === 'chat.postMessage')!;
    expect(placeholder.args.channel).toBe(MAYA.userId);
    expect(String(placeholder.args.text)).toContain(PENDING_TEXT);
    expect([answers[0]!.args.channel, answers[0]!.args.ts]).toEqual([
      placeholder.response.channel,
      placeholder.response.ts,
    ]);
    expect(t.app.db.repos.queries.get(queryId)!.status).toBe('done');
    const logged = loggedSince(logFrom);
    expect(logged).toContain('message_not_found');
    expect(logged).not.toContain(tokenOf(t, MAYA));
  });

  it('posts the answer fresh when its placeholder is refused too (cant_update_message, then internal_error)', async () => {
    const { at, queryId } = await failedAnswer();
    const from = t.slack.calls.length;
    t.slack.failNext('chat.update', 'cant_update_message');
    t.slack.failNext('chat.update', 'internal_error');
    await messageAction(t, MAYA, at, { actionId: ACTION.queryRerun, value: queryId });

    expect(messageCallsSince(from)).toEqual([
      'chat.update cant_update_message: Fetching',
      'chat.postMessage ok: Fetching',
      'chat.update internal_error: Audience',
      'chat.postMessage ok: Audience',
    ]);
    const answers = deliveredSince(from, 'Audience breakdown by Job Functions');
    expect(answers).toHaveLength(1);
    expect(answers[0]!.args.channel).toBe(MAYA.userId);
    expect(actionsOf(answers[0]!.args.blocks)[ACTION.shareToChannel].value).toBe(queryId);
    expect(t.app.db.repos.queries.get(queryId)!.status).toBe('done');
  });
});

describe('other paths that replace a placeholder', () => {
  it('a quick query whose placeholder Slack fails to replace (HTTP 500) is answered by a fresh post', async () => {
    t = await queryFlowApp({ captureLogs: true });
    await linkAs(t, MAYA, 'maya-chen');
    const from = t.slack.calls.length;
    const logFrom = t.logs.length;
    t.slack.failNext('chat.update', { error: 'fatal_error', status: 500 });
    const res = await t.command('by:seniorities location:"United States" skill:Java', { userId: MAYA.userId });
    expect(res.statusCode).toBe(200);

    expect(messageCallsSince(from)).toEqual([
      'chat.postMessage ok: Fetching',
      'chat.update fatal_error: Audience',
      'chat.postMessage ok: Audience',
    ]);
    const answers = deliveredSince(from, 'Audience breakdown by Job Seniorities');
    expect(answers).toHaveLength(1);
    expect(textOf(answers[0]!.args.blocks)).toContain('Read as:');
    // The client saw an HTTP error (no Slack error code), logged with its status.
    expect(loggedSince(logFrom)).toMatch(/"statusCode":500/);
    expect(t.app.db.repos.queries.listRecent(MAYA, 1)[0]!.status).toBe('done');
  });

  it('a breakdown in the DM thread whose placeholder reply was deleted is posted fresh in the same thread', async () => {
    t = await queryFlowApp({ captureLogs: true });
    await linkAs(t, MAYA, 'maya-chen');
    const { channel, ts } = await ask(usJava());
    const [query] = t.app.db.repos.queries.listRecent(MAYA, 1);
    const from = t.slack.calls.length;
    t.slack.failNext('chat.update', 'message_not_found');
    await messageAction(
      t,
      MAYA,
      { channel, ts },
      { actionId: ACTION.breakDownBy, selected: `${query!.id}|seniorities` },
    );

    const answers = deliveredSince(from, 'Audience breakdown by Job Seniorities');
    expect(answers).toHaveLength(1);
    expect(answers[0]!.method).toBe('chat.postMessage');
    expect([answers[0]!.args.channel, answers[0]!.args.thread_ts]).toEqual([channel, ts]);
    const regrouped = t.app.db.repos.queries.listRecent(MAYA, 1)[0]!;
    expect([regrouped.parentId, regrouped.status]).toEqual([query!.id, 'done']);
  });

  it('invalid_blocks keeps its text fallback in place; a placeholder gone by then gets the fallback fresh, once', async () => {
    t = await queryFlowApp({ captureLogs: true });
    await linkAs(t, MAYA, 'maya-chen');
    const { view } = await openModal(t, MAYA);
    const from = t.slack.calls.length;
    t.slack.failNext('chat.update', 'invalid_blocks');
    t.slack.failNext('chat.update', 'message_not_found');
    await submitModal(t, MAYA, view, usJava());
    expect(messageCallsSince(from)).toEqual([
      'chat.postMessage ok: Fetching',
      'chat.update invalid_blocks: Audience',
      'chat.update message_not_found: Audience',
      'chat.postMessage ok: Audience',
    ]);
    const [, , fallback, fresh] = t.slack.calls.slice(from).filter((c) => c.method.startsWith('chat.'));
    expect(fresh!.args.blocks).toEqual(fallback!.args.blocks);
    expect(deliveredSince(from, 'Audience breakdown by Job Functions')).toEqual([fresh]);
  });

  it('native blocks refused after the placeholder was deleted: the text fallback is posted fresh, once', async () => {
    t = await queryFlowApp({ env: { CHART_STYLE: 'native' }, rejectNativeBlocks: true, captureLogs: true });
    await linkAs(t, MAYA, 'maya-chen');
    const { view } = await openModal(t, MAYA);
    const from = t.slack.calls.length;
    t.slack.failNext('chat.update', 'message_not_found');
    await submitModal(t, MAYA, view, usJava());
    expect(messageCallsSince(from)).toEqual([
      'chat.postMessage ok: Fetching',
      'chat.update message_not_found: Audience',
      'chat.postMessage invalid_blocks: Audience',
      'chat.postMessage ok: Audience',
    ]);
    const answers = deliveredSince(from, 'Audience breakdown by Job Functions');
    expect(answers).toHaveLength(1);
    expect(textOf(answers[0]!.args.blocks)).toMatch(/`[█░]{10} +\d+%`/);
    expect(t.app.db.repos.queries.listRecent(MAYA, 1)[0]!.status).toBe('done');
  });
});

describe('which refusals of chat.update are followed by a fresh post', () => {
  const platform = (code: string) =>
    Object.assign(new Error(code), { code: webApi.ErrorCode.PlatformError, data: { ok: false, error: code } });

  it('the message is gone or not editable, or Slack failed for a moment', () => {
    for (const code of [
      'message_not_found',
      'cant_update_message',
      'edit_window_closed',
      'ratelimited',
      'internal_error',
    ]) {
      expect(shouldRepostAfter(platform(code)), code).toBe(true);
    }
    expect(shouldRepostAfter(Object.assign(new Error('socket hang up'), { code: webApi.ErrorCode.RequestError }))).toBe(
      true,
    );
    expect(
      shouldRepostAfter(Object.assign(new Error('503'), { code: webApi.ErrorCode.HTTPError, statusCode: 503 })),
    ).toBe(true);
  });

  it('not invalid_blocks (its own fallback), nor what a fresh post would be refused for as well', () => {
    for (const code of [
      'invalid_blocks',
      'msg_too_long',
      'no_text',
      'invalid_auth',
      'token_revoked',
      'missing_scope',
    ]) {
      expect(shouldRepostAfter(platform(code)), code).toBe(false);
    }
    expect(
      shouldRepostAfter(Object.assign(new Error('400'), { code: webApi.ErrorCode.HTTPError, statusCode: 400 })),
    ).toBe(false);
    expect(shouldRepostAfter(new Error('anything else'))).toBe(false);
  });
});

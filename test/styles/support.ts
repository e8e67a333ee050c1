/**
 * Helpers for the chart-style and comparison tests: asking through the real modal, scripting LinkedIn's
 * insights answer (everything else stays the sandbox), and reading what left the bot.
 */
import { expect } from 'vitest';
import { createLinkedInClient } from '../../src/linkedin/client.js';
import type { AudienceInsightsRequestBody, AudienceInsightsResponse, Segmentation } from '../../src/linkedin/types.js';
import { SANDBOX_INTERNAL_URL } from '../../src/main.js';
import {
  ACCOUNT_123,
  dmAnswer,
  entityNamed,
  MAYA,
  type ModalInput,
  openModal,
  submitModal,
  US,
} from '../query/support.js';
import type { SlackCall } from '../support/fakeSlack.js';
import type { TestApp } from '../support/testApp.js';

export const STYLES = ['quickchart', 'native', 'upload'] as const;

/** United States AND a skill, broken down by `groupBy` (top `count`). */
export const usWithSkill = (t: TestApp, skill: string, groupBy = 'jobFunctions', count = '5'): ModalInput => ({
  account: ACCOUNT_123,
  include: [
    [{ facet: 'locations', values: [{ urn: US, name: 'United States' }] }],
    [{ facet: 'skills', values: [entityNamed(t, 'skills', skill)] }],
  ],
  groupBy,
  count,
});

/** Asks through the modal as `key`; the private answer (placeholder and final update) and its stored query. */
export async function ask(t: TestApp, input: ModalInput, key = MAYA) {
  const { view } = await openModal(t, key);
  const res = await submitModal(t, key, view, input);
  expect(res.statusCode).toBe(200);
  const dm = dmAnswer(t, key);
  const query = t.app.db.repos.queries.listRecent(key, 1)[0]!;
  return { ...dm, query };
}

export type ScriptedInsights = (
  request: AudienceInsightsRequestBody['request'],
) => { total: number; segments: Segmentation[] } | undefined;

/**
 * LinkedIn's insights answers come from `script` (undefined: the sandbox answers), through the real client, so
 * parsing and name resolution are the bot's own. Returns the request bodies LinkedIn received.
 */
export function scriptInsights(t: TestApp, script: ScriptedInsights): AudienceInsightsRequestBody[] {
  const requests: AudienceInsightsRequestBody[] = [];
  const scripted = createLinkedInClient({
    apiUrl: `${SANDBOX_INTERNAL_URL}/rest`,
    oauthUrl: `${SANDBOX_INTERNAL_URL}/oauth/v2`,
    version: t.config.linkedin.version,
    clientId: t.sandbox.clientId,
    clientSecret: t.sandbox.clientSecret,
    fetch: async (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      if (!url.includes('/targetingAudienceInsights')) return t.sandbox.fetch(input, init);
      const body = JSON.parse(String(init?.body)) as AudienceInsightsRequestBody;
      requests.push(body);
      const answer = script(body.request);
      if (!answer) return t.sandbox.fetch(input, init);
      const response: AudienceInsightsResponse = {
        value: {
          audienceInsight: { segmentations: answer.segments, groupedBy: body.request.groupBy },
          totalAudienceCount: answer.total,
        },
      };
      return Response.json(response);
    },
  });
  t.app.linkedin.audienceInsights = scripted.audienceInsights;
  return requests;
}

/** Segmentations with the given shares of `total` members. */
export const segmentations = (total: number, shares: ReadonlyArray<[urn: string, percentage: number]>) =>
  shares.map(([value, entityPercentage]) => ({
    value,
    entityPercentage,
    entityCount: Math.round((total * entityPercentage) / 100 / 100) * 100,
  }));

/** Every string anywhere in a value. */
export function stringsIn(node: unknown, out: string[] = []): string[] {
  if (typeof node === 'string') out.push(node);
  else if (Array.isArray(node)) for (const item of node) stringsIn(item, out);
  else if (node && typeof node === 'object') for (const value of Object.values(node)) stringsIn(value, out);
  return out;
}

/** Every http(s) URL in the arguments of the given Slack calls (mrkdwn links `<url|text>` included). */
export function urlsIn(calls: readonly SlackCall[]): string[] {
  return stringsIn(calls.map((c) => c.args)).flatMap((s) => s.match(/https?:\/\/[^\s|>"']+/g) ?? []);
}

export const blocksOfType = (call: SlackCall | undefined, type: string): any[] =>
  ((call?.args.blocks as any[]) ?? []).filter((b) => b.type === type);

/** Messages the bot posted or updated, in order. */
export const messageCalls = (t: TestApp): SlackCall[] =>
  t.slack.calls.filter((c) => ['chat.postMessage', 'chat.update', 'chat.postEphemeral'].includes(c.method));

/**
 * A huge typeahead text (a pasted page, or a forged block_suggestion): only its first MAX_TYPEAHEAD_QUERY
 * characters are compared with names or sent to LinkedIn, and the answer stays within Slack's option limits.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_TYPEAHEAD_QUERY } from '../../src/insights/facetOptions.js';
import { decodeModalMetadata, encodeModalMetadata, valuesActionId } from '../../src/slack/views/audienceModal.js';
import { checkOptionsResponse } from '../support/blockKitLimits.js';
import type { TestApp } from '../support/testApp.js';
import { closeCheckingFakes } from '../support/testApp.js';
import { linkAs, MAYA, openModal, queryFlowApp, recordLinkedIn } from './support.js';

let t: TestApp;
afterEach(() => closeCheckingFakes(t));

const HUGE = 60_000;
/** "java java java …", 60,000 characters: every word of it still matches Java skills. */
const hugeJava = 'java '.repeat(HUGE / 5);

describe('a 60,000-character typeahead text', () => {
  it('asks LinkedIn’s typeahead with its first 100 characters and answers at most 100 options', async () => {
    t = await queryFlowApp();
    await linkAs(t, MAYA, 'maya-chen');
    const linkedin = recordLinkedIn(t);
    expect(hugeJava.length).toBe(HUGE);

    const res = await t.suggest({ actionId: valuesActionId('skills'), value: hugeJava, userId: MAYA.userId });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(checkOptionsResponse(body)).toEqual([]);
    expect(body.options.length).toBeGreaterThan(0);
    expect(body.options.length).toBeLessThanOrEqual(100);
    expect(body.options.map((o: { text: { text: string } }) => o.text.text)).toContain('Java');

    const asked = linkedin.filter((c) => c.method === 'typeahead');
    expect(asked).toHaveLength(1);
    const text = asked[0]!.args[1] as string;
    expect(text.length).toBeLessThanOrEqual(MAX_TYPEAHEAD_QUERY);
    expect(hugeJava.startsWith(text)).toBe(true);

    // Another huge text with the same start is the same question: answered from the cache, not asked again.
    await t.suggest({ actionId: valuesActionId('skills'), value: `${hugeJava}python`, userId: MAYA.userId });
    expect(linkedin.filter((c) => c.method === 'typeahead')).toHaveLength(1);
  });

  it('filters a small facet’s full list with its first 100 characters', async () => {
    t = await queryFlowApp();
    await linkAs(t, MAYA, 'maya-chen');
    const engineering = `engineering${' '.repeat(HUGE)}zzz`;
    const res = await t.suggest({ actionId: valuesActionId('jobFunctions'), value: engineering, userId: MAYA.userId });
    const body = res.json();
    expect(checkOptionsResponse(body)).toEqual([]);
    // Read as "engineering": the trailing "zzz" lies beyond the cap and does not empty the list.
    expect(body.options.map((o: { text: { text: string } }) => o.text.text)).toContain('Engineering');
    expect(body.options.length).toBeLessThanOrEqual(100);
  });

  it('filters matched audiences with its first 100 characters', async () => {
    t = await queryFlowApp();
    await linkAs(t, MAYA, 'maya-chen');
    const { view } = await openModal(t, MAYA);
    const meta = decodeModalMetadata(view.private_metadata);
    const emea = 'urn:li:sponsoredAccount:508915158';
    const res = await t.suggest({
      actionId: valuesActionId('audienceMatchingSegments'),
      value: `web${'\u00a0'.repeat(HUGE)}site`,
      userId: MAYA.userId,
      privateMetadata: encodeModalMetadata({ ...meta, extra: { a: emea } }),
    });
    expect(res.json().options.map((o: { text: { text: string } }) => o.text.text)).toEqual(['EMEA website visitors']);
  });
});

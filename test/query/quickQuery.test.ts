/**
 * The quick text query: `/audience by:… location:… skill:… top:…` skips the modal, resolves names with
 * LinkedIn's listings and typeahead, shows how it read them, and explains names it cannot resolve.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { facetUrn } from '../../src/linkedin/facets.js';
import { checkMessageBlocks } from '../support/blockKitLimits.js';
import type { TestApp } from '../support/testApp.js';
import { closeCheckingFakes } from '../support/testApp.js';
import { dmAnswer, entityNamed, LIAM, linkAs, MAYA, NOAH, queryFlowApp, textOf, US } from './support.js';

let t: TestApp;
afterEach(() => closeCheckingFakes(t));

const QUERY = 'by:jobFunctions location:"United States" skill:Python skill:Java title:"Data Engineer" top:10';

describe('quick query', () => {
  it('skips the modal, resolves the names, and shows the reading with the answer', async () => {
    t = await queryFlowApp();
    await linkAs(t, MAYA, 'maya-chen');
    const res = await t.command(QUERY, { userId: MAYA.userId });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
    expect(t.slack.callsTo('views.open')).toHaveLength(0);
    expect(t.slack.responses.at(-1)!.body.text).toContain('direct messages');

    const [query] = t.app.db.repos.queries.listRecent(MAYA, 1);
    const title = await t.app.linkedin.typeahead(
      t.app.db.repos.links.get(MAYA)!.accessToken,
      facetUrn('titles'),
      'Data Engineer',
      { count: 5 },
    );
    const dataEngineer = title.find((e) => e.name === 'Data Engineer')!;
    expect(query!.spec).toEqual({
      accountUrn: 'urn:li:sponsoredAccount:123',
      criteria: {
        include: {
          and: [
            { or: { [facetUrn('locations')]: [US] } },
            {
              or: {
                [facetUrn('skills')]: [entityNamed(t, 'skills', 'Python').urn, entityNamed(t, 'skills', 'Java').urn],
              },
            },
            { or: { [facetUrn('titles')]: [dataEngineer.urn] } },
          ],
        },
      },
      groupBy: facetUrn('jobFunctions'),
      orderBy: 'AUDIENCE_PERCENTAGE',
      maxReturnCount: 10,
    });

    const { final } = dmAnswer(t, MAYA);
    expect(checkMessageBlocks(final!.args.blocks)).toEqual([]);
    const text = textOf(final!.args.blocks);
    expect(text).toContain('Read as: “United States” → *United States* (locations)');
    expect(text).toContain('“Python” → *Python* (skills)');
    expect(text).toContain('“Data Engineer” → *Data Engineer* (job titles)');
    expect(text).toContain('Audience breakdown by Job Functions');
  });

  it('answers unknown and ambiguous names with suggestions, and runs nothing', async () => {
    t = await queryFlowApp();
    await linkAs(t, MAYA, 'maya-chen');
    await t.command('location:"United States" skill:Pythn by:seniority', { userId: MAYA.userId });
    const unknown = t.slack.responses.at(-1)!.body;
    expect(unknown.response_type).toBe('ephemeral');
    expect(textOf(unknown.blocks)).toContain('No skill matches “Pythn”. Did you mean: “Python”');

    await t.command('location:"United States" title:Engineer', { userId: MAYA.userId });
    const ambiguous = textOf(t.slack.responses.at(-1)!.body.blocks);
    expect(ambiguous).toMatch(/“Engineer” matches several job title values\. Did you mean: “[^”]+”/);

    await t.command('location:"United States" marketing people', { userId: MAYA.userId });
    expect(textOf(t.slack.responses.at(-1)!.body.blocks)).toContain('I don’t know what “marketing people” means');

    await t.command('skill:Python by:titles', { userId: MAYA.userId });
    expect(textOf(t.slack.responses.at(-1)!.body.blocks)).toMatch(/location/i);

    expect(t.app.db.repos.queries.listRecent(MAYA, 5)).toEqual([]);
    expect(t.slack.callsTo('chat.postMessage').filter((c) => String(c.args.text).startsWith('Fetching'))).toEqual([]);
  });

  it('takes an account by id, and LinkedIn’s refusal for an account without a role reaches the asker', async () => {
    t = await queryFlowApp();
    await linkAs(t, LIAM, 'liam-okafor');
    await t.command('account:123 location:"United States" skill:Python', { userId: LIAM.userId });
    const { final } = dmAnswer(t, LIAM);
    expect(textOf(final!.args.blocks)).toContain('You have no role on this ad account');
    expect(t.app.db.repos.queries.listRecent(LIAM, 1)[0]!.status).toBe('failed');
  });

  it('offers an unlinked person a private link prompt', async () => {
    t = await queryFlowApp();
    const res = await t.command(QUERY, { userId: NOAH.userId });
    expect(res.json().response_type).toBe('ephemeral');
    expect(JSON.stringify(res.json())).toContain('/oauth/linkedin/start');
  });
});

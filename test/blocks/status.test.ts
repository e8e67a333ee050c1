import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/errors.js';
import { ACTION } from '../../src/slack/blocks/actions.js';
import { errorViewFor, renderErrorMessage, renderPendingMessage } from '../../src/slack/blocks/status.js';
import { DOC_AUDIENCE } from './fixtures.js';
import { messageViolations } from './limits.js';

type Json = Record<string, any>;
const JOB_FUNCTIONS = { urn: 'urn:li:adTargetingFacet:jobFunctions', label: 'Job Functions' };

describe('renderPendingMessage', () => {
  it('says what is being fetched, with the audience in words', () => {
    const message = renderPendingMessage({ accountName: 'Acme Ads', audience: DOC_AUDIENCE, groupBy: JOB_FUNCTIONS });
    expect(message.text).toBe(
      'Fetching your audience breakdown… Job Functions for Locations: United States; and Interface languages: English; and Skills: Java, Python or SQL',
    );
    expect((message.blocks[0] as Json).text.text).toBe(
      [
        ':hourglass_flowing_sand: *Fetching your audience breakdown…*',
        '*Account:* Acme Ads · *By:* Job Functions',
        '*Who:* Locations: United States',
        '*and* Interface languages: English',
        '*and* Skills: Java, Python or SQL',
      ].join('\n'),
    );
    expect(messageViolations(message)).toEqual([]);
  });

  it('describes both audiences when comparing', () => {
    const message = renderPendingMessage({
      accountName: 'Acme Ads',
      audience: DOC_AUDIENCE,
      groupBy: JOB_FUNCTIONS,
      compareWith: { include: [[{ facetLabel: 'Locations', values: ['United Kingdom'] }]], exclude: [] },
    });
    expect((message.blocks[0] as Json).text.text).toContain('*Compared with:*\n*Who:* Locations: United Kingdom');
  });
});

describe('renderErrorMessage', () => {
  it('says what happened and what to do next, with "Try again" carrying the query id', () => {
    const message = renderErrorMessage({
      queryId: 'q_7',
      title: 'LinkedIn is not answering',
      message: 'LinkedIn took too long to answer.',
      nextStep: 'Try again in a minute.',
      retryable: true,
    });
    const blocks = message.blocks as Json[];
    expect(blocks[0]!.text.text).toBe(
      ':warning: *LinkedIn is not answering*\nLinkedIn took too long to answer.\n*Next:* Try again in a minute.',
    );
    expect(blocks[1]!.elements).toEqual([
      {
        type: 'button',
        action_id: ACTION.queryRerun,
        text: { type: 'plain_text', text: 'Try again', emoji: true },
        value: 'q_7',
      },
    ]);
    expect(message.text).toBe('LinkedIn is not answering. LinkedIn took too long to answer. Try again in a minute.');
    expect(messageViolations(message)).toEqual([]);
  });

  it('offers "Link LinkedIn" (opening the URL when given) instead of retrying when a relink is needed', () => {
    const blocks = renderErrorMessage(
      errorViewFor(
        { code: ErrorCode.RelinkRequired },
        { queryId: 'q_8', relinkUrl: 'http://127.0.0.1:3000/linkedin/start?t=abc' },
      ),
    ).blocks as Json[];
    const buttons = blocks.at(-1)!.elements as Json[];
    expect(buttons.map((b) => [b.action_id, b.text.text, b.url])).toEqual([
      [ACTION.linkLinkedIn, 'Link LinkedIn', 'http://127.0.0.1:3000/linkedin/start?t=abc'],
    ]);
  });

  it('has no buttons when there is nothing to click', () => {
    const blocks = renderErrorMessage(errorViewFor({ code: ErrorCode.QueryNotFound })).blocks as Json[];
    expect(blocks.map((b) => b.type)).toEqual(['section']);
  });

  it('never shows an unknown error’s own message (it may hold internals)', () => {
    const view = errorViewFor(
      { code: 'ECONNRESET', message: 'socket hang up at 10.0.0.4:443 token=abc' },
      { queryId: 'q_9' },
    );
    const message = renderErrorMessage(view);
    expect(JSON.stringify(message)).not.toContain('socket hang up');
    expect(JSON.stringify(message)).not.toContain('token=');
    expect((message.blocks.at(-1) as Json).elements[0].action_id).toBe(ACTION.queryRerun);
  });

  it('shows the validator’s marketer-facing message for an invalid query', () => {
    const view = errorViewFor({ code: ErrorCode.InvalidQuery, message: 'Add a location.' }, { queryId: 'q_1' });
    expect(view.message).toBe('Add a location.');
    expect(view.retryable).toBe(false);
  });
});

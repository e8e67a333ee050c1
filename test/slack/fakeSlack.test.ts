/**
 * The recording fake Slack API, driven through the real WebClient: other tests rely on it answering and refusing
 * like Slack, so its behaviour is pinned here.
 */
import { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { checkOptionsResponse } from '../support/blockKitLimits.js';
import { createFakeSlack } from '../support/fakeSlack.js';

const setup = (options: Parameters<typeof createFakeSlack>[0] = {}) => {
  const slack = createFakeSlack(options);
  const client = new webApi.WebClient('xoxb-fake', {
    slackApiUrl: slack.apiUrl,
    fetch: slack.fetch,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
  return { slack, client };
};

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const errorOf = async (call: Promise<unknown>) =>
  call.then(
    () => undefined,
    (e: webApi.WebAPIPlatformError) => e.data,
  );

describe('fake Slack Web API', () => {
  it('records method, token and decoded JSON fields, and answers plausibly', async () => {
    const { slack, client } = setup();
    const posted = await client.chat.postMessage({ channel: 'C1', text: 'hi', blocks: [section('hello')] as any });
    expect(posted.ok).toBe(true);
    expect(posted.ts).toMatch(/^\d+\.\d{6}$/);
    expect(posted.channel).toBe('C1');
    const call = slack.lastCall('chat.postMessage')!;
    expect(call.token).toBe('xoxb-fake');
    expect(call.args.blocks).toEqual([section('hello')]);

    const eph = await client.chat.postEphemeral({ channel: 'C1', user: 'U1', text: 'psst' });
    expect(eph.message_ts).toBeTruthy();
    const opened = await client.views.open({
      trigger_id: '1.2.3',
      view: { type: 'modal', title: { type: 'plain_text', text: 'Hi' }, blocks: [] },
    });
    expect(opened.view?.id).toMatch(/^V/);
    const link = await client.chat.getPermalink({ channel: 'C1', message_ts: posted.ts! });
    expect(link.permalink).toContain('http://slack.test/');
    expect(slack.methods()).toEqual(['chat.postMessage', 'chat.postEphemeral', 'views.open', 'chat.getPermalink']);
  });

  it('publishes App Home views and remembers the last one per user', async () => {
    const { slack, client } = setup();
    await client.views.publish({ user_id: 'U9', view: { type: 'home', blocks: [section('home') as any] } });
    expect(slack.homeOf('U9')?.blocks).toEqual([section('home')]);
  });

  it('uploads files through the v2 flow (upload URL on slack.test, bytes recorded)', async () => {
    const { slack, client } = setup();
    const result = await client.filesUploadV2({
      channel_id: 'C1',
      thread_ts: '1700000000.000100',
      file: Buffer.from('PNG bytes'),
      filename: 'chart.png',
      title: 'Chart',
    });
    expect(result.ok).toBe(true);
    expect(slack.uploads).toHaveLength(1);
    expect(slack.uploads[0]!.bytes).toBe(9);
    expect(slack.methods()).toEqual(['files.getUploadURLExternal', 'files.completeUploadExternal']);
    expect(slack.lastCall('files.completeUploadExternal')!.args.files[0].id).toBe(slack.uploads[0]!.fileId);
  });

  it('fails scripted calls once, then recovers', async () => {
    const { slack, client } = setup();
    slack.failNext('chat.postMessage', 'not_in_channel');
    expect(await errorOf(client.chat.postMessage({ channel: 'C1', text: 'x' }))).toMatchObject({
      error: 'not_in_channel',
    });
    expect((await client.chat.postMessage({ channel: 'C1', text: 'x' })).ok).toBe(true);
  });

  it('answers 429 with Retry-After for scripted rate limits', async () => {
    const { slack, client } = setup();
    slack.failNext('views.publish', { error: 'ratelimited', status: 429, retryAfter: 3 });
    const error = await client.views.publish({ user_id: 'U1', view: { type: 'home', blocks: [] } }).catch((e) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as webApi.WebAPIRateLimitedError).retryAfter).toBe(3);
  });

  it('records response_url posts and refuses invalid blocks there too', async () => {
    const { slack } = setup();
    const url = slack.responseUrl();
    const ok = await slack.fetch(url, { method: 'POST', body: JSON.stringify({ text: 'done' }) });
    expect(ok.status).toBe(200);
    const tooMany = Array.from({ length: 51 }, () => section('x'));
    const bad = await slack.fetch(url, { method: 'POST', body: JSON.stringify({ blocks: tooMany }) });
    expect(bad.status).toBe(400);
    expect(slack.responses.map((r) => r.status)).toEqual([200, 400]);
  });

  it('refuses URLs it does not serve and records them', async () => {
    const { slack } = setup();
    const res = await slack.fetch('http://elsewhere.test/api/chat.postMessage', { method: 'POST' });
    expect(res.status).toBe(404);
    expect(slack.unexpected).toEqual(['POST http://elsewhere.test/api/chat.postMessage']);
  });

  describe('Block Kit limits', () => {
    const refused = async (blocks: unknown[], options: Parameters<typeof createFakeSlack>[0] = {}) => {
      const { client } = setup(options);
      return errorOf(client.chat.postMessage({ channel: 'C1', text: 'x', blocks: blocks as any }));
    };

    it.each([
      ['51 blocks', Array.from({ length: 51 }, () => section('x'))],
      ['section text over 3000', [section('x'.repeat(3001))]],
      [
        '11 section fields',
        [{ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) }],
      ],
      ['a field over 2000', [{ type: 'section', fields: [{ type: 'mrkdwn', text: 'f'.repeat(2001) }] }]],
      ['a header over 150', [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }]],
      ['an image without alt_text', [{ type: 'image', image_url: 'http://img.test/a.png' }]],
      ['an image_url over 3000', [{ type: 'image', image_url: `http://img.test/${'a'.repeat(3000)}`, alt_text: 'a' }]],
      [
        '26 action elements',
        [
          {
            type: 'actions',
            elements: Array.from({ length: 26 }, (_, i) => ({
              type: 'button',
              action_id: `b${i}`,
              text: { type: 'plain_text', text: 'b' },
            })),
          },
        ],
      ],
      [
        'an option text over 75',
        [
          {
            type: 'actions',
            elements: [
              {
                type: 'static_select',
                action_id: 's',
                options: [{ text: { type: 'plain_text', text: 'o'.repeat(76) }, value: 'v' }],
              },
            ],
          },
        ],
      ],
      [
        '101 options',
        [
          {
            type: 'actions',
            elements: [
              {
                type: 'static_select',
                action_id: 's',
                options: Array.from({ length: 101 }, (_, i) => ({
                  text: { type: 'plain_text', text: `o${i}` },
                  value: `v${i}`,
                })),
              },
            ],
          },
        ],
      ],
      ['two tables', [table(2, 2), table(2, 2)]],
      ['a table with 101 rows', [table(101, 2)]],
      ['a table row with 21 cells', [table(2, 21)]],
      ['a chart title over 50', [chart({ title: 't'.repeat(51) })]],
      ['a chart with 7 series', [chart({ series: 7 })]],
      ['a category label over 20', [chart({ category: 'c'.repeat(21) })]],
      ['three charts', [chart(), chart(), chart()]],
    ])('refuses %s with invalid_blocks and a json-pointer', async (_label, blocks) => {
      const data = await refused(blocks);
      expect(data?.error).toBe('invalid_blocks');
      expect(data?.response_metadata?.messages?.[0]).toMatch(/json-pointer:\/blocks/);
    });

    it('accepts blocks at the limits', async () => {
      const { client } = setup();
      const blocks = [
        section('x'.repeat(3000)),
        { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(150) } },
        table(100, 20),
        chart({ title: 't'.repeat(50), series: 6, category: 'c'.repeat(20) }),
        chart(),
        ...Array.from({ length: 45 }, () => section('y')),
      ];
      expect(blocks).toHaveLength(50);
      expect((await client.chat.postMessage({ channel: 'C1', text: 'x', blocks: blocks as any })).ok).toBe(true);
    });

    it('refuses native data blocks entirely when told to (an old client)', async () => {
      expect((await refused([table(2, 2)], { rejectNativeBlocks: true }))?.error).toBe('invalid_blocks');
      expect((await refused([chart()], { rejectNativeBlocks: true }))?.error).toBe('invalid_blocks');
      const { slack, client } = setup();
      slack.rejectNativeBlocks = true;
      expect((await client.chat.postMessage({ channel: 'C1', text: 'x', blocks: [section('ok')] as any })).ok).toBe(
        true,
      );
    });

    it('checks views: titles and buttons ≤ 24, 100 blocks, private_metadata ≤ 3000, submit for inputs', async () => {
      const { client } = setup();
      const modal = (extra: Record<string, unknown>) =>
        errorOf(
          client.views.open({
            trigger_id: '1.2.3',
            view: { type: 'modal', title: { type: 'plain_text', text: 'Audience' }, blocks: [], ...extra } as any,
          }),
        );
      expect((await modal({ title: { type: 'plain_text', text: 't'.repeat(25) } }))?.error).toBe('invalid_arguments');
      expect((await modal({ submit: { type: 'plain_text', text: 's'.repeat(25) } }))?.error).toBe('invalid_arguments');
      expect((await modal({ private_metadata: 'm'.repeat(3001) }))?.error).toBe('invalid_arguments');
      expect((await modal({ blocks: Array.from({ length: 101 }, () => section('x')) }))?.error).toBe(
        'invalid_arguments',
      );
      const input = {
        type: 'input',
        label: { type: 'plain_text', text: 'L' },
        element: { type: 'plain_text_input', action_id: 'i' },
      };
      expect((await modal({ blocks: [input] }))?.error).toBe('invalid_arguments');
      expect(await modal({ blocks: Array.from({ length: 100 }, () => section('x')) })).toBeUndefined();
      const home = await errorOf(
        client.views.publish({
          user_id: 'U1',
          view: { type: 'home', blocks: Array.from({ length: 101 }, () => section('x')) as any },
        }),
      );
      expect(home?.error).toBe('invalid_arguments');
    });

    it('checks options responses (≤ 100 options, text and value ≤ 75)', () => {
      const option = (text: string, value = 'v') => ({ text: { type: 'plain_text', text }, value });
      expect(checkOptionsResponse({ options: [option('ok')] })).toEqual([]);
      expect(checkOptionsResponse({ options: Array.from({ length: 101 }, (_, i) => option(`o${i}`)) })).toHaveLength(1);
      expect(checkOptionsResponse({ options: [option('o', 'v'.repeat(76))] })[0]).toContain('/options/0/value');
    });
  });
});

function table(rows: number, cells: number) {
  return {
    type: 'table',
    rows: Array.from({ length: rows }, () => Array.from({ length: cells }, () => ({ type: 'raw_text', text: 'c' }))),
  };
}

function chart(input: { title?: string; series?: number; category?: string } = {}) {
  const category = input.category ?? 'Engineering';
  return {
    type: 'data_visualization',
    title: input.title ?? 'Audience',
    chart: {
      type: 'bar',
      axis_config: { categories: [category] },
      series: Array.from({ length: input.series ?? 1 }, (_, i) => ({
        name: `S${i}`,
        data: [{ label: category, value: 1 }],
      })),
    },
  };
}

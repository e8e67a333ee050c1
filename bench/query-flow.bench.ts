/**
 * The query flow's own cost: from a signed view_submission to the posted result (placeholder posted, result in
 * its place), through the real server, Bolt, SQLite and the LinkedIn client, with the sandbox at zero latency
 * and Slack a recording fake. LinkedIn's share of each request is measured inside the client's fetch and taken
 * out, so "bot" is what this code costs; baselines from the same run put it in proportion.
 *
 *   npx tsx bench/query-flow.bench.ts [submissions=200]
 *
 * Also counts the LinkedIn HTTP calls a fresh and a repeated query make (target: 2 and 0).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config.js';
import { facetUrn, GROUP_BY_FACETS } from '../src/linkedin/facets.js';
import { createLogger } from '../src/logging.js';
import { createApp } from '../src/main.js';
import { buildSandbox } from '../src/sandbox/index.js';
import { createQueryFlowExtension } from '../src/slack/query/index.js';
import { encodeModalMetadata } from '../src/slack/views/audienceModal.js';
import { createFakeSlack, FAKE_SLACK_API_URL } from '../test/support/fakeSlack.js';
import { signCommand, signInteraction, slashCommand, TEST_TEAM_ID, triggerId } from '../test/support/slackRequests.js';

const SUBMISSIONS = Number(process.argv[2] ?? 200);
const USER = { teamId: TEST_TEAM_ID, userId: 'UBENCH' };
const ACCOUNT = 'urn:li:sponsoredAccount:123';
const US = 'urn:li:geo:103644278';

const stats = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { n: sorted.length, median: at(0.5), p95: at(0.95), max: sorted.at(-1)! };
};
const ms = (n: number) => `${n.toFixed(2)} ms`;
const row = (label: string, samples: number[]) => {
  const s = stats(samples);
  return `${label.padEnd(52)} median ${ms(s.median).padStart(10)}   p95 ${ms(s.p95).padStart(10)}   (n=${s.n})`;
};

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'query-flow-bench-'));
  const signingSecret = randomBytes(16).toString('hex');
  const config = loadConfig({
    NODE_ENV: 'production',
    PUBLIC_URL: 'https://audience-bot.bench',
    DATABASE_URL: join(dir, 'bot.sqlite'),
    LINKEDIN_MODE: 'sandbox',
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_BOT_TOKEN: `xoxb-bench-${randomBytes(8).toString('hex')}`,
    SLACK_API_URL: FAKE_SLACK_API_URL,
    QUICKCHART_URL: 'http://quickchart.bench',
    LOG_LEVEL: 'silent',
  });
  const sandbox = await buildSandbox({ seed: config.sandbox.seed, knobs: { latencyMs: 0 } });

  // Every LinkedIn HTTP call the bot makes goes through this fetch: counted and timed.
  const linkedin = { calls: 0, ms: 0, endpoints: [] as string[] };
  const countingFetch: typeof fetch = async (input, init) => {
    const started = performance.now();
    try {
      return await sandbox.fetch(input, init);
    } finally {
      linkedin.ms += performance.now() - started;
      linkedin.calls += 1;
      const url = String(input instanceof Request ? input.url : input);
      linkedin.endpoints.push(new URL(url).pathname.replace(/^\/rest\//, ''));
    }
  };
  const slack = createFakeSlack({ teamId: TEST_TEAM_ID });
  // The fake Slack runs in-process (parsing forms, checking Block Kit limits): its time is Slack's, not the bot's.
  const inSlack = { ms: 0 };
  const timedSlackFetch: typeof fetch = async (input, init) => {
    const started = performance.now();
    try {
      return await slack.fetch(input, init);
    } finally {
      inSlack.ms += performance.now() - started;
    }
  };
  const app = await createApp(config, {
    logger: createLogger('silent'),
    sandbox: { ...sandbox, fetch: countingFetch },
    slack: {
      fetch: timedSlackFetch,
      apiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
      processBeforeResponse: true,
      botIdentity: { botId: 'BBOT', botUserId: 'UBOT' },
    },
    extensions: [createQueryFlowExtension],
  });
  const sign = () => ({ signingSecret, now: Date.now() });

  try {
    // A linked member (the OAuth round trip is not what is measured here).
    const tokens = sandbox.issueToken('maya-chen');
    const accounts = await app.linkedin.adAccounts(tokens.access_token);
    app.db.repos.links.upsert({
      ...USER,
      memberUrn: 'urn:li:person:maya-chen',
      memberName: 'Maya Chen',
      accessToken: tokens.access_token,
      accessTokenExpiresAt: Date.now() + tokens.expires_in * 1000,
      refreshToken: tokens.refresh_token,
      refreshTokenExpiresAt: tokens.refresh_token_expires_in
        ? Date.now() + tokens.refresh_token_expires_in * 1000
        : undefined,
      scopes: ['r_ads', 'rw_ads', 'openid', 'profile'],
      status: 'active',
    });
    app.db.repos.preferences.setCachedAccounts(USER, accounts);
    app.db.repos.preferences.setDefaultAccount(USER, ACCOUNT);
    const python = (await app.linkedin.typeahead(tokens.access_token, facetUrn('skills'), 'Python', { count: 1 }))[0]!;

    // The modal as Slack holds it (opened by a real /audience).
    await app.server.inject(signCommand(slashCommand({ userId: USER.userId, text: '' }), sign()));
    const opened = slack.lastCall('views.open')!.response.view;
    const view = {
      ...opened,
      private_metadata: encodeModalMetadata({
        mode: 'new',
        channelId: 'C0BENCH',
        includeRows: [1, 1],
        excludeRows: 1,
        extra: { a: ACCOUNT },
      }),
    };
    const opt = (value: string, text = value) => ({ text: { type: 'plain_text', text }, value });
    const valuesFor = (groupBy: string, count: number) => ({
      account: { account_select: { type: 'static_select', selected_option: opt(ACCOUNT) } },
      'inc:0:0:facet': { include_facet: { type: 'static_select', selected_option: opt('locations') } },
      'inc:0:0:values:locations': {
        'facet_values:locations': { type: 'multi_external_select', selected_options: [opt(US, 'United States')] },
      },
      'inc:1:0:facet': { include_facet: { type: 'static_select', selected_option: opt('skills') } },
      'inc:1:0:values:skills': {
        'facet_values:skills': { type: 'multi_external_select', selected_options: [opt(python.urn, python.name)] },
      },
      group_by: { group_by_select: { type: 'static_select', selected_option: opt(groupBy) } },
      order_by: { order_by_select: { type: 'radio_buttons', selected_option: opt('AUDIENCE_PERCENTAGE') } },
      max_return_count: { max_return_count_input: { type: 'number_input', value: String(count) } },
    });
    const submit = (groupBy: string, count: number) =>
      app.server.inject(
        signInteraction(
          {
            type: 'view_submission',
            team: { id: USER.teamId, domain: 'bench' },
            user: { id: USER.userId, username: 'bench', name: 'bench', team_id: USER.teamId },
            api_app_id: 'A0BENCH',
            token: 'unused',
            trigger_id: triggerId(),
            view: { ...view, state: { values: valuesFor(groupBy, count) } },
            response_urls: [],
          },
          sign(),
        ),
      );

    /** One submission: wall time, LinkedIn time and calls inside it, and whether the result was posted. */
    const measure = async (groupBy: string, count: number) => {
      const calls = linkedin.calls;
      const inLinkedIn = linkedin.ms;
      const slackBefore = inSlack.ms;
      const updates = slack.callsTo('chat.update').length;
      const started = performance.now();
      const res = await submit(groupBy, count);
      const total = performance.now() - started;
      const posted = slack.callsTo('chat.update').slice(updates);
      const ok = res.statusCode === 200 && posted.length === 1 && posted[0]!.response.ok === true;
      if (!ok || !String(posted[0]?.args.text).startsWith('Audience breakdown')) {
        throw new Error(`submission failed: ${res.statusCode} ${res.body} ${JSON.stringify(posted.at(-1)?.response)}`);
      }
      return {
        total,
        linkedinMs: linkedin.ms - inLinkedIn,
        slackMs: inSlack.ms - slackBefore,
        calls: linkedin.calls - calls,
      };
    };

    // ── LinkedIn calls: a fresh query on cold caches, then the same query again ──────────────────────────────
    linkedin.endpoints.length = 0;
    const fresh = await measure(facetUrn('jobFunctions'), 5);
    const freshEndpoints = [...linkedin.endpoints];
    const repeated = await measure(facetUrn('jobFunctions'), 5);

    // ── Warm-up (JIT, SQLite statements, the sandbox's per-facet indexes) ──────────────────────────────────────
    // Fresh specs: every one new to the result cache (not the two queries above, not the warm-up's top 100).
    const REPEATED: [string, number] = [facetUrn('seniorities'), 10];
    const taken = new Set([`${facetUrn('jobFunctions')}|5`, REPEATED.join('|')]);
    const specs: Array<[string, number]> = [];
    for (let count = 1; count < 100 && specs.length < SUBMISSIONS; count++) {
      for (const f of GROUP_BY_FACETS) {
        if (specs.length < SUBMISSIONS && !taken.has(`${f.urn}|${count}`)) specs.push([f.urn, count]);
      }
    }
    for (const f of GROUP_BY_FACETS) await measure(f.urn, 100);
    await measure(...REPEATED);

    // ── The timed run. The four kinds of request are interleaved, one of each per round, so that whatever else
    // the machine is doing weighs on all of them alike and the ratios between them hold.
    const bareCall = async (groupBy: string, count: number) => {
      const started = performance.now();
      const insight = await app.linkedin.audienceInsights(tokens.access_token, {
        request: {
          requestMetaData: { sponsoredAccount: ACCOUNT },
          targetingCriteria: {
            include: {
              and: [{ or: { [facetUrn('locations')]: [US] } }, { or: { [facetUrn('skills')]: [python.urn] } }],
            },
          },
          groupBy,
          segmentsOrderedBy: 'AUDIENCE_PERCENTAGE',
          maxReturnCount: count,
        },
      });
      await app.linkedin.resolveUrns(tokens.access_token, [US, python.urn, ...insight.segments.map((s) => s.value)]);
      return performance.now() - started;
    };
    const trivialRequest = async () => {
      const started = performance.now();
      await app.server.inject(signCommand(slashCommand({ userId: USER.userId, text: 'help' }), sign()));
      return performance.now() - started;
    };

    const freshTotal: number[] = [];
    const freshBot: number[] = [];
    const freshLinkedIn: number[] = [];
    const freshCalls: number[] = [];
    const freshSlack: number[] = [];
    const freshCode: number[] = [];
    const repeatTotal: number[] = [];
    const repeatCalls: number[] = [];
    const repeatCode: number[] = [];
    const bare: number[] = [];
    const trivial: number[] = [];
    for (const [groupBy, count] of specs) {
      // Fresh: a spec new to the result cache (LinkedIn answers; its time is taken out).
      const f = await measure(groupBy, count);
      freshTotal.push(f.total);
      freshLinkedIn.push(f.linkedinMs);
      freshBot.push(f.total - f.linkedinMs);
      freshSlack.push(f.slackMs);
      freshCode.push(f.total - f.linkedinMs - f.slackMs);
      freshCalls.push(f.calls);
      // Repeated: answered from the cache, so all of it is the bot's own time.
      const r = await measure(...REPEATED);
      repeatTotal.push(r.total);
      repeatCode.push(r.total - r.linkedinMs - r.slackMs);
      repeatCalls.push(r.calls);
      // Baselines: the bare LinkedIn calls of a fresh query (insights + one names batch) through the same client
      // and fetch, and a trivial signed request through the same server and Bolt (`/audience help`, in the ack).
      bare.push(await bareCall(groupBy, count));
      trivial.push(await trivialRequest());
    }

    const botMedian = stats(freshBot).median;
    const lines = [
      '',
      `Query flow: view_submission → placeholder → result posted (sandbox latency 0, ${SUBMISSIONS} submissions each)`,
      '',
      row('fresh query, end to end', freshTotal),
      row('  of which LinkedIn (sandbox compute + HTTP)', freshLinkedIn),
      row('  bot’s own time (end to end − LinkedIn)', freshBot),
      row('    of which the in-process fake Slack', freshSlack),
      row('    bot code only (− LinkedIn − fake Slack)', freshCode),
      row('repeated query (cache hit), end to end = bot’s own', repeatTotal),
      row('    bot code only (− fake Slack)', repeatCode),
      '',
      'Baselines (same run)',
      row('bare LinkedIn calls of a fresh query (insights+names)', bare),
      row('trivial signed request (/audience help)', trivial),
      '',
      `bot’s own time (fresh) / trivial signed request:    ${(botMedian / stats(trivial).median).toFixed(2)}×`,
      `bot’s own time (fresh) / bare LinkedIn calls:       ${(botMedian / stats(bare).median).toFixed(2)}×`,
      `target: bot’s own median ≤ 20 ms → ${botMedian <= 20 && stats(repeatTotal).median <= 20 ? 'met' : 'MISSED'} (fresh ${ms(botMedian)}, repeated ${ms(stats(repeatTotal).median)})`,
      '',
      `LinkedIn calls, fresh query (cold caches): ${fresh.calls}  [${freshEndpoints.join(', ')}]   target 2`,
      `LinkedIn calls, the same query repeated:   ${repeated.calls}   target 0`,
      `LinkedIn calls per fresh submission in the timed run: max ${Math.max(...freshCalls)}, total ${freshCalls.reduce((a, b) => a + b, 0)}`,
      `LinkedIn calls per repeated submission in the timed run: max ${Math.max(...repeatCalls)}`,
      '',
    ];
    process.stdout.write(lines.join('\n'));
  } finally {
    await app.close();
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

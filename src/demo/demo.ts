/**
 * `npm run demo`: the bot's main job, offline, on embedded defaults. The real bot (`createApp`, the query flow
 * extension, the signature-checking receiver, SQLite in a temp folder) runs in-process with the LinkedIn sandbox
 * and a Slack recorder; a demo person links LinkedIn through the real OAuth routes, asks the documentation's
 * sample query in the modal, shares the answer to a channel and breaks it down in the thread. What Slack would
 * show is printed from the Block Kit the bot posted, and written to files with Block Kit Builder links.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { loadConfig } from '../config.js';
import { createBrowser } from '../devtools/browser.js';
import { createFakeSlack, FAKE_SLACK_API_URL } from '../devtools/fakeSlack.js';
import type { SlackActor } from '../devtools/slackRequests.js';
import type { ShownMessage } from '../devtools/slackTimeline.js';
import { LINK_CALLBACK_PATH } from '../linking/service.js';
import { createLogger, type LogLevelName } from '../logging.js';
import { type AppHandles, createApp } from '../main.js';
import { buildSandbox, type Sandbox, type SandboxKnobs } from '../sandbox/index.js';
import { createQueryFlowExtension } from '../slack/query/index.js';
import { facetBlockId, MODAL_BLOCK, type RowPlace, valuesBlockId } from '../slack/views/audienceModal.js';
import { DemoFailure } from './errors.js';
import { findButtonUrl, isBreakdown, type Printer, pageHeadline, printMessage, writeMessageFiles } from './output.js';
import { SAMPLE_QUERY } from './sample.js';
import { createSlackUser, type ModalSession, optionsOf, type SlackUser } from './slackUser.js';

export interface DemoOutput {
  write(chunk: string): unknown;
}

export interface RunDemoOptions {
  /** Where the demo prints (process.stdout from the command line). */
  out: DemoOutput;
  /** Where the raw Block Kit goes; default ./demo-output. */
  outputDir?: string;
  /** ANSI bold/dim in the rendered messages. */
  color?: boolean;
  /** The bot's log level (default silent) and where its lines go (default stderr). */
  logLevel?: LogLevelName;
  logTo?: NodeJS.WritableStream;
  /** LinkedIn sandbox knobs, e.g. `{ provisioned: false }` to see how a failing LinkedIn is reported. */
  sandboxKnobs?: Partial<SandboxKnobs>;
}

export interface DemoResult {
  durationMs: number;
  /** The answer as shared in the channel, and the breakdown in its thread. */
  shared: ShownMessage;
  thread: ShownMessage;
  files: { result: string; thread: string };
  chartUrls: string[];
}

/** Not a real endpoint: the demo never listens, it injects requests; the URL only shapes links and cookies. */
const DEMO_PUBLIC_URL = 'http://localhost:3000';
const CHANNEL = { id: 'C0MARKETING', name: 'marketing' };
const ACTOR: SlackActor = {
  teamId: 'T0DEMO',
  teamDomain: 'demo',
  userId: 'U0MAYA',
  userName: 'maya.chen',
  appId: 'A0AUDIENCE',
};
const BOT = { botId: 'B0AUDIENCE', botUserId: 'U0AUDIENCE' };

export async function runDemo(options: RunDemoOptions): Promise<DemoResult> {
  const started = performance.now();
  const print: Printer = (line = '') => options.out.write(`${line}\n`);
  const outputDir = resolve(options.outputDir ?? 'demo-output');
  const step = (n: number, title: string, details: string[]) => {
    print(`  ✓ ${n}. ${title}`);
    for (const d of details) print(`       ${d}`);
  };

  print('Audience bot demo: the real bot in-process, the LinkedIn sandbox, a recording Slack.');
  print('No network, no credentials: every request below is signed like Slack signs it and verified by the bot.');
  print();

  const dir = mkdtempSync(join(tmpdir(), 'audience-demo-'));
  const cleanup: Array<() => Promise<void> | void> = [() => rmSync(dir, { recursive: true, force: true })];
  try {
    const signingSecret = randomBytes(32).toString('hex');
    const config = loadConfig({
      PUBLIC_URL: DEMO_PUBLIC_URL,
      DATABASE_URL: join(dir, 'demo.sqlite'),
      LINKEDIN_MODE: 'sandbox',
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_BOT_TOKEN: `xoxb-demo-${randomBytes(12).toString('hex')}`,
      SLACK_API_URL: FAKE_SLACK_API_URL,
      LOG_LEVEL: options.logLevel ?? 'silent',
    });
    const logger = createLogger(config.logLevel, options.logTo ?? process.stderr);
    const sandbox: Sandbox = await buildSandbox({
      seed: config.sandbox.seed,
      redirectUriPrefixes: [`${config.publicUrl}${LINK_CALLBACK_PATH}`],
      ...(options.sandboxKnobs ? { knobs: options.sandboxKnobs } : {}),
    });
    cleanup.push(() => sandbox.close());
    const slack = createFakeSlack({ teamId: ACTOR.teamId, botId: BOT.botId, botUserId: BOT.botUserId });
    const app: AppHandles = await createApp(config, {
      logger,
      sandbox,
      slack: {
        fetch: slack.fetch,
        apiUrl: slack.apiUrl,
        retryConfig: { retries: 0 },
        // Each injected request resolves once the bot's listeners are done, as the demo reads what they posted.
        processBeforeResponse: true,
        botIdentity: BOT,
      },
      extensions: [createQueryFlowExtension],
    });
    cleanup.push(() => app.close());
    step(1, 'Started the bot', [
      'createApp: Fastify + Bolt on the bot’s receiver, the query flow, SQLite in a temp folder, a Slack recorder;',
      `LinkedIn sandbox in-process (seed ${config.sandbox.seed}, ${sandbox.population.size.toLocaleString('en-US')} synthetic members)`,
    ]);

    const user = createSlackUser({ server: app.server, slack, signingSecret, actor: ACTOR, now: () => Date.now() });

    const memberName = await linkLinkedIn(app, user, config.publicUrl);
    step(2, `Linked @${ACTOR.userName} to LinkedIn as ${memberName}`, [
      '/audience link → one-time link → /oauth/linkedin/start → LinkedIn consent (sandbox, approved as',
      `${SAMPLE_QUERY.member}) → /oauth/linkedin/callback`,
    ]);

    const asked = await askSampleQuery(user, sandbox);
    step(3, `Asked the documentation's sample query in #${CHANNEL.name}`, asked.details);

    const shared = await shareAnswer(user, asked.answer);
    step(4, `Shared the answer to #${CHANNEL.name}`, [
      '“Share to channel” on the private answer in the DM with the bot',
    ]);

    const breakdown = await breakDownInThread(user, shared);
    step(5, `Broke it down by ${breakdown.choice} in the thread`, [
      '“Break down by…” on the shared message → a reply in its thread',
    ]);

    const names = { users: { [ACTOR.userId]: ACTOR.userName }, channels: { [CHANNEL.id]: CHANNEL.name } };
    print();
    print(`What #${CHANNEL.name} shows:`);
    print();
    printMessage(print, shared.blocks, { ...names, color: options.color ?? false, prefix: '  ' });
    print();
    print('  ↳ 1 reply in the thread');
    printMessage(print, breakdown.reply.blocks, { ...names, color: options.color ?? false, prefix: '  │ ' });
    print();

    const written = writeMessageFiles(print, outputDir, [
      { name: 'result', label: 'the shared answer', blocks: shared.blocks },
      { name: 'thread', label: 'the thread reply', blocks: breakdown.reply.blocks },
    ]);
    const durationMs = performance.now() - started;
    print();
    print(`Done: 5 steps in ${(durationMs / 1000).toFixed(1)} s. Output in ${displayPath(outputDir)}/.`);
    return {
      durationMs,
      shared,
      thread: breakdown.reply,
      files: { result: written.files.result!.json, thread: written.files.thread!.json },
      chartUrls: written.chartUrls,
    };
  } finally {
    for (const step of cleanup.reverse()) {
      try {
        await step();
      } catch {
        // Shutting down after a failure must not hide the failure.
      }
    }
  }
}

const displayPath = (path: string) => {
  const rel = relative(process.cwd(), path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
};

/** `/audience link`, then the browser: the one-time link, LinkedIn's consent (auto-approved), the callback. */
async function linkLinkedIn(app: AppHandles, user: SlackUser, publicUrl: string): Promise<string> {
  const reply = await user.command('link', CHANNEL);
  const startUrl = findButtonUrl(reply.json());
  if (!startUrl) throw new DemoFailure(`/audience link did not answer with a link button: ${reply.body.slice(0, 300)}`);
  const browser = createBrowser(app.server, publicUrl);
  const start = await browser.get(startUrl);
  const consentUrl = start.headers.location;
  if (start.statusCode !== 302 || typeof consentUrl !== 'string') {
    throw new DemoFailure(`the link did not lead to LinkedIn (HTTP ${start.statusCode}: ${pageHeadline(start.body)})`);
  }
  const hops = await browser.follow(`${consentUrl}&member=${encodeURIComponent(SAMPLE_QUERY.member)}`);
  const page = hops.at(-1)!;
  const status = app.linking.status({ teamId: ACTOR.teamId, userId: ACTOR.userId });
  if (page.statusCode !== 200 || !status.linked) {
    throw new DemoFailure(`linking LinkedIn failed (HTTP ${page.statusCode}: ${pageHeadline(page.body)})`);
  }
  return status.memberName ?? SAMPLE_QUERY.member;
}

/** `/audience`, then the modal filled in as a person would: rows, “Add a group”, typeahead picks, submit. */
async function askSampleQuery(user: SlackUser, sandbox: Sandbox) {
  const mark = user.mark();
  await user.command('', CHANNEL);
  const modal = user.openedModal(mark);
  const urns = SAMPLE_QUERY.include.map((row) => row.values.map((v) => v.split(':').at(-1)).join('|')).join(' AND ');
  const details: string[] = [
    `(${SAMPLE_QUERY.account.split(':').at(-1)}: ${urns}; by ${SAMPLE_QUERY.groupBy.split(':').at(-1)}, top ${SAMPLE_QUERY.maxReturnCount})`,
    `/audience → modal “${modal.title()}”`,
  ];

  const accountMenu = modal.view().blocks.find((b: any) => b.block_id === MODAL_BLOCK.account)?.element;
  if (accountMenu?.initial_option?.value !== SAMPLE_QUERY.account) {
    await modal.chooseAndDispatch(MODAL_BLOCK.account, (o) => o.value === SAMPLE_QUERY.account);
  }
  const account = optionsOf(accountMenu).find((o) => o.value === SAMPLE_QUERY.account)?.text ?? SAMPLE_QUERY.account;
  details.push(`Ad account: ${account}`);

  for (const [group, row] of SAMPLE_QUERY.include.entries()) {
    if (group > 0) await modal.click('Add a group');
    const place: RowPlace = { kind: 'include', group, row: 0 };
    const facet = await chooseRowFacet(modal, place, row.facet);
    const picked: string[] = [];
    let typed = false;
    for (const urn of row.values) {
      const chosen = await chooseValue(modal, sandbox, place, row.facet, urn);
      picked.push(chosen.text);
      typed ||= chosen.typed;
    }
    const how = typed ? ' (typed, picked from the typeahead)' : ' (picked from the list)';
    details.push(`${group === 0 ? 'Members with' : 'and with'} ${facet}: ${picked.join(' or ')}${how}`);
  }
  const groupBy = modal.pick(MODAL_BLOCK.groupBy, (o) => o.value === SAMPLE_QUERY.groupBy);
  modal.type(MODAL_BLOCK.maxReturnCount, String(SAMPLE_QUERY.maxReturnCount));
  details.push(`Break the audience down by ${groupBy.text}, ${SAMPLE_QUERY.maxReturnCount} segments`);

  const beforeSubmit = user.mark();
  await modal.submit();
  details.push('“Get breakdown” → a placeholder in the DM with the bot, replaced by the answer');

  const answers = user
    .messages()
    .filter((m) => m.postedAt >= beforeSubmit && m.channel.startsWith('D') && !m.threadTs && !m.visibleTo);
  const answer = answers.at(-1);
  if (!answer) throw new DemoFailure('the bot posted no answer to the submitted query');
  if (!isBreakdown(answer.blocks)) throw answeredWithoutBreakdown('asking the sample query', answer);
  return { answer, details };
}

async function chooseRowFacet(modal: ModalSession, place: RowPlace, facet: string): Promise<string> {
  const blockId = facetBlockId(place);
  const menu = modal.view().blocks.find((b: any) => b.block_id === blockId)?.element;
  const current = menu?.initial_option;
  if (current?.value === facet) return String(current.text.text);
  return (await modal.chooseAndDispatch(blockId, (o) => o.value === facet)).text;
}

/**
 * A value as a person picks it: from the listed options, or by typing its name into the typeahead (the short
 * name first, as people type, e.g. “New York”; the full one if that does not offer it).
 */
async function chooseValue(
  modal: ModalSession,
  sandbox: Sandbox,
  place: RowPlace,
  facet: string,
  urn: string,
): Promise<{ text: string; typed: boolean }> {
  const blockId = valuesBlockId(place, facet);
  const element = modal.view().blocks.find((b: any) => b.block_id === blockId)?.element;
  if (element?.type !== 'multi_external_select') {
    return { text: modal.pick(blockId, (o) => o.value === urn).text, typed: false };
  }
  const name = sandbox.catalog.lookup(urn)?.name;
  if (!name) throw new DemoFailure(`the sandbox has no name for ${urn}`);
  const short = name.split(',')[0]!.trim();
  if (short !== name) {
    try {
      return { text: (await modal.typeAndPick(blockId, short, (o) => o.value === urn)).text, typed: true };
    } catch (error) {
      if (!(error instanceof DemoFailure)) throw error;
    }
  }
  return { text: (await modal.typeAndPick(blockId, name, (o) => o.value === urn)).text, typed: true };
}

async function shareAnswer(user: SlackUser, answer: ShownMessage): Promise<ShownMessage> {
  const button = findElement(answer.blocks, (e) => e.type === 'button' && /share to channel/i.test(e.text?.text));
  if (!button) throw new DemoFailure('the answer has no “Share to channel” button');
  const mark = user.mark();
  await user.clickMessage(
    { channelId: answer.channel, channelName: 'directmessage', ts: answer.ts },
    { kind: 'button', actionId: button.element.action_id, blockId: button.blockId, value: button.element.value },
  );
  const posted = user.messages().filter((m) => m.postedAt >= mark);
  const shared = posted.find((m) => m.channel === CHANNEL.id && !m.threadTs && !m.visibleTo);
  if (!shared) throw toldInstead(`sharing to #${CHANNEL.name}`, posted);
  if (!isBreakdown(shared.blocks)) throw answeredWithoutBreakdown('sharing', shared);
  return shared;
}

async function breakDownInThread(user: SlackUser, shared: ShownMessage) {
  const menu = findElement(shared.blocks, (e) => e.type === 'static_select' && /break down/i.test(e.placeholder?.text));
  if (!menu) throw new DemoFailure('the shared answer has no “Break down by…” menu');
  const option = optionsOf(menu.element).find((o) => SAMPLE_QUERY.followUp.test(o.text));
  if (!option) throw new DemoFailure(`“Break down by…” does not offer ${SAMPLE_QUERY.followUp}`);
  const mark = user.mark();
  await user.clickMessage(
    { channelId: shared.channel, channelName: CHANNEL.name, ts: shared.ts },
    { kind: 'static_select', actionId: menu.element.action_id, blockId: menu.blockId, option },
  );
  const posted = user.messages().filter((m) => m.postedAt >= mark);
  const reply = posted.find((m) => m.channel === shared.channel && m.threadTs === shared.ts && !m.visibleTo);
  if (!reply) throw toldInstead('breaking down in the thread', posted);
  if (!isBreakdown(reply.blocks)) throw answeredWithoutBreakdown('breaking down in the thread', reply);
  return { reply, choice: option.text };
}

function findElement(
  blocks: readonly unknown[],
  wanted: (element: any) => boolean,
): { element: any; blockId: string } | undefined {
  for (const block of blocks as any[]) {
    const elements = block?.type === 'actions' ? block.elements : block?.accessory ? [block.accessory] : [];
    const element = (elements as any[]).find(wanted);
    if (element) return { element, blockId: String(block.block_id ?? '') };
  }
  return undefined;
}

const describeMessage = (m: ShownMessage) => {
  const plain = m.text || JSON.stringify(m.blocks).slice(0, 300);
  return plain.length > 400 ? `${plain.slice(0, 400)}…` : plain;
};

function answeredWithoutBreakdown(what: string, message: ShownMessage): DemoFailure {
  return new DemoFailure(`${what}: the bot answered “${describeMessage(message)}” instead of a breakdown`);
}

function toldInstead(what: string, posted: ShownMessage[]): DemoFailure {
  const told = posted.filter((m) => m.visibleTo || m.channel.startsWith('D')).at(-1);
  return new DemoFailure(
    told ? `${what}: the bot only said “${describeMessage(told)}”` : `${what}: the bot posted nothing`,
  );
}

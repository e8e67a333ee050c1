/**
 * `createTestApp()` builds the REAL bot (createApp → buildServer, Bolt on our receiver, SQLite in a temp folder,
 * link service, listeners) with fakes only at the edges: the recording fake Slack API, the LinkedIn sandbox
 * in-process, and a clock the test moves. Drive it with the signed-request helpers it carries:
 *
 *   const t = await createTestApp();
 *   const res = await t.command('status', { userId: 'U1' });        // signed slash command, injected
 *   await t.linkUser({ userId: 'U1' });                             // full OAuth flow through the sandbox
 *   await t.event(appHomeOpened({ userId: 'U1' }));
 *   expect(t.slack.homeOf('U1')?.blocks).toBeDefined();
 *   t.clock.advance(61 * 24 * 3600_000);                            // tokens expire
 *   await t.close();
 *
 * `processBeforeResponse` is on, so each `inject()` resolves after the listeners' Web API calls.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { type Config, loadConfig } from '../../src/config.js';
import { LINK_CALLBACK_PATH } from '../../src/linking/service.js';
import { createLogger } from '../../src/logging.js';
import { type AppHandles, createApp, type SlackExtensionFactory } from '../../src/main.js';
import { buildSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { type Browser, createBrowser } from './browser.js';
import { capturingLogger } from './capturedLogs.js';
import { createFakeSlack, FAKE_SLACK_API_URL, type FakeSlack } from './fakeSlack.js';
import {
  type BlockActionInput,
  blockActions,
  blockSuggestion,
  type SignOptions,
  type SlashCommandInput,
  type SuggestionInput,
  signCommand,
  signEvent,
  signInteraction,
  slashCommand,
  TEST_TEAM_ID,
  type ViewSubmissionInput,
  viewSubmission,
} from './slackRequests.js';

export const TEST_PUBLIC_URL = 'https://audience-bot.test';
export const TEST_BOT_IDENTITY = { botId: 'BBOT', botUserId: 'UBOT' };

export interface TestClock {
  now(): number;
  advance(ms: number): void;
  set(epochMs: number): void;
}

export function createTestClock(start = Date.now()): TestClock {
  let current = start;
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
    },
    set: (epochMs) => {
      current = epochMs;
    },
  };
}

export interface TestAppOptions {
  /** Extra environment for loadConfig (e.g. `CHART_STYLE`). */
  env?: Record<string, string>;
  extensions?: readonly SlackExtensionFactory[];
  /** Make the fake Slack refuse table/data_visualization blocks. */
  rejectNativeBlocks?: boolean;
  /** Keep every log line (level debug) in `logs`, e.g. to prove tokens never reach them. */
  captureLogs?: boolean;
  startAt?: number;
  processBeforeResponse?: boolean;
}

export interface LinkedUser {
  teamId: string;
  userId: string;
  memberId: string;
  /** The page the browser ended on. */
  page: LightMyRequestResponse;
}

export interface TestApp {
  app: AppHandles;
  server: AppHandles['server'];
  config: Config;
  slack: FakeSlack;
  sandbox: Sandbox;
  clock: TestClock;
  signingSecret: string;
  /** The temp folder holding the SQLite file (`dbPath`). */
  dir: string;
  dbPath: string;
  logs: string[];
  /** Signing options bound to this app's secret and clock; spread and override to forge or age. */
  sign(extra?: Partial<SignOptions>): SignOptions;
  /** `/audience <text>` as the given user, signed and injected. */
  command(text: string, input?: SlashCommandInput, sign?: Partial<SignOptions>): Promise<LightMyRequestResponse>;
  action(input: BlockActionInput, sign?: Partial<SignOptions>): Promise<LightMyRequestResponse>;
  suggest(input: SuggestionInput, sign?: Partial<SignOptions>): Promise<LightMyRequestResponse>;
  submit(input: ViewSubmissionInput, sign?: Partial<SignOptions>): Promise<LightMyRequestResponse>;
  event(envelope: Record<string, unknown>, sign?: Partial<SignOptions>): Promise<LightMyRequestResponse>;
  /** A fresh cookie-keeping browser on the public URL. */
  browser(): Browser;
  /**
   * Links a Slack user to a sandbox member through the real flow: `/audience link`, the start URL, the sandbox's
   * consent page (auto-approved with `&member=`), the callback.
   */
  linkUser(input?: { userId?: string; teamId?: string; memberId?: string; browser?: Browser }): Promise<LinkedUser>;
  close(): Promise<void>;
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'audience-bot-'));
  const dbPath = join(dir, 'bot.sqlite');
  const signingSecret = randomBytes(16).toString('hex');
  const config = loadConfig({
    NODE_ENV: 'test',
    PUBLIC_URL: TEST_PUBLIC_URL,
    DATABASE_URL: dbPath,
    LINKEDIN_MODE: 'sandbox',
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_BOT_TOKEN: `xoxb-test-${randomBytes(8).toString('hex')}`,
    SLACK_API_URL: FAKE_SLACK_API_URL,
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const clock = createTestClock(options.startAt);
  const slack = createFakeSlack({ rejectNativeBlocks: options.rejectNativeBlocks, teamId: TEST_TEAM_ID });
  // The sandbox shares the test clock: moving it expires tokens at "LinkedIn" too.
  const sandbox = await buildSandbox({
    seed: config.sandbox.seed,
    now: () => clock.now(),
    redirectUriPrefixes: [`${config.publicUrl}${LINK_CALLBACK_PATH}`],
  });
  const captured = options.captureLogs ? capturingLogger('debug') : undefined;
  const logs = captured?.written ?? [];
  const logger = captured?.logger ?? createLogger('silent');

  let app: AppHandles;
  try {
    app = await createApp(config, {
      clock,
      logger,
      sandbox,
      slack: {
        fetch: slack.fetch,
        apiUrl: slack.apiUrl,
        retryConfig: { retries: 0 },
        processBeforeResponse: options.processBeforeResponse ?? true,
        botIdentity: TEST_BOT_IDENTITY,
      },
      extensions: options.extensions,
    });
  } catch (error) {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  const sign = (extra: Partial<SignOptions> = {}): SignOptions => ({ signingSecret, now: clock.now(), ...extra });
  const server = app.server;

  const testApp: TestApp = {
    app,
    server,
    config,
    slack,
    sandbox,
    clock,
    signingSecret,
    dir,
    dbPath,
    logs,
    sign,
    command: (text, input = {}, extra) => server.inject(signCommand(slashCommand({ ...input, text }), sign(extra))),
    action: (input, extra) => server.inject(signInteraction(blockActions(input), sign(extra))),
    suggest: (input, extra) => server.inject(signInteraction(blockSuggestion(input), sign(extra))),
    submit: (input, extra) => server.inject(signInteraction(viewSubmission(input), sign(extra))),
    event: (envelope, extra) => server.inject(signEvent(envelope, sign(extra))),
    browser: () => createBrowser(server, config.publicUrl),

    async linkUser(input = {}) {
      const userId = input.userId ?? 'U0TEST';
      const teamId = input.teamId ?? TEST_TEAM_ID;
      const memberId = input.memberId ?? sandbox.members[0]!.id;
      const browser = input.browser ?? testApp.browser();
      const reply = await testApp.command('link', { userId, teamId });
      const startUrl = findButtonUrl(reply.json());
      if (!startUrl) throw new Error(`/audience link did not answer with a link button: ${reply.body}`);
      const start = await browser.get(startUrl);
      const consentUrl = start.headers.location;
      if (start.statusCode !== 302 || typeof consentUrl !== 'string') {
        throw new Error(`the start route did not redirect (${start.statusCode}): ${start.body}`);
      }
      const hops = await browser.follow(`${consentUrl}&member=${encodeURIComponent(memberId)}`);
      const page = hops.at(-1)!;
      return { teamId, userId, memberId, page };
    },

    async close() {
      await app.close();
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return testApp;
}

/** The first `url` of a button in a Slack message or view (the one-time link). */
export function findButtonUrl(message: unknown): string | undefined {
  let found: string | undefined;
  const visit = (node: unknown): void => {
    if (found || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    const obj = node as Record<string, unknown>;
    if (obj.type === 'button' && typeof obj.url === 'string') {
      found = obj.url;
      return;
    }
    Object.values(obj).forEach(visit);
  };
  visit(message);
  return found;
}

/**
 * Closes a test app and any other fakes given, then checks that every outbound request went to a fake: nothing
 * reached a URL the fake Slack does not serve. For `afterEach`.
 */
export async function closeCheckingFakes(
  t: TestApp | undefined,
  ...others: Array<{ close(): Promise<unknown> } | undefined>
): Promise<void> {
  const unexpected = t ? [...t.slack.unexpected] : [];
  await t?.close();
  for (const other of others) await other?.close();
  expect(unexpected).toEqual([]);
}

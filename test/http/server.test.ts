import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createApp } from '../../src/main.js';
import { buildSandbox } from '../../src/sandbox/index.js';
import { createFakeSlack } from '../support/fakeSlack.js';
import { createTestApp, type TestApp } from '../support/testApp.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('GET /healthz', () => {
  it('answers from the database and the process', async () => {
    t = await createTestApp();
    const res = await t.server.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toMatchObject({ status: 'ok', checks: { database: 'ok' }, slack: 'http', linkedin: 'sandbox' });
  });

  it('says unavailable (503) when the database fails, whatever LinkedIn does', async () => {
    t = await createTestApp();
    t.sandbox.knobs.rate500 = 1;
    expect((await t.server.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    t.app.db.close();
    const res = await t.server.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'unavailable', checks: { database: 'failing' } });
  });
});

describe('the server', () => {
  it('serves the sandbox consent page under /linkedin-sandbox in sandbox mode', async () => {
    t = await createTestApp();
    const res = await t.server.inject({ method: 'GET', url: '/linkedin-sandbox/oauth/v2/authorization' });
    // The sandbox itself answers (its own validation page), through the bot's server.
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('text/html');
  });

  it('answers unknown routes with a plain 404 and keeps normal JSON parsing outside Slack’s route', async () => {
    t = await createTestApp();
    const res = await t.server.inject({ method: 'POST', url: '/nope', payload: { a: 1 } });
    expect(res.statusCode).toBe(404);
  });

  it('in Socket Mode serves OAuth and health but no Slack request URL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'audience-socket-'));
    const sandbox = await buildSandbox();
    const slack = createFakeSlack();
    const config = loadConfig({
      DATABASE_URL: join(dir, 'bot.sqlite'),
      SLACK_BOT_TOKEN: 'xoxb-socket',
      SLACK_APP_TOKEN: 'xapp-1-socket',
      SLACK_API_URL: slack.apiUrl,
      LOG_LEVEL: 'silent',
    });
    const app = await createApp(config, { sandbox, slack: { fetch: slack.fetch } });
    try {
      expect(app.slack.mode).toBe('socket');
      expect((await app.server.inject({ method: 'POST', url: '/slack/events', payload: {} })).statusCode).toBe(404);
      expect((await app.server.inject({ method: 'GET', url: '/healthz' })).json().slack).toBe('socket');
      expect((await app.server.inject({ method: 'GET', url: '/oauth/linkedin/start' })).statusCode).toBe(400);
    } finally {
      await app.close();
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start without the Slack settings it needs, naming them', async () => {
    const config = loadConfig({ LOG_LEVEL: 'silent' });
    await expect(createApp(config)).rejects.toThrow(
      /SLACK_BOT_TOKEN is required[\s\S]*SLACK_SIGNING_SECRET is required/,
    );
  });
});

describe('npm start', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill('SIGKILL');
  });

  it('starts with only SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN, serves health, and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'audience-start-'));
    const port = await freePort();
    const root = resolve(import.meta.dirname, '../..');
    try {
      child = spawn(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'src/main.ts')], {
        cwd: dir,
        env: {
          PATH: process.env.PATH,
          SLACK_SIGNING_SECRET: 'start-test-secret',
          SLACK_BOT_TOKEN: 'xoxb-start-test',
          PORT: String(port),
          HOST: '127.0.0.1',
          // Never reached: nothing calls Slack during start-up.
          SLACK_API_URL: 'http://127.0.0.1:9/api/',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout!.on('data', (d) => {
        output += d;
      });
      child.stderr!.on('data', (d) => {
        output += d;
      });
      await waitFor(
        () => output.includes('audience bot ready'),
        60_000,
        () => output,
      );
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(((await health.json()) as { linkedin: string }).linkedin).toBe('sandbox');
      // The sandbox key was generated next to the database (no TOKEN_ENCRYPTION_KEY given).
      expect(output).toContain('TOKEN_ENCRYPTION_KEY is not set');
      expect(output).not.toContain('xoxb-start-test');

      const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output).toContain('stopped');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitFor(condition: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out; output so far:\n${describe()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

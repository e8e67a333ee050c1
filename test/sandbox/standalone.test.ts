import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DEMO_CLIENT_SECRET } from '../../src/sandbox/index.js';
import { banner, startStandalone } from '../../src/sandbox/standalone.js';

describe('standalone sandbox', () => {
  it('listens on a loopback port and prints what a person needs', async () => {
    const running = await startStandalone({ port: 0, host: '127.0.0.1', seed: 42, populationSize: 2000 });
    try {
      expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${running.url}/v2/userinfo`);
      expect(res.status).toBe(401);
      const text = banner(running.url, running.sandbox, Date.UTC(2026, 10, 29));
      expect(text).toContain(running.url);
      expect(text).toContain(running.sandbox.clientId);
      expect(text).toContain(DEMO_CLIENT_SECRET);
      for (const m of running.sandbox.members) expect(text).toContain(m.id);
      expect(text).toContain('curl -s "$BASE/rest/targetingAudienceInsights?action=audienceInsights"');
      expect(text).toContain('V=202609');
    } finally {
      await running.close();
    }
  });

  it('never prints a secret that came from the environment', async () => {
    const running = await startStandalone({
      port: 0,
      host: '127.0.0.1',
      seed: 42,
      populationSize: 2000,
      clientId: 'app-from-env',
      clientSecret: 'very-real-secret',
    });
    try {
      const text = banner(running.url, running.sandbox);
      expect(text).not.toContain('very-real-secret');
      expect(text).toContain('app-from-env');
    } finally {
      await running.close();
    }
  });

  it('stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/sandbox/standalone.ts'], {
      env: { ...process.env, SANDBOX_PORT: '0', SANDBOX_HOST: '127.0.0.1', SANDBOX_POPULATION_SIZE: '2000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 20_000;
    while (!out.includes('Walkthrough') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
    expect(url).toBeDefined();
    expect((await fetch(`${url}/v2/userinfo`)).status).toBe(401);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('SIGTERM: stopping the sandbox');
  });
});

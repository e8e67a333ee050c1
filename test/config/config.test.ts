import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_LINKEDIN_VERSION, loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('runs on embedded defaults: sandbox LinkedIn and a SQLite file', () => {
    const config = loadConfig({});
    expect(config.linkedin.mode).toBe('sandbox');
    expect(config.databaseUrl).toBe('./data/bot.sqlite');
    expect(config.linkedin.version).toBe(DEFAULT_LINKEDIN_VERSION);
    expect(config.port).toBe(3000);
    expect(config.slack.apiUrl.endsWith('/')).toBe(true);
    expect(config.charts.style).toBe('quickchart');
  });

  it('names every missing or malformed variable in one error', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', LINKEDIN_MODE: 'live', LINKEDIN_VERSION: '2026-09', PUBLIC_URL: 'not a url' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of [
      'PORT',
      'LINKEDIN_VERSION',
      'PUBLIC_URL',
      'LINKEDIN_CLIENT_ID',
      'LINKEDIN_CLIENT_SECRET',
      'TOKEN_ENCRYPTION_KEY',
    ]) {
      expect(message).toContain(name);
    }
  });

  it('rejects tokens of the wrong kind without echoing them', () => {
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'secret-value-123' })).toThrow(/SLACK_BOT_TOKEN/);
    try {
      loadConfig({ SLACK_BOT_TOKEN: 'secret-value-123' });
    } catch (e) {
      expect((e as Error).message).not.toContain('secret-value-123');
    }
  });

  it('accepts a hex or base64 encryption key and trims trailing slashes from URLs', () => {
    const hex = 'a'.repeat(64);
    const config = loadConfig({
      TOKEN_ENCRYPTION_KEY: hex,
      PUBLIC_URL: 'https://bot.example.com/',
      LINKEDIN_API_URL: 'http://127.0.0.1:4010/rest/',
    });
    expect(config.tokenEncryptionKey).toBe(hex);
    expect(config.publicUrl).toBe('https://bot.example.com');
    expect(config.linkedin.apiUrl).toBe('http://127.0.0.1:4010/rest');
    expect(() => loadConfig({ TOKEN_ENCRYPTION_KEY: 'short' })).toThrow(/TOKEN_ENCRYPTION_KEY/);
  });
});

import { z } from 'zod';

/** The LinkedIn-Version the bot sends unless told otherwise: a version inside LinkedIn's one-year support window. */
export const DEFAULT_LINKEDIN_VERSION = '202609';

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const url = (fallback: string) =>
  z.string().trim().url({ message: 'must be an absolute URL such as https://example.com' }).default(fallback);

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: url('http://localhost:3000'),
  DATABASE_URL: z.string().trim().min(1).default('./data/bot.sqlite'),
  LINKEDIN_MODE: z.enum(['sandbox', 'live']).default('sandbox'),
  LINKEDIN_CLIENT_ID: optionalString,
  LINKEDIN_CLIENT_SECRET: optionalString,
  LINKEDIN_API_URL: url('https://api.linkedin.com/rest'),
  LINKEDIN_OAUTH_URL: url('https://www.linkedin.com/oauth/v2'),
  LINKEDIN_VERSION: z
    .string()
    .trim()
    .regex(/^20\d{2}(0[1-9]|1[0-2])(\.\d{2})?$/, { message: 'must be a LinkedIn version such as 202609 (YYYYMM)' })
    .default(DEFAULT_LINKEDIN_VERSION),
  TOKEN_ENCRYPTION_KEY: optionalString.pipe(
    z
      .string()
      .regex(/^(?:[A-Fa-f0-9]{64}|[A-Za-z0-9+/_-]{43}=?)$/, {
        message: 'must be 32 bytes as 64 hex characters or base64 (generate one: openssl rand -hex 32)',
      })
      .optional(),
  ),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_BOT_TOKEN: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_API_URL: url('https://slack.com/api/'),
  QUICKCHART_URL: url('https://quickchart.io'),
  CHART_STYLE: z.enum(['quickchart', 'native', 'upload']).default('quickchart'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(4010),
  SANDBOX_SEED: z.coerce.number().int().default(42),
  METRICS_TOKEN: optionalString,
});

/** Rules across variables, checked on the raw values so they are reported together with the per-variable ones. */
function crossFieldProblems(source: Record<string, string | undefined>): string[] {
  const value = (key: string) => source[key]?.trim() || undefined;
  const problems: string[] = [];
  if (value('LINKEDIN_MODE') === 'live') {
    for (const key of ['LINKEDIN_CLIENT_ID', 'LINKEDIN_CLIENT_SECRET', 'TOKEN_ENCRYPTION_KEY']) {
      if (!value(key)) problems.push(`${key} is required when LINKEDIN_MODE=live`);
    }
  }
  const bot = value('SLACK_BOT_TOKEN');
  if (bot && !/^xox[bp]-/.test(bot)) problems.push('SLACK_BOT_TOKEN must be a bot token starting with xoxb-');
  const app = value('SLACK_APP_TOKEN');
  if (app && !app.startsWith('xapp-')) problems.push('SLACK_APP_TOKEN must be an app-level token starting with xapp-');
  return problems;
}

type Env = z.infer<typeof schema>;

export interface Config {
  env: Env['NODE_ENV'];
  port: number;
  host: string;
  publicUrl: string;
  databaseUrl: string;
  logLevel: Env['LOG_LEVEL'];
  linkedin: {
    mode: 'sandbox' | 'live';
    clientId?: string;
    clientSecret?: string;
    apiUrl: string;
    oauthUrl: string;
    version: string;
  };
  tokenEncryptionKey?: string;
  slack: {
    signingSecret?: string;
    botToken?: string;
    appToken?: string;
    apiUrl: string;
  };
  charts: { quickchartUrl: string; style: 'quickchart' | 'native' | 'upload' };
  sandbox: { port: number; seed: number };
  /**
   * `GET /metrics` is served on the main port. With METRICS_TOKEN set, scrapers must send
   * `Authorization: Bearer <METRICS_TOKEN>`; unset, it is open (keep the port inside your network then).
   */
  metrics: { token?: string };
}

export class ConfigError extends Error {
  readonly code = 'config_invalid';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads every setting once and validates all of them together, so one start-up error names every missing or
 * malformed variable instead of the first.
 */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(source);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'} ${i.message}`)),
    ...crossFieldProblems(source),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL.replace(/\/+$/, ''),
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    linkedin: {
      mode: e.LINKEDIN_MODE,
      clientId: e.LINKEDIN_CLIENT_ID,
      clientSecret: e.LINKEDIN_CLIENT_SECRET,
      apiUrl: e.LINKEDIN_API_URL.replace(/\/+$/, ''),
      oauthUrl: e.LINKEDIN_OAUTH_URL.replace(/\/+$/, ''),
      version: e.LINKEDIN_VERSION,
    },
    tokenEncryptionKey: e.TOKEN_ENCRYPTION_KEY,
    slack: {
      signingSecret: e.SLACK_SIGNING_SECRET,
      botToken: e.SLACK_BOT_TOKEN,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`,
    },
    charts: { quickchartUrl: e.QUICKCHART_URL.replace(/\/+$/, ''), style: e.CHART_STYLE },
    sandbox: { port: e.SANDBOX_PORT, seed: e.SANDBOX_SEED },
    metrics: { token: e.METRICS_TOKEN },
  };
}

/**
 * `npm run sandbox`: the LinkedIn sandbox on a local port, for curl, the bot in a second terminal, or a browser.
 *
 * Environment: SANDBOX_PORT (default 4010), SANDBOX_HOST or HOST (default 127.0.0.1), SANDBOX_SEED (default 42),
 * SANDBOX_POPULATION_SIZE (default 200000), LINKEDIN_CLIENT_ID / LINKEDIN_CLIENT_SECRET (default: the demo app),
 * SANDBOX_LOG=1 for request logs.
 */
import { fileURLToPath } from 'node:url';
import { DEFAULT_LINKEDIN_VERSION } from '../config.js';
import { buildSandbox, DEFAULT_SEED, DEMO_CLIENT_SECRET, type Sandbox } from './index.js';
import { isVersionActive, latestVersion } from './versions.js';

export interface StandaloneOptions {
  port: number;
  host: string;
  seed: number;
  populationSize?: number;
  clientId?: string;
  clientSecret?: string;
  logger?: boolean;
}

export interface RunningSandbox {
  url: string;
  sandbox: Sandbox;
  close(): Promise<void>;
}

export async function startStandalone(opts: StandaloneOptions): Promise<RunningSandbox> {
  const sandbox = await buildSandbox({
    seed: opts.seed,
    ...(opts.populationSize ? { populationSize: opts.populationSize } : {}),
    logger: opts.logger ?? false,
    ...(opts.clientId ? { clientId: opts.clientId } : {}),
    ...(opts.clientSecret ? { clientSecret: opts.clientSecret } : {}),
  });
  const address = await sandbox.app.listen({ port: opts.port, host: opts.host });
  const url = address.replace('://[::1]', '://localhost');
  return { url, sandbox, close: () => sandbox.close() };
}

/** What to print at start: base URL, demo app, members, and a curl walkthrough to copy. */
export function banner(url: string, sandbox: Sandbox, now = Date.now()): string {
  const version = isVersionActive(DEFAULT_LINKEDIN_VERSION, now) ? DEFAULT_LINKEDIN_VERSION : latestVersion(now);
  // Only the built-in demo secret is printed; a secret from the environment may be real.
  const secret = sandbox.clientSecret === DEMO_CLIENT_SECRET ? sandbox.clientSecret : '(from LINKEDIN_CLIENT_SECRET)';
  const members = sandbox.members
    .map((m) => {
      const roles =
        m.accounts.length === 0 ? 'no ad accounts' : m.accounts.map((a) => `${a.role} on ${a.account.id}`).join(', ');
      return `  ${m.id.padEnd(12)} ${m.name.padEnd(12)} ${roles}`;
    })
    .join('\n');
  const sample = JSON.stringify({
    request: {
      requestMetaData: { sponsoredAccount: 'urn:li:sponsoredAccount:123' },
      targetingCriteria: {
        include: {
          and: [
            { or: { 'urn:li:adTargetingFacet:locations': ['urn:li:geo:105080838'] } },
            { or: { 'urn:li:adTargetingFacet:interfaceLocales': ['urn:li:locale:en_US'] } },
            { or: { 'urn:li:adTargetingFacet:skills': ['urn:li:skill:236', 'urn:li:skill:242', 'urn:li:skill:252'] } },
          ],
        },
      },
      groupBy: 'urn:li:adTargetingFacet:jobFunctions',
      maxReturnCount: 5,
    },
  });
  const p = sandbox.population;
  return `LinkedIn sandbox listening on ${url}
  population: ${p.size.toLocaleString('en-US')} synthetic members standing for ${p.represented.toLocaleString('en-US')}

Demo app
  client id:     ${sandbox.clientId}
  client secret: ${secret}
  redirect_uri:  any http(s) URL

Demo members (id, name, ad account roles)
${members}

Authorize in a browser: ${url}/oauth/v2/authorization?response_type=code&client_id=${sandbox.clientId}&redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Fcallback&state=demo&scope=r_ads%20rw_ads%20openid%20profile

Walkthrough (bash):
  BASE=${url}; CLIENT_ID=${sandbox.clientId}; CLIENT_SECRET='${secret}'; V=${version}
  # 1. Approve as maya-chen without a browser (member=…) and keep the code
  CODE=$(curl -s -o /dev/null -w '%{redirect_url}' "$BASE/oauth/v2/authorization?response_type=code&client_id=$CLIENT_ID&redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Fcallback&state=demo&scope=r_ads%20rw_ads%20openid%20profile&member=maya-chen" | sed -E 's/.*[?&]code=([^&]+).*/\\1/')
  # 2. Exchange the code for tokens
  TOKEN=$(curl -s "$BASE/oauth/v2/accessToken" -d grant_type=authorization_code --data-urlencode "code=$CODE" --data-urlencode redirect_uri=http://localhost:3000/callback -d client_id=$CLIENT_ID --data-urlencode "client_secret=$CLIENT_SECRET" | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')
  # 3. Who am I, and which ad accounts can I use?
  curl -s "$BASE/v2/userinfo" -H "Authorization: Bearer $TOKEN"
  curl -s "$BASE/rest/adAccountUsers?q=authenticatedUser" -H "Authorization: Bearer $TOKEN" -H "LinkedIn-Version: $V"
  # 4. The Audience Insights documentation sample
  curl -s "$BASE/rest/targetingAudienceInsights?action=audienceInsights" -H "Authorization: Bearer $TOKEN" -H "LinkedIn-Version: $V" -H 'X-Restli-Protocol-Version: 2.0.0' -H 'Content-Type: application/json' -d '${sample}'
  # 5. Names for the URNs in the answer, and a typeahead
  curl -s "$BASE/rest/adTargetingEntities?q=urns&urns=List(urn%3Ali%3Afunction%3A4,urn%3Ali%3Afunction%3A20)&queryVersion=QUERY_USES_URNS" -H "Authorization: Bearer $TOKEN" -H "LinkedIn-Version: $V" -H 'X-Restli-Protocol-Version: 2.0.0'
  curl -s "$BASE/rest/adTargetingEntities?q=typeahead&facet=urn%3Ali%3AadTargetingFacet%3Alocations&query=afric&queryVersion=QUERY_USES_URNS" -H "Authorization: Bearer $TOKEN" -H "LinkedIn-Version: $V"
  # 6. Audience size (Rest.li 2.0 query syntax)
  curl -s "$BASE/rest/audienceCounts?q=targetingCriteriaV2&targetingCriteria=(include:(and:List((or:(urn%3Ali%3AadTargetingFacet%3Alocations:List(urn%3Ali%3Ageo%3A102221843))),(or:(urn%3Ali%3AadTargetingFacet%3Askills:List(urn%3Ali%3Askill%3A17))))))" -H "Authorization: Bearer $TOKEN" -H "LinkedIn-Version: $V" -H 'X-Restli-Protocol-Version: 2.0.0'
`;
}

async function main(): Promise<void> {
  const env = process.env;
  const running = await startStandalone({
    port: env.SANDBOX_PORT ? Number(env.SANDBOX_PORT) : 4010,
    host: env.SANDBOX_HOST || env.HOST || '127.0.0.1',
    seed: env.SANDBOX_SEED ? Number(env.SANDBOX_SEED) : DEFAULT_SEED,
    ...(env.SANDBOX_POPULATION_SIZE ? { populationSize: Number(env.SANDBOX_POPULATION_SIZE) } : {}),
    clientId: env.LINKEDIN_CLIENT_ID || undefined,
    clientSecret: env.LINKEDIN_CLIENT_SECRET || undefined,
    logger: env.SANDBOX_LOG === '1',
  });
  process.stdout.write(banner(running.url, running.sandbox));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the sandbox\n`);
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e: unknown) => {
    process.stderr.write(`Sandbox failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}

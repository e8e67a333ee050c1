/**
 * Audience Insights speed in the sandbox: `npx tsx bench/sandbox-insights.bench.ts`.
 *
 * Builds a sandbox (default seed and size), then runs each query N times through `app.inject` and prints median and
 * p95, next to a trivial route (GET /v2/userinfo) measured in the same run, so the ratio stays meaningful on a
 * noisy machine. Target: insights median ≤ 50 ms on the 2-core box. Recorded results: bench/README-sandbox.md.
 */
import { buildSandbox } from '../src/sandbox/index.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const WARMUP = 20;
const VERSION = '202609';

const criteria = (...groups: Array<Record<string, string[]>>) => ({ include: { and: groups.map((or) => ({ or })) } });
const insights = (targetingCriteria: unknown, groupBy: string, extra: Record<string, unknown> = {}) => ({
  request: {
    requestMetaData: { sponsoredAccount: 'urn:li:sponsoredAccount:123' },
    targetingCriteria,
    groupBy: `urn:li:adTargetingFacet:${groupBy}`,
    ...extra,
  },
});

const QUERIES: Array<[string, unknown]> = [
  [
    'doc sample: NY + en_US + 3 skills → jobFunctions',
    insights(
      criteria(
        { 'urn:li:adTargetingFacet:locations': ['urn:li:geo:105080838'] },
        { 'urn:li:adTargetingFacet:interfaceLocales': ['urn:li:locale:en_US'] },
        { 'urn:li:adTargetingFacet:skills': ['urn:li:skill:236', 'urn:li:skill:242', 'urn:li:skill:252'] },
      ),
      'jobFunctions',
      { maxReturnCount: 5 },
    ),
  ],
  [
    'North America + Europe, skill 17 → skills (100)',
    insights(
      criteria(
        { 'urn:li:adTargetingFacet:locations': ['urn:li:geo:102221843', 'urn:li:geo:100506914'] },
        { 'urn:li:adTargetingFacet:skills': ['urn:li:skill:17'] },
      ),
      'skills',
      { maxReturnCount: 100 },
    ),
  ],
  [
    'US IT + engineering, minus entry level → employers (50)',
    {
      request: {
        ...insights(
          criteria(
            { 'urn:li:adTargetingFacet:locations': ['urn:li:geo:103644278'] },
            { 'urn:li:adTargetingFacet:jobFunctions': ['urn:li:function:8', 'urn:li:function:13'] },
          ),
          'employers',
          { maxReturnCount: 50 },
        ).request,
        targetingCriteria: {
          ...criteria(
            { 'urn:li:adTargetingFacet:locations': ['urn:li:geo:103644278'] },
            { 'urn:li:adTargetingFacet:jobFunctions': ['urn:li:function:8', 'urn:li:function:13'] },
          ),
          exclude: { or: { 'urn:li:adTargetingFacet:seniorities': ['urn:li:seniority:3'] } },
        },
      },
    },
  ],
  [
    'Europe, 10 titles → bingCity (20)',
    insights(
      criteria(
        { 'urn:li:adTargetingFacet:locations': ['urn:li:geo:100506914'] },
        { 'urn:li:adTargetingFacet:titles': Array.from({ length: 10 }, (_, i) => `urn:li:title:${i + 1}`) },
      ),
      'bingCity',
      { maxReturnCount: 20 },
    ),
  ],
  [
    'matched audience (company list) → titles (100)',
    insights(
      criteria({ 'urn:li:adTargetingFacet:audienceMatchingSegments': ['urn:li:adSegment:10011235'] }),
      'titles',
      { maxReturnCount: 100 },
    ),
  ],
  [
    'US, all seniorities (>100M, total only)',
    insights(
      criteria(
        { 'urn:li:adTargetingFacet:locations': ['urn:li:geo:103644278'] },
        { 'urn:li:adTargetingFacet:seniorities': Array.from({ length: 10 }, (_, i) => `urn:li:seniority:${i + 1}`) },
      ),
      'seniorities',
      { segmentsOrderedBy: 'HIERARCHICAL', maxReturnCount: 10 },
    ),
  ],
];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
const fmt = (ms: number) => `${ms.toFixed(2).padStart(7)} ms`;

async function time(run: () => Promise<void>): Promise<{ median: number; p95: number }> {
  for (let i = 0; i < WARMUP; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await run();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return { median: percentile(samples, 0.5), p95: percentile(samples, 0.95) };
}

async function main() {
  const started = performance.now();
  const sandbox = await buildSandbox();
  const buildMs = performance.now() - started;
  const again = performance.now();
  const second = await buildSandbox();
  const cachedMs = performance.now() - again;
  await second.close();
  const p = sandbox.population;
  const token = sandbox.issueToken('maya-chen').access_token;
  const headers = {
    authorization: `Bearer ${token}`,
    'linkedin-version': VERSION,
    'x-restli-protocol-version': '2.0.0',
    'content-type': 'application/json',
  };

  console.log(`node ${process.version}, ${RUNS} runs per query after ${WARMUP} warm-up runs`);
  console.log(
    `population: ${p.size.toLocaleString('en-US')} synthetic members, ${p.represented.toLocaleString('en-US')} represented`,
  );
  console.log(
    `sandbox build: ${buildMs.toFixed(0)} ms (population generated), ${cachedMs.toFixed(0)} ms (population cached)`,
  );

  const baseline = await time(async () => {
    const res = await sandbox.app.inject({
      method: 'GET',
      url: '/v2/userinfo',
      headers: { authorization: headers.authorization },
    });
    if (res.statusCode !== 200) throw new Error(`userinfo ${res.statusCode}`);
  });
  console.log(`\n${'baseline: GET /v2/userinfo'.padEnd(58)} median ${fmt(baseline.median)}  p95 ${fmt(baseline.p95)}`);

  for (const [name, body] of QUERIES) {
    const payload = JSON.stringify(body);
    const inject = () =>
      sandbox.app.inject({
        method: 'POST',
        url: '/rest/targetingAudienceInsights?action=audienceInsights',
        headers,
        payload,
      });
    const first = performance.now();
    const res = await inject();
    const coldMs = performance.now() - first;
    if (res.statusCode !== 200) throw new Error(`${name}: ${res.statusCode} ${res.body}`);
    const value = (
      res.json() as { value: { totalAudienceCount: number; audienceInsight: { segmentations: unknown[] } } }
    ).value;
    const t = await time(async () => {
      await inject();
    });
    console.log(
      `${name.padEnd(58)} median ${fmt(t.median)}  p95 ${fmt(t.p95)}  ×${(t.median / baseline.median).toFixed(1)} baseline  first ${fmt(coldMs)}  total ${value.totalAudienceCount.toLocaleString('en-US')}, ${value.audienceInsight.segmentations.length} segments`,
    );
  }

  // Every run a different city and skill: the per-value bitsets are computed, not taken from the cache.
  const cities = sandbox.catalog.geos.filter((g) => g.level === 'CITY').map((g) => g.urn);
  const skills = sandbox.catalog.skills.map((s) => s.urn);
  let k = 0;
  const varied = await time(async () => {
    k++;
    const body = insights(
      criteria(
        { 'urn:li:adTargetingFacet:locations': [cities[(k * 7) % cities.length]!] },
        { 'urn:li:adTargetingFacet:skills': [skills[(k * 13) % skills.length]!] },
      ),
      'titles',
      { maxReturnCount: 20 },
    );
    const res = await sandbox.app.inject({
      method: 'POST',
      url: '/rest/targetingAudienceInsights?action=audienceInsights',
      headers,
      payload: JSON.stringify(body),
    });
    if (res.statusCode !== 200) throw new Error(`varied: ${res.statusCode} ${res.body}`);
  });
  console.log(
    `${'uncached: a new city + skill each run → titles (20)'.padEnd(58)} median ${fmt(varied.median)}  p95 ${fmt(varied.p95)}  ×${(varied.median / baseline.median).toFixed(1)} baseline`,
  );
  await sandbox.close();
}

await main();

/**
 * `npm run demo` in-process: it must print the documentation's sample answer as a person in Slack would read it
 * (checked against the sandbox asked directly, not against the bot), write Block Kit that Slack accepts with
 * working Block Kit Builder links, and fail loudly — not print a fake success — when the bot answers an error.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/demo/demo.js';
import { DemoFailure } from '../../src/demo/errors.js';
import { SAMPLE_QUERY } from '../../src/demo/sample.js';
import { checkMessageBlocks } from '../../src/devtools/blockKitLimits.js';
import { buildSandbox, DEFAULT_SEED, type Sandbox } from '../../src/sandbox/index.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'audience-demo-test-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const capture = () => {
  const chunks: string[] = [];
  return { out: { write: (chunk: string) => chunks.push(chunk) }, text: () => chunks.join('') };
};

interface Segment {
  value: string;
  entityCount: number;
  entityPercentage: number;
}

/** The sample request sent straight to a fresh sandbox with the same seed: the oracle the demo is checked with. */
async function askSandbox(sandbox: Sandbox, groupBy: string) {
  const { access_token } = sandbox.issueToken(SAMPLE_QUERY.member);
  const request = {
    requestMetaData: { sponsoredAccount: SAMPLE_QUERY.account },
    targetingCriteria: {
      include: {
        and: SAMPLE_QUERY.include.map((row) => ({
          or: { [`urn:li:adTargetingFacet:${row.facet}`]: [...row.values] },
        })),
      },
    },
    groupBy,
    maxReturnCount: SAMPLE_QUERY.maxReturnCount,
  };
  const res = await sandbox.fetch('http://sandbox.test/rest/targetingAudienceInsights?action=audienceInsights', {
    method: 'POST',
    headers: {
      authorization: `Bearer ${access_token}`,
      'linkedin-version': '202609',
      'x-restli-protocol-version': '2.0.0',
      'content-type': 'application/json',
    },
    body: JSON.stringify({ request }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as {
    value: { totalAudienceCount: number; audienceInsight: { segmentations: Segment[] } };
  };
  const segments = body.value.audienceInsight.segmentations;
  return {
    total: body.value.totalAudienceCount,
    segments: segments.map((s) => ({ ...s, name: sandbox.catalog.lookup(s.value)!.name })),
  };
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const count = (n: number) => n.toLocaleString('en-US');

/** One rendered segment line: name, members, share, then a bar. */
const segmentLine = (prefix: string, s: { name: string; entityCount: number; entityPercentage: number }) =>
  new RegExp(
    `^${escapeRegExp(prefix)}\\s+${escapeRegExp(s.name)}\\s+${escapeRegExp(count(s.entityCount))}\\s+${s.entityPercentage}%\\s+[█▏▎▍▌▋▊▉]+$`,
    'm',
  );

describe('npm run demo', () => {
  let printed: string;
  let outputDir: string;
  let result: Awaited<ReturnType<typeof runDemo>>;
  let sandbox: Sandbox;

  beforeAll(async () => {
    outputDir = tempDir();
    const output = capture();
    result = await runDemo({ out: output.out, outputDir });
    printed = output.text();
    sandbox = await buildSandbox({ seed: DEFAULT_SEED });
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('prints the sample answer by job function: names, members, shares and bars, as LinkedIn computed them', async () => {
    const expected = await askSandbox(sandbox, SAMPLE_QUERY.groupBy);
    expect(expected.segments).toHaveLength(SAMPLE_QUERY.maxReturnCount);
    expect(sandbox.catalog.functions.map((f) => f.urn)).toEqual(
      expect.arrayContaining(expected.segments.map((s) => s.value)),
    );
    const shared = printed.slice(printed.indexOf('What #marketing shows'), printed.indexOf('↳'));
    expect(shared).toContain('Audience breakdown by Job Functions');
    expect(shared).toContain(`Total audience: ≈${count(expected.total)} members`);
    // The audience in words: the location, the interface language and the three skills, named.
    for (const row of SAMPLE_QUERY.include) {
      for (const urn of row.values) expect(shared).toContain(sandbox.catalog.lookup(urn)!.name);
    }
    for (const s of expected.segments) expect(shared).toMatch(segmentLine('  ', s));
    // Bars are drawn to scale: the largest share gets the longest bar.
    const bars = expected.segments.map(
      (s) =>
        segmentLine('  ', s)
          .exec(shared)![0]!
          .match(/[█▏▎▍▌▋▊▉]+$/)![0],
    );
    const top = expected.segments.findIndex(
      (s) => s.entityPercentage === Math.max(...expected.segments.map((x) => x.entityPercentage)),
    );
    expect(Math.max(...bars.map((b) => b.length))).toBe(bars[top]!.length);
  });

  it('prints the follow-up breakdown by seniority in the thread', async () => {
    const expected = await askSandbox(sandbox, 'urn:li:adTargetingFacet:seniorities');
    expect(sandbox.catalog.seniorities.map((f) => f.urn)).toEqual(
      expect.arrayContaining(expected.segments.map((s) => s.value)),
    );
    const thread = printed.slice(printed.indexOf('↳'));
    expect(thread).toContain(`By Job Seniorities · ≈${count(expected.total)} members`);
    for (const s of expected.segments) expect(thread).toMatch(segmentLine('  │', s));
  });

  it('prints the chart URLs, steps through the real flow, and reports its time', () => {
    expect(printed).toMatch(/✓ 2\. Linked @maya\.chen to LinkedIn as Maya Chen/);
    expect(printed).toContain('/oauth/linkedin/callback');
    expect(printed).toMatch(/✓ 4\. Shared the answer to #marketing/);
    expect(printed).toMatch(/✓ 5\. Broke it down by Job Seniorities in the thread/);
    expect(result.chartUrls).toHaveLength(2);
    for (const url of result.chartUrls) {
      expect(printed).toContain(url);
      expect(new URL(url).pathname).toBe('/chart');
    }
    expect(printed).toMatch(/Done: 5 steps in \d+\.\d s\./);
  });

  it('writes the Block Kit of both messages, valid for Slack, with Block Kit Builder links that carry it', () => {
    for (const [name, message] of [
      ['result', result.shared],
      ['thread', result.thread],
    ] as const) {
      const file = join(outputDir, `${name}.json`);
      expect(result.files[name]).toBe(file);
      expect(existsSync(file)).toBe(true);
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as { blocks: unknown[] };
      expect(parsed.blocks.length).toBeGreaterThan(0);
      expect(parsed.blocks).toEqual(message.blocks);
      expect(checkMessageBlocks(parsed.blocks)).toEqual([]);
      expect(printed).toContain(`${name}.json`);

      const link = readFileSync(join(outputDir, `${name}.builder-url.txt`), 'utf8').trim();
      const prefix = 'https://app.slack.com/block-kit-builder/#';
      expect(link.startsWith(prefix)).toBe(true);
      expect(JSON.parse(decodeURIComponent(link.slice(prefix.length)))).toEqual(parsed);
      // Printed when short enough to be useful, otherwise the printout says so and names the file.
      if (link.length <= 2_000) expect(printed).toContain(link);
      else
        expect(printed).toMatch(
          new RegExp(`${count(link.length)} characters[^\\n]*\\n[^\\n]*${name}\\.builder-url\\.txt`),
        );
    }
    // The shared copy is the one in the channel (no Share button left), the reply is in its thread.
    expect(result.shared.channel).toBe('C0MARKETING');
    expect(result.thread.threadTs).toBe(result.shared.ts);
    expect(JSON.stringify(result.shared.blocks)).not.toContain('share_to_channel');
  });
});

describe('when a step fails', () => {
  it('rejects with what the bot answered instead of printing a breakdown', async () => {
    const output = capture();
    const outputDir = tempDir();
    const run = runDemo({ out: output.out, outputDir, sandboxKnobs: { provisioned: false } });
    await expect(run).rejects.toBeInstanceOf(DemoFailure);
    await expect(run).rejects.toThrow(
      /^asking the sample query: the bot answered “This app is not approved for Audience Insights.*” instead of a breakdown$/,
    );
    expect(output.text()).not.toContain('What #marketing shows');
    expect(existsSync(join(outputDir, 'result.json'))).toBe(false);
  });
});

/**
 * What the demo prints and writes: messages rendered from the Block Kit the bot posted, the chart URLs, and the
 * raw Block Kit of each message as a file next to a link that opens it in Slack's Block Kit Builder.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import {
  blockKitBuilderUrl,
  imagesIn,
  renderBlocksForTerminal,
  segmentLinesIn,
  type TerminalRenderOptions,
} from '../devtools/blockKitText.js';

export type Printer = (line?: string) => void;

/** Longer Block Kit Builder links are written to a file instead of flooding the terminal. */
export const MAX_PRINTED_LINK = 2_000;

/** A breakdown answer: its segment lines are there (an error or an edge case has none). */
export const isBreakdown = (blocks: readonly unknown[]): boolean => segmentLinesIn(blocks).length > 0;

export function printMessage(
  print: Printer,
  blocks: readonly unknown[],
  opts: TerminalRenderOptions & { prefix?: string },
): void {
  const prefix = opts.prefix ?? '';
  const width = (opts.width ?? 100) - prefix.length;
  for (const line of renderBlocksForTerminal(blocks, { ...opts, width })) print(`${prefix}${line}`.trimEnd());
}

export interface MessageFile {
  name: string;
  label: string;
  blocks: readonly unknown[];
}

export interface WrittenFile {
  json: string;
  builderLink: string;
  builderLinkFile: string;
}

const shown = (path: string) => {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
};

/** Writes `<name>.json` ({ blocks }) and `<name>.builder-url.txt`; prints the chart URLs and the links. */
export function writeMessageFiles(
  print: Printer,
  dir: string,
  messages: readonly MessageFile[],
): { files: Record<string, WrittenFile>; chartUrls: string[] } {
  mkdirSync(dir, { recursive: true });
  const files: Record<string, WrittenFile> = {};
  const chartUrls: string[] = [];

  for (const m of messages) {
    for (const image of imagesIn(m.blocks)) {
      chartUrls.push(image.url);
      print(`Chart of ${m.label} (QuickChart; printed, not fetched: open it in a browser):`);
      print(`  ${image.url}`);
    }
  }
  if (chartUrls.length > 0) print();

  print('Raw Block Kit (paste into https://app.slack.com/block-kit-builder, or open the links):');
  for (const m of messages) {
    const json = join(dir, `${m.name}.json`);
    const builderLinkFile = join(dir, `${m.name}.builder-url.txt`);
    const builderLink = blockKitBuilderUrl(m.blocks);
    writeFileSync(json, `${JSON.stringify({ blocks: m.blocks }, null, 2)}\n`);
    writeFileSync(builderLinkFile, `${builderLink}\n`);
    files[m.name] = { json, builderLink, builderLinkFile };
    print(`  ${shown(json)}  (${m.label}, ${m.blocks.length} blocks)`);
    if (builderLink.length <= MAX_PRINTED_LINK) {
      print(`    Block Kit Builder: ${builderLink}`);
    } else {
      print(
        `    Block Kit Builder: the link is ${builderLink.length.toLocaleString('en-US')} characters (the chart URL is inside it), too long to print here.`,
      );
      print(`    It is in ${shown(builderLinkFile)}: open "$(cat ${shown(builderLinkFile)})" (xdg-open on Linux)`);
    }
  }
  return { files, chartUrls };
}

/** The first `url` of a button in a Slack message (e.g. the one-time link of `/audience link`). */
export function findButtonUrl(message: unknown): string | undefined {
  if (message === null || typeof message !== 'object') return undefined;
  if (Array.isArray(message)) {
    for (const item of message) {
      const found = findButtonUrl(item);
      if (found) return found;
    }
    return undefined;
  }
  const obj = message as Record<string, unknown>;
  if (obj.type === 'button' && typeof obj.url === 'string') return obj.url;
  return findButtonUrl(Object.values(obj));
}

/** The headline and first paragraph of one of the bot's HTML pages, for an error message. */
export function pageHeadline(html: string): string {
  const pick = (tag: string) =>
    new RegExp(`<${tag}>([^<]*)</${tag}>`)
      .exec(html)?.[1]
      ?.replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  return [pick('h1'), pick('p')].filter(Boolean).join(' ') || html.slice(0, 200);
}

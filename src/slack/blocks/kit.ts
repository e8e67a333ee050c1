/**
 * Block Kit primitives and the limits Slack enforces on them (slack-platform.md §3). Every builder in this
 * folder goes through these helpers, so a long name or a big answer is cut here instead of being rejected by
 * Slack with `invalid_blocks`.
 */
import type { types } from '@slack/bolt';

export type KnownBlock = types.KnownBlock;
export type Block = types.Block;
export type SectionBlock = types.SectionBlock;
export type ContextBlock = types.ContextBlock;
export type ActionsBlock = types.ActionsBlock;
export type HeaderBlock = types.HeaderBlock;
export type ImageBlock = types.ImageBlock;
export type TableBlock = types.TableBlock;
export type Button = types.Button;
export type StaticSelect = types.StaticSelect;
export type PlainTextOption = types.PlainTextOption;
export type PlainTextElement = types.PlainTextElement;
export type MrkdwnElement = types.MrkdwnElement;

/**
 * Slack's `data_visualization` block (changelog 2026-06-16). Not typed in @slack/types yet, so it is described
 * here from slack-native-data-blocks.md; it is a plain `Block` for the Web API client.
 */
export interface DataVisualizationBlock extends Block {
  type: 'data_visualization';
  title: string;
  chart: {
    type: 'bar';
    series: Array<{ name: string; data: Array<{ label: string; value: number }> }>;
    axis_config: { categories: string[]; x_label?: string; y_label?: string };
  };
}

export type MessageBlock = KnownBlock | DataVisualizationBlock;

/** A message as chat.postMessage / respond / chat.update take it: `text` is the plain notification fallback. */
export interface SlackMessage {
  text: string;
  blocks: MessageBlock[];
}

export const LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  sectionText: 3000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  altText: 2000,
  imageUrl: 3000,
  optionText: 75,
  optionValue: 75,
  staticOptions: 100,
  placeholder: 150,
  modalTitle: 24,
  privateMetadata: 3000,
  tableRows: 100,
  tableCells: 20,
  tableCellText: 2000,
  dataVizTitle: 50,
  dataVizCategory: 20,
  dataVizSeries: 6,
  dataVizPerMessage: 2,
  /** Slack answers `msg_blocks_too_long` at about 13.2k characters across all blocks (bolt-js#2509). */
  messageChars: 12_000,
  notificationText: 3000,
} as const;

/** Cuts `text` to at most `max` UTF-16 units, on a code point boundary, ending with "…" when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let out = '';
  for (const ch of text) {
    if (out.length + ch.length > max - 1) break;
    out += ch;
  }
  return `${out.trimEnd()}…`;
}

/** Slack mrkdwn needs only &, < and > escaped; the rest of a name is shown as typed. */
export const escapeMrkdwn = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Collapses whitespace (names can carry newlines or tabs that would break a one-line layout). */
export const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

export const plainText = (text: string, max: number = LIMITS.sectionText): PlainTextElement => ({
  type: 'plain_text',
  text: truncate(text, max) || '-',
  emoji: true,
});

export const mrkdwn = (text: string): MrkdwnElement => ({ type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) });

export const header = (text: string): HeaderBlock => ({ type: 'header', text: plainText(text, LIMITS.headerText) });

export const section = (text: string, blockId?: string): SectionBlock => ({
  type: 'section',
  ...(blockId ? { block_id: blockId } : {}),
  text: mrkdwn(text),
});

export const context = (...texts: string[]): ContextBlock => ({
  type: 'context',
  elements: texts.slice(0, LIMITS.contextElements).map((t) => mrkdwn(t)),
});

export const divider = (): KnownBlock => ({ type: 'divider' });

export const button = (
  actionId: string,
  text: string,
  value?: string,
  extra: Partial<Pick<Button, 'style' | 'url'>> = {},
): Button => ({
  type: 'button',
  action_id: actionId,
  text: plainText(text, LIMITS.optionText),
  ...(value !== undefined ? { value: checkedValue(value) } : {}),
  ...extra,
});

export const option = (text: string, value: string, description?: string): PlainTextOption => ({
  text: plainText(oneLine(text) || value, LIMITS.optionText),
  value: checkedValue(value),
  ...(description ? { description: plainText(description, LIMITS.optionText) } : {}),
});

/** An option value longer than Slack allows is a programming error (ids are ours), not something to cut. */
export function checkedValue(value: string): string {
  if (value.length > LIMITS.optionValue) {
    throw new RangeError(`Block Kit value is ${value.length} characters; Slack allows ${LIMITS.optionValue}`);
  }
  return value;
}

/**
 * Packs mrkdwn lines into as few section blocks as possible, each within Slack's 3000-character limit.
 * A single line longer than the limit is cut rather than dropped.
 */
export function sectionsFromLines(lines: readonly string[], max: number = LIMITS.sectionText): SectionBlock[] {
  const chunks: string[] = [];
  let current = '';
  for (const raw of lines) {
    const line = truncate(raw, max);
    if (current === '') current = line;
    else if (current.length + 1 + line.length <= max) current += `\n${line}`;
    else {
      chunks.push(current);
      current = line;
    }
  }
  if (current !== '') chunks.push(current);
  return chunks.map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } }));
}

/** Characters of text across a list of blocks, as Slack counts them towards `msg_blocks_too_long`. */
export function blockTextLength(blocks: readonly unknown[]): number {
  let total = 0;
  const visit = (node: unknown, key?: string): void => {
    if (typeof node === 'string') {
      if (key === 'text' || key === 'alt_text' || key === 'title' || key === 'label' || key === 'name') {
        total += node.length;
      }
      return;
    }
    if (Array.isArray(node)) {
      for (const item of node) visit(item, key === 'categories' ? 'label' : undefined);
      return;
    }
    if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) visit(v, k);
    }
  };
  visit(blocks);
  return total;
}

/**
 * Block Kit messages read in a terminal: roughly what a person sees in Slack, as plain lines. Works on the JSON
 * the bot posted (never on the bot's internal data), so what it prints is what Slack would have shown.
 *
 * The bot's breakdown lines (mrkdwn like "`██████████ 23%` Business Development — 96,000") are recognised and
 * laid out as an aligned table with a wider bar; everything else is rendered block by block.
 */

export interface TerminalRenderOptions {
  /** Characters per line (default 100). */
  width?: number;
  /** Display names for `<@U…>` mentions. */
  users?: Record<string, string>;
  /** Names for `<#C…>` channel mentions. */
  channels?: Record<string, string>;
  /** ANSI bold/dim (default off). */
  color?: boolean;
  /** Characters of the redrawn segment bars (default 30). */
  barWidth?: number;
}

/** One breakdown line as the bot wrote it. */
export interface SegmentLine {
  name: string;
  /** As shown, e.g. "96,000" or "≈96,000". */
  count: string;
  /** As shown, e.g. "23%", "2.5%" or "<1%". */
  share: string;
  /** The share as a number (0 for "<1%"). */
  percentage: number;
}

/** "`██████████ 23%` Business Development — 96,000" (the bar and padding inside the code span). */
const SEGMENT_LINE = /^`[█░]+\s+(<1%|\d+(?:\.\d+)?%)`\s+(.+?) — (≈?[\d,]+)$/;

export function parseSegmentLine(line: string): SegmentLine | undefined {
  const m = SEGMENT_LINE.exec(line.trim());
  if (!m) return undefined;
  const share = m[1]!;
  const percentage = share === '<1%' ? 0 : Number(share.slice(0, -1));
  return { name: unescapeEntities(m[2]!.replace(/\\([*_~`])/g, '$1')), count: m[3]!, share, percentage };
}

/** Every breakdown line in a message's blocks, in order. */
export function segmentLinesIn(blocks: readonly unknown[]): SegmentLine[] {
  const found: SegmentLine[] = [];
  for (const block of blocks) {
    const text = sectionText(block);
    if (text === undefined) continue;
    for (const line of text.split('\n')) {
      const segment = parseSegmentLine(line);
      if (segment) found.push(segment);
    }
  }
  return found;
}

/** `image` blocks (and image accessories) with their URL and title. */
export function imagesIn(blocks: readonly unknown[]): Array<{ url: string; title?: string; altText?: string }> {
  const images: Array<{ url: string; title?: string; altText?: string }> = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (!isObj(node)) return;
    if (node.type === 'image' && typeof node.image_url === 'string') {
      const title = textOf(node.title);
      images.push({
        url: node.image_url,
        ...(title ? { title } : {}),
        ...(typeof node.alt_text === 'string' ? { altText: node.alt_text } : {}),
      });
    }
    for (const value of Object.values(node)) if (typeof value === 'object') visit(value);
  };
  visit(blocks);
  return images;
}

/** A link that opens the blocks in Slack's Block Kit Builder (the whole message travels in the fragment). */
export function blockKitBuilderUrl(blocks: readonly unknown[]): string {
  return `https://app.slack.com/block-kit-builder/#${encodeURIComponent(JSON.stringify({ blocks }))}`;
}

// ── Rendering ────────────────────────────────────────────────────────────────────────────────────────────────

type Json = Record<string, any>;
const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const textOf = (v: unknown): string | undefined => (isObj(v) && typeof v.text === 'string' ? v.text : undefined);
const sectionText = (block: unknown): string | undefined =>
  isObj(block) && block.type === 'section' ? textOf(block.text) : undefined;

type Item =
  | { kind: 'line'; text: string; style?: 'bold' | 'dim'; indent?: number }
  | { kind: 'segment'; segment: SegmentLine }
  | { kind: 'table'; rows: string[][] };

function unescapeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

const ANSI = { bold: ['\u001b[1m', '\u001b[22m'], dim: ['\u001b[2m', '\u001b[22m'] } as const;

/** Slack mrkdwn → plain text: mentions and links resolved, *bold* kept (ANSI when colored), markers dropped. */
export function mrkdwnToText(mrkdwn: string, opts: TerminalRenderOptions = {}): string {
  const links: string[] = [];
  const hold = (text: string) => {
    links.push(text);
    return `\u0000${links.length - 1}\u0000`;
  };
  let text = mrkdwn.replace(/<([^<>]+)>/g, (_, inner: string) => {
    const [target, label] = inner.split('|', 2) as [string, string | undefined];
    if (target.startsWith('@')) return hold(`@${opts.users?.[target.slice(1)] ?? label ?? target.slice(1)}`);
    if (target.startsWith('#')) return hold(`#${label ?? opts.channels?.[target.slice(1)] ?? target.slice(1)}`);
    if (target.startsWith('!')) return hold(`@${label ?? target.slice(1).split('^')[0]}`);
    return hold(label ? `${label} (${target})` : target);
  });
  const [boldOn, boldOff] = opts.color ? ANSI.bold : ['', ''];
  text = text
    .replace(/(^|[\s(“"'])\*([^*\n]+)\*(?=$|[\s).,:;!?”"'])/g, `$1${boldOn}$2${boldOff}`)
    .replace(/(^|[\s(“"'])_([^_\n]+)_(?=$|[\s).,:;!?”"'])/g, '$1$2')
    .replace(/(^|[\s(])~([^~\n]+)~(?=$|[\s).,:;!?])/g, '$1$2')
    .replace(/`([^`\n]*)`/g, '$1')
    .replace(/\\([*_~`])/g, '$1');
  text = unescapeEntities(text);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the placeholders are NUL-delimited on purpose.
  return text.replace(/\u0000(\d+)\u0000/g, (_, i: string) => links[Number(i)]!);
}

function elementLabel(element: Json): string | undefined {
  switch (element.type) {
    case 'button':
      return `[ ${textOf(element.text) ?? ''}${element.url ? ' ↗' : ''} ]`;
    case 'static_select':
    case 'external_select':
    case 'multi_static_select':
    case 'multi_external_select':
    case 'users_select':
    case 'conversations_select':
    case 'channels_select':
      return `[ ${textOf(element.initial_option?.text) ?? textOf(element.placeholder) ?? 'Choose…'} ▾ ]`;
    case 'overflow':
      return '[ ⋯ ]';
    case 'datepicker':
      return `[ ${element.initial_date ?? 'date'} ]`;
    default:
      return undefined;
  }
}

function blockItems(block: unknown, opts: TerminalRenderOptions, width: number): Item[] {
  if (!isObj(block)) return [];
  const md = (text: string) => mrkdwnToText(text, opts);
  const lines = (text: string, extra: Partial<Extract<Item, { kind: 'line' }>> = {}): Item[] =>
    text.split('\n').map((line) => ({ kind: 'line', text: line, ...extra }));
  switch (block.type) {
    case 'header': {
      const text = textOf(block.text) ?? '';
      return [
        { kind: 'line', text, style: 'bold' },
        { kind: 'line', text: '═'.repeat(Math.min(width, text.length)) },
      ];
    }
    case 'section': {
      const items: Item[] = [];
      const text = textOf(block.text);
      if (text !== undefined) {
        for (const raw of text.split('\n')) {
          const segment = block.text.type === 'mrkdwn' ? parseSegmentLine(raw) : undefined;
          if (segment) items.push({ kind: 'segment', segment });
          else items.push(...lines(block.text.type === 'mrkdwn' ? md(raw) : raw));
        }
      }
      for (const field of Array.isArray(block.fields) ? block.fields : []) {
        const fieldText = textOf(field) ?? '';
        items.push(...lines(field.type === 'mrkdwn' ? md(fieldText) : fieldText, { indent: 2 }));
      }
      const accessory = isObj(block.accessory) ? elementLabel(block.accessory) : undefined;
      if (accessory) items.push({ kind: 'line', text: accessory, indent: 2 });
      return items;
    }
    case 'context': {
      const parts = (Array.isArray(block.elements) ? block.elements : []).map((e: Json) =>
        e.type === 'image' ? `[${e.alt_text ?? 'image'}]` : e.type === 'mrkdwn' ? md(e.text ?? '') : (e.text ?? ''),
      );
      return lines(parts.join('  ·  '), { style: 'dim' });
    }
    case 'image': {
      const title = textOf(block.title);
      return [{ kind: 'line', text: `[image${title ? `: ${title}` : ''}]`, style: 'dim' }];
    }
    case 'actions': {
      const labels = (Array.isArray(block.elements) ? block.elements : [])
        .map((e: Json) => elementLabel(e))
        .filter((l: string | undefined): l is string => l !== undefined);
      return labels.length > 0 ? [{ kind: 'line', text: labels.join('  ') }] : [];
    }
    case 'divider':
      return [{ kind: 'line', text: '─'.repeat(width), style: 'dim' }];
    case 'table': {
      const rows = (Array.isArray(block.rows) ? block.rows : []).map((row: unknown[]) =>
        (Array.isArray(row) ? row : []).map((cell) => cellText(cell)),
      );
      return [{ kind: 'table', rows }];
    }
    case 'data_visualization':
      return [{ kind: 'line', text: `[chart: ${String(block.title ?? '')}]`, style: 'dim' }];
    case 'rich_text':
      return lines(richText(block));
    default:
      return [{ kind: 'line', text: `[${String(block.type)} block]`, style: 'dim' }];
  }
}

function cellText(cell: unknown): string {
  if (!isObj(cell)) return String(cell ?? '');
  if (typeof cell.text === 'string') return cell.text;
  if (cell.type === 'rich_text') return richText(cell);
  return '';
}

function richText(node: unknown): string {
  if (Array.isArray(node)) return node.map(richText).join('');
  if (!isObj(node)) return '';
  if (typeof node.text === 'string') return node.text;
  if (node.type === 'link') return String(node.url ?? '');
  return richText(node.elements ?? []);
}

/** Word-wraps one line to `width`, continuation lines indented like the first. */
export function wrapLine(text: string, width: number, indent = 0): string[] {
  const pad = ' '.repeat(indent);
  const room = Math.max(20, width - indent);
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/ +/)) {
    if (line !== '' && visibleLength(line) + 1 + visibleLength(word) > room) {
      out.push(pad + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  out.push(pad + line);
  return out;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI escapes to measure what is visible.
const visibleLength = (s: string) => [...s.replace(/\u001b\[\d+m/g, '')].length;
const padEnd = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - visibleLength(s)));
const padStart = (s: string, n: number) => ' '.repeat(Math.max(0, n - visibleLength(s))) + s;

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A bar `width` cells long at full scale, in eighths of a cell. */
export function terminalBar(percentage: number, scaleMax: number, width: number): string {
  const cells = scaleMax > 0 ? (Math.max(0, percentage) / scaleMax) * width : 0;
  const eighths = Math.round(cells * 8);
  return '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8]!;
}

function segmentTable(run: SegmentLine[], opts: TerminalRenderOptions, width: number): string[] {
  const barWidth = opts.barWidth ?? 30;
  const nameWidth = Math.min(Math.max(...run.map((s) => visibleLength(s.name))), Math.max(16, width - barWidth - 24));
  const countWidth = Math.max(7, ...run.map((s) => s.count.length));
  const shareWidth = Math.max(5, ...run.map((s) => s.share.length));
  const scaleMax = Math.max(...run.map((s) => s.percentage));
  const dim = (s: string) => (opts.color ? `${ANSI.dim[0]}${s}${ANSI.dim[1]}` : s);
  const head = `  ${padEnd('Segment', nameWidth)}  ${padStart('Members', countWidth)}  ${padStart('Share', shareWidth)}`;
  return [
    dim(head),
    ...run.map((s) => {
      const name = visibleLength(s.name) > nameWidth ? `${[...s.name].slice(0, nameWidth - 1).join('')}…` : s.name;
      return `  ${padEnd(name, nameWidth)}  ${padStart(s.count, countWidth)}  ${padStart(s.share, shareWidth)}  ${terminalBar(s.percentage, scaleMax, barWidth)}`;
    }),
  ];
}

function tableLines(rows: string[][]): string[] {
  const columns = Math.max(0, ...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(0, ...rows.map((r) => visibleLength(r[c] ?? ''))));
  return rows.map((r) => `  ${r.map((cell, c) => padEnd(cell, widths[c]!)).join('  ')}`.trimEnd());
}

/** A message's blocks as terminal lines. */
export function renderBlocksForTerminal(blocks: readonly unknown[], opts: TerminalRenderOptions = {}): string[] {
  const width = opts.width ?? 100;
  const items = blocks.flatMap((b) => blockItems(b, opts, width));
  const out: string[] = [];
  const style = (text: string, s: 'bold' | 'dim' | undefined) =>
    opts.color && s ? `${ANSI[s][0]}${text}${ANSI[s][1]}` : text;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item.kind === 'segment') {
      const run: SegmentLine[] = [];
      while (i < items.length && items[i]!.kind === 'segment') {
        run.push((items[i] as Extract<Item, { kind: 'segment' }>).segment);
        i++;
      }
      i--;
      out.push(...segmentTable(run, opts, width));
    } else if (item.kind === 'table') {
      out.push(...tableLines(item.rows));
    } else {
      for (const line of wrapLine(item.text, width, item.indent ?? 0)) out.push(style(line, item.style));
    }
  }
  return out;
}

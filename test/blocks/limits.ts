/**
 * Block Kit's documented limits (slack-platform.md §3, slack-native-data-blocks.md), checked on what the
 * renderers produce. Returns the list of violations so a failing test says exactly which limit broke.
 */
import { blockTextLength } from '../../src/slack/blocks/kit.js';

type Json = Record<string, any>;

function checkOptions(where: string, options: Json[] | undefined, out: string[]): void {
  for (const o of options ?? []) {
    if ((o.text?.text ?? '').length > 75) out.push(`${where}: option text > 75 (${o.text.text})`);
    if ((o.text?.text ?? '').length === 0) out.push(`${where}: empty option text`);
    if (o.value !== undefined && o.value.length > 75) out.push(`${where}: option value > 75 (${o.value})`);
    if (o.description && o.description.text.length > 75) out.push(`${where}: option description > 75`);
  }
}

function checkElement(where: string, el: Json, out: string[]): void {
  if (el.placeholder && el.placeholder.text.length > 150) out.push(`${where}: placeholder > 150`);
  if (el.value !== undefined && el.value.length > 75 && el.type === 'button') out.push(`${where}: button value > 75`);
  if (el.text && el.type === 'button' && el.text.text.length > 75) out.push(`${where}: button text > 75`);
  if (el.type === 'static_select' || el.type === 'multi_static_select' || el.type === 'radio_buttons') {
    const options = el.options as Json[];
    if (el.type === 'radio_buttons' && options.length > 10) out.push(`${where}: radio > 10 options`);
    if (options.length > 100) out.push(`${where}: static select > 100 options`);
    if (options.length === 0) out.push(`${where}: static select without options`);
    checkOptions(where, options, out);
    const values = new Set(options.map((o) => JSON.stringify(o)));
    if (new Set(options.map((o) => o.value)).size !== options.length) out.push(`${where}: duplicate option values`);
    for (const initial of [...(el.initial_options ?? []), ...(el.initial_option ? [el.initial_option] : [])]) {
      if (!values.has(JSON.stringify(initial))) out.push(`${where}: initial option not among options`);
    }
  }
  if (el.type === 'multi_external_select' || el.type === 'external_select') {
    checkOptions(where, [...(el.initial_options ?? []), ...(el.initial_option ? [el.initial_option] : [])], out);
  }
}

function checkBlock(block: Json, i: number, out: string[]): void {
  const where = `block ${i} (${block.type}${block.block_id ? ` ${block.block_id}` : ''})`;
  if (block.block_id && block.block_id.length > 255) out.push(`${where}: block_id > 255`);
  switch (block.type) {
    case 'header':
      if (block.text.text.length > 150) out.push(`${where}: header > 150`);
      break;
    case 'section':
      if (!block.text || block.text.text.length < 1 || block.text.text.length > 3000) {
        out.push(`${where}: section text not within 1–3000 (${block.text?.text.length})`);
      }
      if (block.accessory) checkElement(where, block.accessory, out);
      break;
    case 'context':
      if (block.elements.length > 10) out.push(`${where}: context > 10 elements`);
      for (const e of block.elements) if (e.text && e.text.length > 3000) out.push(`${where}: context text > 3000`);
      break;
    case 'actions':
      if (block.elements.length > 25) out.push(`${where}: actions > 25 elements`);
      for (const e of block.elements) checkElement(where, e, out);
      break;
    case 'image':
      if (!block.alt_text || block.alt_text.length > 2000) out.push(`${where}: alt_text missing or > 2000`);
      if (block.image_url && block.image_url.length > 3000) out.push(`${where}: image_url > 3000`);
      if (block.title && block.title.text.length > 2000) out.push(`${where}: image title > 2000`);
      break;
    case 'input':
      if (block.label.text.length > 2000) out.push(`${where}: label > 2000`);
      if (block.hint && block.hint.text.length > 2000) out.push(`${where}: hint > 2000`);
      checkElement(where, block.element, out);
      break;
    case 'table': {
      if (block.rows.length > 100) out.push(`${where}: table > 100 rows`);
      if ((block.column_settings ?? []).length > 20) out.push(`${where}: column_settings > 20`);
      for (const row of block.rows) {
        if (row.length > 20) out.push(`${where}: row > 20 cells`);
        if (row.length !== block.rows[0].length) out.push(`${where}: ragged table`);
        for (const cell of row) {
          if (cell.type !== 'raw_text') out.push(`${where}: cell is not raw_text`);
          if (cell.text.length < 1 || cell.text.length > 2000) out.push(`${where}: cell text not within 1–2000`);
        }
      }
      break;
    }
    case 'data_visualization': {
      if (block.title.length > 50) out.push(`${where}: title > 50`);
      const { categories } = block.chart.axis_config;
      if (new Set(categories).size !== categories.length) out.push(`${where}: duplicate categories`);
      for (const c of categories)
        if (c.length > 20 || c.length === 0) out.push(`${where}: category "${c}" not 1–20 chars`);
      const series = block.chart.series as Json[];
      if (series.length < 1 || series.length > 6) out.push(`${where}: series not within 1–6`);
      if (new Set(series.map((s) => s.name)).size !== series.length) out.push(`${where}: duplicate series names`);
      for (const s of series) {
        if (s.data.length !== categories.length) out.push(`${where}: series ${s.name} has not one point per category`);
        s.data.forEach((p: Json, j: number) => {
          if (p.label !== categories[j]) out.push(`${where}: point label does not match its category`);
          if (typeof p.value !== 'number' || !Number.isFinite(p.value)) out.push(`${where}: point value not a number`);
        });
      }
      break;
    }
    default:
      break;
  }
}

/** Every limit a chat message's blocks must respect; [] when it is fine. */
export function messageViolations(message: { text: string; blocks: unknown[] }): string[] {
  const out: string[] = [];
  const blocks = message.blocks as Json[];
  if (blocks.length > 50) out.push(`message has ${blocks.length} blocks (> 50)`);
  if (message.text.length === 0 || message.text.length > 3000) out.push('notification text empty or > 3000');
  if (blocks.filter((b) => b.type === 'table').length > 1) out.push('more than one table');
  if (blocks.filter((b) => b.type === 'data_visualization').length > 2) out.push('more than two data_visualization');
  if (blockTextLength(blocks) > 12_000) out.push(`message text totals ${blockTextLength(blocks)} chars (> 12000)`);
  blocks.forEach((b, i) => {
    checkBlock(b, i, out);
  });
  return out;
}

/** Every limit of a modal view; [] when it is fine. */
export function modalViolations(view: Json): string[] {
  const out: string[] = [];
  for (const key of ['title', 'submit', 'close']) {
    if (view[key] && view[key].text.length > 24) out.push(`${key} > 24`);
  }
  const blocks = view.blocks as Json[];
  if (blocks.length > 100) out.push(`modal has ${blocks.length} blocks (> 100)`);
  if (blocks.some((b) => b.type === 'input') && !view.submit) out.push('input blocks without submit');
  if ((view.private_metadata ?? '').length > 3000) out.push('private_metadata > 3000');
  if ((view.callback_id ?? '').length > 255) out.push('callback_id > 255');
  const ids = blocks.map((b) => b.block_id).filter(Boolean);
  if (new Set(ids).size !== ids.length) out.push('duplicate block_id');
  if (JSON.stringify(view).length > 250_000) out.push('view > 250 KB');
  blocks.forEach((b, i) => {
    checkBlock(b, i, out);
  });
  return out;
}

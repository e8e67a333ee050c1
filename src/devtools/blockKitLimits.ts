/**
 * Block Kit limits as Slack enforces them, for the fake Slack API (and for direct use in builder tests and the
 * demo).
 * Each check returns problems in Slack's own format, `<message> [json-pointer:/blocks/3/text/text]`, so a test
 * failure points at the offending block. Sources: /work/shared/reference/slack-platform.md §3 and
 * slack-native-data-blocks.md.
 */

export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  modalTitle: 24,
  modalButton: 24,
  optionText: 75,
  optionValue: 75,
  optionsPerSelect: 100,
  imageUrl: 3000,
  altText: 2000,
  privateMetadata: 3000,
  actionsElements: 25,
  contextElements: 10,
  buttonText: 75,
  buttonUrl: 3000,
  tableRows: 100,
  tableCells: 20,
  tableCellText: 2000,
  tablesPerMessage: 1,
  dataTableRows: 201,
  dataTablePageSize: 100,
  dataVizTitle: 50,
  dataVizSeries: 6,
  dataVizCategoryLabel: 20,
  dataVizAxisLabel: 50,
  dataVizPerMessage: 2,
  callbackId: 255,
} as const;

/** Block types that only newer Slack clients accept; a fake can be told to refuse them like an old workspace. */
export const NATIVE_DATA_BLOCK_TYPES = new Set(['table', 'data_table', 'data_visualization']);

export type Surface = 'message' | 'modal' | 'home';

export interface CheckOptions {
  /** Refuse table / data_table / data_visualization blocks entirely, as Slack does where they are unsupported. */
  rejectNativeBlocks?: boolean;
}

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const textOf = (v: unknown): string | undefined => (isObj(v) && typeof v.text === 'string' ? v.text : undefined);

class Problems {
  readonly list: string[] = [];
  add(message: string, pointer: string): void {
    this.list.push(`${message} [json-pointer:${pointer}]`);
  }
  maxLength(value: string | undefined, max: number, pointer: string): void {
    if (value !== undefined && value.length > max) this.add(`must be less than ${max + 1} characters`, pointer);
  }
  maxItems(value: unknown[] | undefined, max: number, pointer: string): void {
    if (value !== undefined && value.length > max) this.add(`must provide at most ${max} items`, pointer);
  }
}

/** Problems with the blocks of a message (chat.postMessage, chat.update, response_url, ephemeral). */
export function checkMessageBlocks(blocks: unknown, options: CheckOptions = {}, pointer = '/blocks'): string[] {
  return checkBlocks(blocks, 'message', options, pointer);
}

/** Problems with a modal or Home view (views.open/update/push/publish). */
export function checkView(view: unknown, options: CheckOptions = {}, pointer = '/view'): string[] {
  const p = new Problems();
  if (!isObj(view)) {
    p.add('must be an object', pointer);
    return p.list;
  }
  const surface: Surface = view.type === 'home' ? 'home' : 'modal';
  if (view.type !== 'modal' && view.type !== 'home') p.add('view type must be modal or home', `${pointer}/type`);
  if (surface === 'modal') {
    if (!textOf(view.title)) p.add('modal must have a title', `${pointer}/title`);
    p.maxLength(textOf(view.title), LIMITS.modalTitle, `${pointer}/title/text`);
    p.maxLength(textOf(view.submit), LIMITS.modalButton, `${pointer}/submit/text`);
    p.maxLength(textOf(view.close), LIMITS.modalButton, `${pointer}/close/text`);
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObj(b) && b.type === 'input');
    if (hasInput && !view.submit) p.add('must define submit to use input block', `${pointer}/submit`);
  }
  if (typeof view.private_metadata === 'string') {
    p.maxLength(view.private_metadata, LIMITS.privateMetadata, `${pointer}/private_metadata`);
  }
  if (typeof view.callback_id === 'string') p.maxLength(view.callback_id, LIMITS.callbackId, `${pointer}/callback_id`);
  p.list.push(...checkBlocks(view.blocks, surface, options, `${pointer}/blocks`));
  return p.list;
}

/** Problems with an options response to a `block_suggestion` (typeahead). */
export function checkOptionsResponse(response: unknown): string[] {
  const p = new Problems();
  if (!isObj(response)) return ['options response must be an object [json-pointer:/]'];
  if (response.options !== undefined && response.option_groups !== undefined) {
    p.add('must provide options or option_groups, not both', '/');
  }
  if (Array.isArray(response.options)) {
    p.maxItems(response.options, LIMITS.optionsPerSelect, '/options');
    response.options.forEach((o, i) => {
      checkOption(o, `/options/${i}`, p);
    });
  }
  if (Array.isArray(response.option_groups)) {
    p.maxItems(response.option_groups, LIMITS.optionsPerSelect, '/option_groups');
    response.option_groups.forEach((g, gi) => {
      if (!isObj(g)) return;
      p.maxLength(textOf(g.label), LIMITS.optionText, `/option_groups/${gi}/label/text`);
      if (Array.isArray(g.options)) {
        p.maxItems(g.options, LIMITS.optionsPerSelect, `/option_groups/${gi}/options`);
        g.options.forEach((o, i) => {
          checkOption(o, `/option_groups/${gi}/options/${i}`, p);
        });
      }
    });
  }
  return p.list;
}

function checkBlocks(blocks: unknown, surface: Surface, options: CheckOptions, pointer: string): string[] {
  const p = new Problems();
  if (blocks === undefined) return p.list;
  if (!Array.isArray(blocks)) {
    p.add('must be an array', pointer);
    return p.list;
  }
  p.maxItems(blocks, surface === 'message' ? LIMITS.messageBlocks : LIMITS.viewBlocks, pointer);
  let tables = 0;
  let charts = 0;
  blocks.forEach((block, i) => {
    const at = `${pointer}/${i}`;
    if (!isObj(block) || typeof block.type !== 'string') {
      p.add('block must be an object with a type', at);
      return;
    }
    if (options.rejectNativeBlocks && NATIVE_DATA_BLOCK_TYPES.has(block.type)) {
      p.add(`unsupported block type: ${block.type}`, `${at}/type`);
      return;
    }
    if (block.type === 'table') tables += 1;
    if (block.type === 'data_visualization') charts += 1;
    checkBlock(block, at, p);
  });
  if (tables > LIMITS.tablesPerMessage) p.add('only one table block is allowed per message', pointer);
  if (surface === 'message' && charts > LIMITS.dataVizPerMessage) {
    p.add(`at most ${LIMITS.dataVizPerMessage} data_visualization blocks are allowed per message`, pointer);
  }
  return p.list;
}

function checkBlock(block: Json, at: string, p: Problems): void {
  switch (block.type) {
    case 'section': {
      const text = textOf(block.text);
      const fields = Array.isArray(block.fields) ? block.fields : undefined;
      if (text === undefined && fields === undefined) p.add('section must have text or fields', at);
      if (text !== undefined && text.length === 0) p.add('must be at least 1 character', `${at}/text/text`);
      p.maxLength(text, LIMITS.sectionText, `${at}/text/text`);
      p.maxItems(fields, LIMITS.sectionFields, `${at}/fields`);
      fields?.forEach((f, i) => {
        p.maxLength(textOf(f), LIMITS.sectionFieldText, `${at}/fields/${i}/text`);
      });
      if (isObj(block.accessory)) checkElement(block.accessory, `${at}/accessory`, p);
      break;
    }
    case 'header':
      if (!textOf(block.text)) p.add('header must have text', `${at}/text`);
      p.maxLength(textOf(block.text), LIMITS.headerText, `${at}/text/text`);
      break;
    case 'image':
      checkImage(block, at, p);
      break;
    case 'actions': {
      const elements = Array.isArray(block.elements) ? block.elements : [];
      if (elements.length === 0) p.add('actions block must have elements', `${at}/elements`);
      p.maxItems(elements, LIMITS.actionsElements, `${at}/elements`);
      elements.forEach((e, i) => {
        if (isObj(e)) checkElement(e, `${at}/elements/${i}`, p);
      });
      break;
    }
    case 'context': {
      const elements = Array.isArray(block.elements) ? block.elements : [];
      p.maxItems(elements, LIMITS.contextElements, `${at}/elements`);
      elements.forEach((e, i) => {
        if (isObj(e) && e.type === 'image') checkImage(e, `${at}/elements/${i}`, p);
      });
      break;
    }
    case 'input':
      if (!textOf(block.label)) p.add('input must have a label', `${at}/label`);
      if (isObj(block.element)) checkElement(block.element, `${at}/element`, p);
      break;
    case 'table':
      checkTable(block, at, p);
      break;
    case 'data_table':
      checkDataTable(block, at, p);
      break;
    case 'data_visualization':
      checkDataVisualization(block, at, p);
      break;
    default:
      break;
  }
}

function checkImage(image: Json, at: string, p: Problems): void {
  if (typeof image.alt_text !== 'string' || image.alt_text === '') p.add('alt_text is required', `${at}/alt_text`);
  else p.maxLength(image.alt_text, LIMITS.altText, `${at}/alt_text`);
  const hasUrl = typeof image.image_url === 'string';
  const hasFile = isObj(image.slack_file);
  if (hasUrl === hasFile) p.add('must provide exactly one of image_url or slack_file', at);
  if (hasUrl) p.maxLength(image.image_url as string, LIMITS.imageUrl, `${at}/image_url`);
}

function checkElement(element: Json, at: string, p: Problems): void {
  if (element.type === 'button') {
    p.maxLength(textOf(element.text), LIMITS.buttonText, `${at}/text/text`);
    if (typeof element.url === 'string') p.maxLength(element.url, LIMITS.buttonUrl, `${at}/url`);
  }
  if (element.type === 'image') checkImage(element, at, p);
  if (Array.isArray(element.options)) {
    p.maxItems(element.options, LIMITS.optionsPerSelect, `${at}/options`);
    element.options.forEach((o, i) => {
      checkOption(o, `${at}/options/${i}`, p);
    });
  }
  if (Array.isArray(element.option_groups)) {
    p.maxItems(element.option_groups, LIMITS.optionsPerSelect, `${at}/option_groups`);
    element.option_groups.forEach((g, gi) => {
      if (isObj(g) && Array.isArray(g.options)) {
        p.maxItems(g.options, LIMITS.optionsPerSelect, `${at}/option_groups/${gi}/options`);
        g.options.forEach((o, i) => {
          checkOption(o, `${at}/option_groups/${gi}/options/${i}`, p);
        });
      }
    });
  }
  if (isObj(element.initial_option)) checkOption(element.initial_option, `${at}/initial_option`, p);
  if (Array.isArray(element.initial_options)) {
    element.initial_options.forEach((o, i) => {
      checkOption(o, `${at}/initial_options/${i}`, p);
    });
  }
}

function checkOption(option: unknown, at: string, p: Problems): void {
  if (!isObj(option)) {
    p.add('option must be an object', at);
    return;
  }
  const text = textOf(option.text);
  if (text === undefined) p.add('option must have text', `${at}/text`);
  p.maxLength(text, LIMITS.optionText, `${at}/text/text`);
  if (typeof option.value === 'string') p.maxLength(option.value, LIMITS.optionValue, `${at}/value`);
  p.maxLength(textOf(option.description), LIMITS.optionText, `${at}/description/text`);
}

function checkTable(table: Json, at: string, p: Problems): void {
  const rows = Array.isArray(table.rows) ? table.rows : undefined;
  if (!rows || rows.length === 0) {
    p.add('table must have rows', `${at}/rows`);
    return;
  }
  p.maxItems(rows, LIMITS.tableRows, `${at}/rows`);
  rows.forEach((row, i) => {
    if (!Array.isArray(row)) {
      p.add('row must be an array of cells', `${at}/rows/${i}`);
      return;
    }
    p.maxItems(row, LIMITS.tableCells, `${at}/rows/${i}`);
    row.forEach((cell, j) => {
      checkTableCell(cell, `${at}/rows/${i}/${j}`, p);
    });
  });
  if (Array.isArray(table.column_settings))
    p.maxItems(table.column_settings, LIMITS.tableCells, `${at}/column_settings`);
}

/** A cell is `raw_text` (1–2000 characters) or a `rich_text` block. */
function checkTableCell(cell: unknown, at: string, p: Problems): void {
  if (!isObj(cell)) {
    p.add('cell must be an object', at);
    return;
  }
  if (cell.type === 'rich_text') return;
  if (cell.type !== 'raw_text') {
    p.add('cell type must be raw_text or rich_text', `${at}/type`);
    return;
  }
  if (typeof cell.text !== 'string' || cell.text.length === 0) p.add('must be at least 1 character', `${at}/text`);
  else p.maxLength(cell.text, LIMITS.tableCellText, `${at}/text`);
}

/** data_table: the first row is the header; 2–201 rows of 1–20 cells, all the same length; page_size 1–100. */
function checkDataTable(table: Json, at: string, p: Problems): void {
  const rows = Array.isArray(table.rows) ? table.rows : [];
  if (rows.length < 2) p.add('data_table needs a header row and at least one row', `${at}/rows`);
  p.maxItems(rows, LIMITS.dataTableRows, `${at}/rows`);
  const width = Array.isArray(rows[0]) ? rows[0].length : 0;
  if (width < 1) p.add('data_table needs at least one column', `${at}/rows/0`);
  p.maxItems(Array.isArray(rows[0]) ? rows[0] : [], LIMITS.tableCells, `${at}/rows/0`);
  rows.forEach((row, i) => {
    if (!Array.isArray(row)) {
      p.add('row must be an array of cells', `${at}/rows/${i}`);
      return;
    }
    if (row.length !== width) p.add('every row must have as many cells as the header', `${at}/rows/${i}`);
    row.forEach((cell, j) => {
      if (i === 0 && isObj(cell) && cell.type === 'rich_text') {
        p.add('header cells cannot be rich_text', `${at}/rows/0/${j}`);
      } else checkTableCell(cell, `${at}/rows/${i}/${j}`, p);
    });
  });
  if (table.page_size !== undefined) {
    const size = table.page_size;
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > LIMITS.dataTablePageSize) {
      p.add(`page_size must be between 1 and ${LIMITS.dataTablePageSize}`, `${at}/page_size`);
    }
  }
}

function checkDataVisualization(block: Json, at: string, p: Problems): void {
  if (typeof block.title !== 'string' || block.title === '') p.add('title is required', `${at}/title`);
  else p.maxLength(block.title, LIMITS.dataVizTitle, `${at}/title`);
  const chart = isObj(block.chart) ? block.chart : undefined;
  if (!chart) {
    p.add('chart is required', `${at}/chart`);
    return;
  }
  if (chart.type === 'pie') {
    const segments = Array.isArray(chart.segments) ? chart.segments : [];
    if (segments.length === 0) p.add('pie chart needs segments', `${at}/chart/segments`);
    p.maxItems(segments, LIMITS.dataVizSeries, `${at}/chart/segments`);
    segments.forEach((s, i) => {
      if (isObj(s) && typeof s.label === 'string') {
        p.maxLength(s.label, LIMITS.dataVizCategoryLabel, `${at}/chart/segments/${i}/label`);
      }
      if (!isObj(s) || typeof s.value !== 'number' || !(s.value > 0)) {
        p.add('pie segment value must be greater than 0', `${at}/chart/segments/${i}/value`);
      }
    });
    return;
  }
  if (!['bar', 'line', 'area'].includes(String(chart.type))) {
    p.add('chart type must be bar, line, area or pie', `${at}/chart/type`);
    return;
  }
  const series = Array.isArray(chart.series) ? chart.series : [];
  if (series.length === 0) p.add('chart needs at least one series', `${at}/chart/series`);
  p.maxItems(series, LIMITS.dataVizSeries, `${at}/chart/series`);
  const axis = isObj(chart.axis_config) ? chart.axis_config : {};
  const categories = Array.isArray(axis.categories) ? axis.categories : [];
  if (categories.length === 0) p.add('axis_config needs categories', `${at}/chart/axis_config/categories`);
  const seen = new Set<unknown>();
  categories.forEach((c, i) => {
    const where = `${at}/chart/axis_config/categories/${i}`;
    if (typeof c !== 'string' || c === '') p.add('category must be a non-empty string', where);
    else p.maxLength(c, LIMITS.dataVizCategoryLabel, where);
    if (seen.has(c)) p.add('category labels must be unique', where);
    seen.add(c);
  });
  for (const key of ['x_label', 'y_label']) {
    if (typeof axis[key] === 'string') {
      p.maxLength(axis[key] as string, LIMITS.dataVizAxisLabel, `${at}/chart/axis_config/${key}`);
    }
  }
  const names = new Set<unknown>();
  series.forEach((s, si) => {
    const where = `${at}/chart/series/${si}`;
    if (!isObj(s) || !Array.isArray(s.data)) {
      p.add('series must have a name and data', where);
      return;
    }
    if (typeof s.name !== 'string' || s.name === '') p.add('series name is required', `${where}/name`);
    if (names.has(s.name)) p.add('series names must be unique', `${where}/name`);
    names.add(s.name);
    if (s.data.length !== categories.length) p.add('series needs one data point per category', `${where}/data`);
    s.data.forEach((d, di) => {
      const point = `${where}/data/${di}`;
      if (!isObj(d)) {
        p.add('data point must be an object', point);
        return;
      }
      if (typeof d.label === 'string') p.maxLength(d.label, LIMITS.dataVizCategoryLabel, `${point}/label`);
      if (d.label !== categories[di]) p.add('data point label must match its category', `${point}/label`);
      if (typeof d.value !== 'number' || !Number.isFinite(d.value)) p.add('value must be a number', `${point}/value`);
    });
  });
}

/**
 * What Slack sends back as `view.state.values` for a view nobody touched: every input's initial value, in the
 * shape of a view_submission payload. Tests then change single elements the way a person would.
 */
import type { ModalStateValues } from '../../src/slack/views/audienceModal.js';

type Json = Record<string, any>;

export function initialStateValues(view: { blocks: unknown[] }): ModalStateValues {
  const values: ModalStateValues = {};
  for (const block of view.blocks as Json[]) {
    if (block.type !== 'input') continue;
    const el = block.element as Json;
    let state: Json;
    switch (el.type) {
      case 'static_select':
      case 'radio_buttons':
        state = { type: el.type, selected_option: el.initial_option ?? null };
        break;
      case 'multi_static_select':
      case 'multi_external_select':
        state = { type: el.type, selected_options: el.initial_options ?? [] };
        break;
      case 'number_input':
        state = { type: el.type, value: el.initial_value ?? null };
        break;
      default:
        throw new Error(`no simulation for ${el.type}`);
    }
    values[block.block_id] = { [el.action_id]: state as never };
  }
  return values;
}

const opt = (text: string, value: string) => ({ text: { type: 'plain_text', text, emoji: true }, value });

/** The person picks `options` in the element `actionId` of block `blockId`. */
export function choose(
  values: ModalStateValues,
  blockId: string,
  actionId: string,
  options: Array<[text: string, value: string]>,
): ModalStateValues {
  const current = values[blockId]?.[actionId];
  if (!current) throw new Error(`no element ${blockId}/${actionId} in the view`);
  const next = current.type.startsWith('multi_')
    ? { ...current, selected_options: options.map(([t, v]) => opt(t, v)) }
    : { ...current, selected_option: options[0] ? opt(options[0][0], options[0][1]) : null };
  return { ...values, [blockId]: { ...values[blockId], [actionId]: next } };
}

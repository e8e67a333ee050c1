/**
 * A person in Slack, played against the in-process bot: what their Slack client would send (signed slash
 * commands, clicks, typeahead, modal submissions) and what it would show (read back from the Slack recorder).
 * The modal is filled the way Slack keeps a modal's state: the view the bot last opened or updated, with the
 * person's choices (or the view's initial values) for each input block.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { FakeSlack } from '../devtools/fakeSlack.js';
import {
  blockSuggestion,
  type ElementAction,
  type MessageRef,
  messageBlockActions,
  type OpenView,
  type SlackActor,
  signCommand,
  signInteraction,
  slashCommandFields,
  type ViewStateValues,
  viewBlockActions,
  viewSubmission,
} from '../devtools/slackRequests.js';
import { refusedCalls, type ShownMessage, shownMessages } from '../devtools/slackTimeline.js';
import { DemoFailure } from './errors.js';

type Json = Record<string, any>;

export interface Option {
  text: string;
  value: string;
}

export interface SlackUserDeps {
  server: FastifyInstance;
  slack: FakeSlack;
  signingSecret: string;
  actor: SlackActor;
  now: () => number;
}

const optionOf = (o: Json): Option => ({ text: String(o.text?.text ?? ''), value: String(o.value) });
const slackOption = (o: Option) => ({ text: { type: 'plain_text', text: o.text, emoji: true }, value: o.value });

/** Options of a select element, flattened out of option groups. */
export function optionsOf(element: Json | undefined): Option[] {
  if (!element) return [];
  const groups: Json[] = Array.isArray(element.option_groups) ? element.option_groups : [];
  const plain: Json[] = Array.isArray(element.options) ? element.options : [];
  return [...plain, ...groups.flatMap((g) => (Array.isArray(g.options) ? g.options : []))].map(optionOf);
}

export function createSlackUser(deps: SlackUserDeps) {
  const { server, slack, signingSecret, actor } = deps;

  /** Sends a signed request; anything but a 2xx, a refused Web API call or an unexpected URL stops the demo. */
  const send = async (what: string, request: ReturnType<typeof signCommand>) => {
    const before = slack.calls.length;
    const unexpectedBefore = slack.unexpected.length;
    const responsesBefore = slack.responses.length;
    const response = await server.inject(request);
    if (response.statusCode < 200 || response.statusCode >= 300) {
      throw new DemoFailure(`${what}: the bot answered HTTP ${response.statusCode} ${response.body.slice(0, 300)}`);
    }
    const refused = refusedCalls(slack.calls.slice(before));
    if (refused.length > 0) throw new DemoFailure(`${what}: Slack refused the bot's call: ${refused.join(' | ')}`);
    const badUrls = slack.unexpected.slice(unexpectedBefore);
    if (badUrls.length > 0) throw new DemoFailure(`${what}: the bot called URLs Slack does not serve: ${badUrls}`);
    const badResponses = slack.responses.slice(responsesBefore).filter((r) => r.status >= 300);
    if (badResponses.length > 0) {
      throw new DemoFailure(`${what}: Slack refused a response_url post: ${badResponses[0]!.problems?.join('; ')}`);
    }
    return response;
  };

  return {
    actor,
    /** `/audience <text>` typed in a channel. */
    command(text: string, channel: { id: string; name: string }): Promise<LightMyRequestResponse> {
      const fields = slashCommandFields(actor, {
        text,
        channelId: channel.id,
        channelName: channel.name,
        responseUrl: slack.responseUrl(),
      });
      return send(`/audience ${text}`.trim(), signCommand(fields, signingSecret, deps.now()));
    },

    /** A click (or menu choice) on a message the bot posted. */
    clickMessage(at: MessageRef, action: ElementAction): Promise<LightMyRequestResponse> {
      const payload = messageBlockActions(actor, at, action, slack.responseUrl());
      return send(`clicking “${action.actionId}”`, signInteraction(payload, signingSecret, deps.now()));
    },

    /** The messages Slack shows now, with their latest content. */
    messages(): ShownMessage[] {
      return shownMessages(slack.calls);
    },

    /** The recorder's position, to find what the bot sent after it. */
    mark(): number {
      return slack.calls.length;
    },

    /** The modal opened by the latest views.open since `since`, as Slack shows it now. */
    openedModal(since: number) {
      const opened = slack.calls.slice(since).findLast((c) => c.method === 'views.open' && c.response.ok === true);
      if (!opened) throw new DemoFailure('/audience did not open a modal');
      return createModal(opened.response.view.id as string);
    },
  };

  function createModal(viewId: string) {
    const chosen = new Map<string, Record<string, Json>>();

    /** The view as Slack holds it: views.open's answer, or the latest successful views.update of it. */
    const view = (): OpenView => {
      const latest = slack.calls.findLast(
        (c) => (c.method === 'views.open' || c.method === 'views.update') && c.response.view?.id === viewId,
      );
      return latest!.response.view as OpenView;
    };

    const block = (blockId: string): Json => {
      const found = (view().blocks as Json[]).find((b) => b.block_id === blockId);
      if (!found) {
        const ids = (view().blocks as Json[]).map((b) => b.block_id).filter(Boolean);
        throw new DemoFailure(`the modal has no block “${blockId}” (it has: ${ids.join(', ')})`);
      }
      return found;
    };

    /** `view.state.values`: what the person chose, else each input's initial value, as Slack sends it. */
    const values = (): ViewStateValues => {
      const state: ViewStateValues = {};
      for (const b of view().blocks as Json[]) {
        if (b.type !== 'input' || !b.element?.action_id) continue;
        const e = b.element as Json;
        const mine = chosen.get(b.block_id)?.[e.action_id];
        let value: Json;
        if (mine) value = mine;
        else if (e.type === 'multi_static_select' || e.type === 'multi_external_select')
          value = { type: e.type, selected_options: e.initial_options ?? [] };
        else if (e.type === 'static_select' || e.type === 'external_select' || e.type === 'radio_buttons')
          value = { type: e.type, selected_option: e.initial_option ?? null };
        else value = { type: e.type, value: e.initial_value ?? null };
        state[b.block_id] = { [e.action_id]: value };
      }
      return state;
    };

    const remember = (blockId: string, actionId: string, value: Json) => {
      chosen.set(blockId, { ...chosen.get(blockId), [actionId]: value });
    };

    const interact = async (what: string, payload: object) =>
      send(what, signInteraction(payload, signingSecret, deps.now()));

    /** After a dispatching choice the bot must redraw the modal with views.update (view id and hash). */
    const expectUpdate = (since: number, what: string) => {
      const updated = slack.calls
        .slice(since)
        .some((c) => c.method === 'views.update' && c.response.ok === true && c.response.view?.id === viewId);
      if (!updated) throw new DemoFailure(`${what}: the bot did not update the modal`);
    };

    const pickOption = (options: Option[], wanted: (o: Option) => boolean, where: string): Option => {
      const option = options.find(wanted);
      if (!option) {
        const offered = options.slice(0, 10).map((o) => `${o.text} (${o.value})`);
        throw new DemoFailure(`${where}: the option is not offered (offered: ${offered.join(', ') || 'nothing'})`);
      }
      return option;
    };

    return {
      view,
      title: () => String(view().title?.text ?? ''),

      /** A menu in an input block that redraws the modal (account, a row's facet). */
      async chooseAndDispatch(blockId: string, wanted: (o: Option) => boolean): Promise<Option> {
        const element = block(blockId).element as Json;
        const option = pickOption(optionsOf(element), wanted, `the menu “${blockId}”`);
        remember(blockId, element.action_id, { type: element.type, selected_option: slackOption(option) });
        const since = slack.calls.length;
        const action: ElementAction = { kind: 'static_select', actionId: element.action_id, blockId, option };
        await interact(`choosing ${option.text}`, viewBlockActions(actor, view(), values(), action));
        expectUpdate(since, `choosing ${option.text}`);
        return option;
      },

      /** A button in an actions block of the modal (e.g. “Add a group”). */
      async click(buttonText: string): Promise<void> {
        for (const b of view().blocks as Json[]) {
          if (b.type !== 'actions') continue;
          const button = (b.elements as Json[]).find((e) => e.type === 'button' && e.text?.text === buttonText);
          if (!button) continue;
          const since = slack.calls.length;
          const action: ElementAction = {
            kind: 'button',
            actionId: button.action_id,
            blockId: b.block_id,
            ...(button.value !== undefined ? { value: button.value } : {}),
          };
          await interact(`clicking “${buttonText}”`, viewBlockActions(actor, view(), values(), action));
          expectUpdate(since, `clicking “${buttonText}”`);
          return;
        }
        throw new DemoFailure(`the modal has no “${buttonText}” button`);
      },

      /** Types into a typeahead (Slack asks the bot for options) and picks one; returns it. */
      async typeAndPick(blockId: string, typed: string, wanted: (o: Option) => boolean): Promise<Option> {
        const element = block(blockId).element as Json;
        const payload = blockSuggestion(actor, view(), values(), { actionId: element.action_id, blockId, typed });
        const response = await interact(`typing “${typed}”`, payload);
        const option = pickOption(optionsOf(response.json()), wanted, `typing “${typed}” into “${blockId}”`);
        addSelected(blockId, element, option);
        return option;
      },

      /** Picks from a menu whose options are in the view (no round trip to the bot). */
      pick(blockId: string, wanted: (o: Option) => boolean): Option {
        const element = block(blockId).element as Json;
        const option = pickOption(optionsOf(element), wanted, `the menu “${blockId}”`);
        if (element.type.startsWith('multi_')) addSelected(blockId, element, option);
        else remember(blockId, element.action_id, { type: element.type, selected_option: slackOption(option) });
        return option;
      },

      /** Types a number into a number input. */
      type(blockId: string, text: string): void {
        const element = block(blockId).element as Json;
        remember(blockId, element.action_id, { type: element.type, value: text });
      },

      /** Presses the submit button; the bot answers with an empty 200 (closes) or `response_action: errors`. */
      async submit(): Promise<LightMyRequestResponse> {
        const submitText = String(view().submit?.text ?? 'Submit');
        const response = await interact(`submitting “${submitText}”`, viewSubmission(actor, view(), values()));
        if (response.body !== '') {
          const body = response.json() as Json;
          if (body.response_action === 'errors') {
            const errors = Object.entries(body.errors ?? {}).map(([id, message]) => `${id}: ${String(message)}`);
            throw new DemoFailure(`the modal refused the submission: ${errors.join('; ')}`);
          }
        }
        return response;
      },
    };

    function addSelected(blockId: string, element: Json, option: Option) {
      const current = values()[blockId]?.[element.action_id]?.selected_options as Json[] | undefined;
      const kept = (current ?? []).filter((o) => o.value !== option.value);
      remember(blockId, element.action_id, { type: element.type, selected_options: [...kept, slackOption(option)] });
    }
  }
}

export type SlackUser = ReturnType<typeof createSlackUser>;
export type ModalSession = ReturnType<SlackUser['openedModal']>;

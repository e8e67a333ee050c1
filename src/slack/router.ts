/**
 * Where listener folders register: Bolt's own listener methods (`command`, `action`, `view`, `options`, `event`,
 * `use`), served by one Bolt middleware that finds the listener by the request's id in a Map.
 *
 * Why not register on the App directly: Bolt runs every registered listener's middleware chain on every request
 * (copying the arguments for each) to find the one that matches. With this app's 23 listeners, processEvent cost
 * about 160 µs of CPU per slash command against about 14 µs routed (`npm run bench:dispatch`), and the search
 * grows with every feature. Listeners get the arguments Bolt would give them.
 *
 * Supported constraints are the ones this app uses; anything else throws at registration, not at request time.
 * Bolt's `ignoreSelf` is done here too, so the App runs without it (BOLT_APP_DEFAULTS in app.ts).
 */
import type { AllMiddlewareArgs, AnyMiddlewareArgs, App, Middleware } from '@slack/bolt';

export type SlackListeners = Pick<App, 'command' | 'action' | 'view' | 'options' | 'event' | 'use'>;

type Surface = 'command' | 'action' | 'view_submission' | 'view_closed' | 'options' | 'event';
type Pattern = string | RegExp;
// Listeners are typed where they are registered, by Bolt's own signatures (SlackListeners).
type Listener = (args: any) => Promise<void> | void;

interface Routes {
  exact: Map<string, Listener[]>;
  patterns: Array<{ pattern: RegExp; listener: Listener }>;
}

export interface ListenerRouter {
  /** What `register(app, …)` functions receive. */
  readonly listeners: SlackListeners;
  /**
   * Installs the router on `app` as a global middleware. Call once, after every folder and extension registered:
   * middleware added with `listeners.use` before it runs first, in order.
   */
  attach(app: App): void;
}

const SURFACES: readonly Surface[] = ['command', 'action', 'view_submission', 'view_closed', 'options', 'event'];

export function createListenerRouter(): ListenerRouter {
  const routes = new Map<Surface, Routes>(SURFACES.map((s) => [s, { exact: new Map(), patterns: [] }]));
  const globalMiddleware: Middleware<AnyMiddlewareArgs>[] = [];
  let attached = false;

  const add = (surface: Surface, pattern: Pattern, listeners: unknown[], method: string) => {
    if (attached) throw new Error(`slack listeners: ${method}() after the router was attached to the app`);
    if (listeners.length !== 1 || typeof listeners[0] !== 'function') {
      throw new Error(`slack listeners: ${method}(${String(pattern)}) takes exactly one listener function`);
    }
    const listener = listeners[0] as Listener;
    const table = routes.get(surface)!;
    if (typeof pattern === 'string') {
      const existing = table.exact.get(pattern);
      if (existing) existing.push(listener);
      else table.exact.set(pattern, [listener]);
    } else {
      table.patterns.push({ pattern, listener });
    }
  };

  const listeners = {
    command(name: Pattern, ...fns: unknown[]) {
      add('command', patternOf('command', name), fns, 'command');
    },
    action(constraint: Pattern | { action_id?: Pattern }, ...fns: unknown[]) {
      add('action', idOf('action', constraint, 'action_id'), fns, 'action');
    },
    view(constraint: Pattern | { callback_id?: Pattern; type?: string }, ...fns: unknown[]) {
      const type = typeof constraint === 'object' && !(constraint instanceof RegExp) ? constraint.type : undefined;
      if (type !== undefined && type !== 'view_submission' && type !== 'view_closed') {
        throw new Error(`slack listeners: view() does not know the type ${String(type)}`);
      }
      const id = idOf('view', constraint, 'callback_id', ['type']);
      // As in Bolt: a bare callback id means submissions; a constraints object without a type means both.
      const isBare = typeof constraint === 'string' || constraint instanceof RegExp;
      if (type !== undefined || isBare) add(type ?? 'view_submission', id, fns, 'view');
      else for (const surface of ['view_submission', 'view_closed'] as const) add(surface, id, fns, 'view');
    },
    options(constraint: Pattern | { action_id?: Pattern }, ...fns: unknown[]) {
      add('options', idOf('options', constraint, 'action_id'), fns, 'options');
    },
    event(type: Pattern, ...fns: unknown[]) {
      add('event', patternOf('event', type), fns, 'event');
    },
    use(middleware: Middleware<AnyMiddlewareArgs>) {
      if (attached) throw new Error('slack listeners: use() after the router was attached to the app');
      globalMiddleware.push(middleware);
    },
  };

  const dispatch: Middleware<AnyMiddlewareArgs> = async (args) => {
    if (isOwnEvent(args)) return;
    const found = routeOf(args);
    const matched = found ? matching(routes.get(found.surface)!, found.id) : [];
    if (matched.length === 0) {
      await args.next();
      return;
    }
    // The middleware's own arguments, not a copy with a no-op `next` as Bolt makes for each listener: a listener
    // that calls `next()` reaches Bolt's (empty) listener stage, which does nothing.
    if (matched.length === 1) {
      await matched[0]!(args);
      return;
    }
    // Bolt runs every matching listener, side by side, and reports their failures together.
    const settled = await Promise.allSettled(matched.map((listener) => listener(args)));
    const failures = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => s.reason);
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, 'several Slack listeners failed');
  };

  return {
    listeners: listeners as unknown as SlackListeners,
    attach(app) {
      if (attached) throw new Error('slack listeners: the router is already attached');
      attached = true;
      for (const middleware of globalMiddleware) app.use(middleware);
      app.use(dispatch);
    },
  };
}

function patternOf(method: string, value: unknown): Pattern {
  if (typeof value === 'string' || value instanceof RegExp) return value;
  throw new Error(`slack listeners: ${method}() needs a string or a RegExp`);
}

function idOf(method: string, constraint: unknown, key: string, allowed: string[] = []): Pattern {
  if (typeof constraint === 'string' || constraint instanceof RegExp) return constraint;
  if (constraint !== null && typeof constraint === 'object') {
    const unknownKeys = Object.keys(constraint).filter((k) => k !== key && !allowed.includes(k));
    if (unknownKeys.length > 0) {
      throw new Error(`slack listeners: ${method}() does not support the constraint ${unknownKeys.join(', ')}`);
    }
    const id = (constraint as Record<string, unknown>)[key];
    if (id === undefined) return /(?:)/;
    return patternOf(method, id);
  }
  throw new Error(`slack listeners: ${method}() needs an id, a RegExp or a constraints object`);
}

/** Events that Bolt keeps even when they are about the bot itself (as its `ignoreSelf` does). */
const OWN_EVENTS_KEPT = new Set(['member_joined_channel', 'member_left_channel']);

/**
 * Bolt's `ignoreSelf`, folded in here (the App runs with `ignoreSelf: false`, see BOLT_APP_DEFAULTS): the bot's
 * own messages and events about the bot's own user run no listener. One middleware less on every request.
 */
function isOwnEvent(args: AnyMiddlewareArgs & AllMiddlewareArgs): boolean {
  const event = (args as { event?: Record<string, unknown> }).event;
  if (!event) return false;
  const { botId, botUserId } = args.context;
  if (event.type === 'message' && event.subtype === 'bot_message' && event.bot_id === botId) return true;
  return botUserId !== undefined && event.user === botUserId && !OWN_EVENTS_KEPT.has(event.type as string);
}

/** The surface and id Bolt's own constraint matchers would read, or undefined for requests no listener can match. */
function routeOf(args: AnyMiddlewareArgs): { surface: Surface; id: string } | undefined {
  const a = args as Partial<Record<'command' | 'action' | 'view' | 'options' | 'event', Record<string, unknown>>> & {
    body: Record<string, unknown>;
  };
  if (a.command) return withId('command', a.command.command);
  if (a.action) return withId('action', a.action.action_id);
  if (a.view) {
    const type = a.body.type;
    if (type === 'view_submission' || type === 'view_closed') return withId(type, a.view.callback_id);
    return undefined;
  }
  if (a.options) return withId('options', a.options.action_id);
  if (a.event) return withId('event', a.event.type);
  return undefined;
}

function withId(surface: Surface, id: unknown): { surface: Surface; id: string } | undefined {
  return typeof id === 'string' ? { surface, id } : undefined;
}

function matching(table: Routes, id: string): Listener[] {
  const exact = table.exact.get(id);
  if (table.patterns.length === 0) return exact ?? [];
  const found = exact ? [...exact] : [];
  for (const { pattern, listener } of table.patterns) {
    pattern.lastIndex = 0;
    if (pattern.test(id)) found.push(listener);
  }
  return found;
}

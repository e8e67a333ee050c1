/**
 * LinkedIn linking routes.
 *
 *   GET /oauth/linkedin/start?ticket=…   consumes the one-time ticket from Slack, creates a server-side OAuth state
 *                                        bound to that Slack user, and redirects to LinkedIn's consent page.
 *   GET /oauth/linkedin/callback?code&state | ?error&state
 *                                        checks the state, exchanges the code, stores the link, answers a page.
 *
 * The redirect is built by @fastify/oauth2 (credentials in the body, custom state functions). The state lives in
 * the database (single use, 10 minutes) and in a cookie set on the browser that started the flow, so a callback
 * is accepted only from that browser, for that Slack user.
 *
 * The code exchange deliberately goes through the LinkedIn client's `exchangeCode` rather than
 * @fastify/oauth2's `getAccessTokenFromAuthorizationCodeFlow`: simple-oauth2 makes its own HTTP calls, which the
 * in-process sandbox (a `fetch` function) cannot receive and tests cannot keep offline. The client uses the
 * injectable fetch, sends client_id/client_secret in the form body as LinkedIn requires, and maps LinkedIn's
 * OAuth errors to typed ones.
 */
import oauthPlugin, { type FastifyOAuth2Options, type OAuth2Namespace } from '@fastify/oauth2';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { SlackUserKey } from '../db/types.js';
import { LINKEDIN_SCOPES } from '../linkedin/api.js';
import { LINK_CALLBACK_PATH, LINK_START_PATH } from '../linking/service.js';
import type { LinkContext, LinkService } from '../linking/types.js';
import { type Page, sendPage, slackDeepLink } from './pages.js';

export interface LinkRoutesOptions {
  linking: LinkService;
  publicUrl: string;
  /** Browser-facing LinkedIn OAuth base, e.g. `https://www.linkedin.com/oauth/v2` (the sandbox's in sandbox mode). */
  authorizeBaseUrl: string;
  clientId: string;
  clientSecret: string;
  scopes?: readonly string[];
}

const OAUTH_NAMESPACE = 'linkedinOAuth2';
const DECLINED_ERRORS = new Set(['user_cancelled_authorize', 'user_cancelled_login']);

interface CallbackQuery {
  code?: string;
  state?: string;
  error?: string;
  error_description?: string;
}

type StateCheck =
  | { ok: true; key: SlackUserKey; context: LinkContext }
  | { ok: false; reason: 'missing' | 'other_browser' | 'unknown' | 'expired' | 'used' };

export const linkRoutes: FastifyPluginAsync<LinkRoutesOptions> = async (instance, options) => {
  const { linking } = options;
  const publicUrl = options.publicUrl.replace(/\/+$/, '');
  const redirectUri = `${publicUrl}${LINK_CALLBACK_PATH}`;
  const secure = publicUrl.startsWith('https://');
  // `__Host-` cookies need https; on plain http (local runs) the cookie is scoped to the OAuth paths instead.
  const stateCookie = secure ? '__Host-linkedin-oauth-state' : 'linkedin-oauth-state';
  const cookieOptions = { httpOnly: true, sameSite: 'lax' as const, secure, path: secure ? '/' : '/oauth/linkedin' };

  /** The redeemed ticket of the request being redirected, for generateStateFunction. */
  const pendingStart = new WeakMap<FastifyRequest, { key: SlackUserKey; context: LinkContext }>();

  const checkState = (request: FastifyRequest): StateCheck => {
    const state = (request.query as CallbackQuery).state;
    if (!state) return { ok: false, reason: 'missing' };
    // Compared before consuming: another browser's attempt must not burn the owner's state.
    if (request.cookies[stateCookie] !== state) return { ok: false, reason: 'other_browser' };
    const redeemed = linking.redeemState(state);
    return redeemed.ok ? redeemed : { ok: false, reason: redeemed.reason };
  };

  const { authorizeHost, authorizePath, tokenHost, tokenPath } = splitOAuthBase(options.authorizeBaseUrl);
  const pluginOptions: FastifyOAuth2Options = {
    name: OAUTH_NAMESPACE,
    scope: [...(options.scopes ?? LINKEDIN_SCOPES)],
    credentials: {
      client: { id: options.clientId, secret: options.clientSecret },
      auth: { authorizeHost, authorizePath, tokenHost, tokenPath },
      // LinkedIn wants client_id/client_secret in the form body (libraries.md §5.2).
      options: { authorizationMethod: 'body' },
    },
    callbackUri: redirectUri,
    redirectStateCookieName: stateCookie,
    cookie: cookieOptions,
    generateStateFunction: async (request: FastifyRequest) => {
      const pending = pendingStart.get(request);
      if (!pending) throw new Error('No redeemed link ticket for this request.');
      return linking.createState(pending.key, pending.context);
    },
    // The callback below runs the same check itself (see the header comment for why it does not call the plugin).
    checkStateFunction: async (request: FastifyRequest) => checkState(request).ok,
  };
  await instance.register(oauthPlugin, pluginOptions);
  const oauth = (instance as FastifyInstance & Record<string, OAuth2Namespace>)[OAUTH_NAMESPACE]!;

  instance.get<{ Querystring: { ticket?: string } }>(LINK_START_PATH, async (request, reply) => {
    const ticket = request.query.ticket;
    if (!ticket) return sendPage(reply, 400, problem('This link is incomplete.', RESTART));
    const redeemed = linking.redeemTicket(ticket);
    if (!redeemed.ok) return sendPage(reply, redeemed.reason === 'forged' ? 400 : 410, ticketProblem(redeemed.reason));
    pendingStart.set(request, { key: redeemed.key, context: redeemed.context });
    const authorizationUri = await oauth.generateAuthorizationUri(request, reply);
    return reply
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .redirect(authorizationUri);
  });

  instance.get<{ Querystring: CallbackQuery }>(LINK_CALLBACK_PATH, async (request, reply) => {
    const state = checkState(request);
    // The state is single use whatever happens next; the browser has no further use for its cookie.
    reply.clearCookie(stateCookie, cookieOptions);
    if (!state.ok) return sendPage(reply, 400, stateProblem(state.reason));

    const { code, error } = request.query;
    const back = slackDeepLink(state.key.teamId, state.context.appId);
    if (error) {
      request.log.info({ error }, 'LinkedIn consent not given');
      return sendPage(reply, DECLINED_ERRORS.has(error) ? 200 : 400, declined(error, back));
    }
    if (!code) return sendPage(reply, 400, problem('LinkedIn did not send an authorization code.', RESTART));

    try {
      const linked = await linking.completeLink(state.key, code, redirectUri, state.context);
      return sendPage(reply, 200, {
        tone: 'success',
        title: 'LinkedIn linked',
        paragraphs: [
          `Your Slack account is now linked to LinkedIn as ${linked.memberName}.`,
          linked.accounts.length === 0
            ? 'This member has no ad account with a role on it yet, so audience queries will not work until one is added.'
            : `${linked.accounts.length} ad account${linked.accounts.length === 1 ? '' : 's'} found.`,
          'You can close this tab and go back to Slack.',
        ],
        link: { href: back, label: 'Back to Slack' },
      });
    } catch (failure) {
      request.log.warn({ err: failure }, 'completing the LinkedIn link failed');
      return sendPage(
        reply,
        502,
        problem(
          'LinkedIn could not complete the link, so nothing was changed.',
          `${RESTART} If it keeps failing, try again later.`,
        ),
      );
    }
  });
};

const RESTART = 'Run /audience link in Slack to get a new link.';

const problem = (title: string, detail: string): Page => ({ tone: 'problem', title, paragraphs: [detail] });

function ticketProblem(reason: 'forged' | 'unknown' | 'expired' | 'used'): Page {
  switch (reason) {
    case 'expired':
      return problem('This link has expired.', `Links work for 10 minutes. ${RESTART}`);
    case 'used':
      return problem('This link was already used.', `Each link works once. ${RESTART}`);
    default:
      return problem('This link is not valid.', RESTART);
  }
}

function stateProblem(reason: Exclude<StateCheck, { ok: true }>['reason']): Page {
  switch (reason) {
    case 'other_browser':
      return problem(
        'This sign-in belongs to someone else.',
        `It was started by another Slack user or in another browser, so it was not used. ${RESTART}`,
      );
    case 'expired':
      return problem('This sign-in has expired.', `Finish linking within 10 minutes. ${RESTART}`);
    case 'used':
      return problem('This sign-in was already completed or cancelled.', RESTART);
    default:
      return problem('This sign-in is not valid.', RESTART);
  }
}

function declined(error: string, back: string): Page {
  return DECLINED_ERRORS.has(error)
    ? {
        tone: 'problem',
        title: 'Linking cancelled',
        paragraphs: ['You did not approve access on LinkedIn, so nothing was linked.', RESTART],
        link: { href: back, label: 'Back to Slack' },
      }
    : problem('LinkedIn refused the request.', `Nothing was linked. ${RESTART}`);
}

/** `https://host/oauth/v2` → the host and paths @fastify/oauth2 wants. */
export function splitOAuthBase(base: string) {
  const url = new URL(base.replace(/\/+$/, ''));
  const path = url.pathname.replace(/\/+$/, '');
  return {
    authorizeHost: url.origin,
    authorizePath: `${path}/authorization`,
    tokenHost: url.origin,
    tokenPath: `${path}/accessToken`,
  };
}

/**
 * The link between a Slack user and a LinkedIn member: issuing the one-time link, the OAuth round trip, keeping
 * the access token fresh, and undoing it all. Every other flow asks this service for a token (`accessTokenFor`)
 * and never touches tokens in storage itself.
 */
import type { LinkedInLink, Repositories, SlackUserKey } from '../db/types.js';
import { NoAdAccountError, NotLinkedError, RelinkRequiredError } from '../errors.js';
import type { LinkedInApi } from '../linkedin/api.js';
import { isRetryable } from '../linkedin/errors.js';
import type { MemberAdAccount } from '../linkedin/types.js';
import type { Logger } from '../logging.js';
import { randomId, signTicket, verifyTicket } from './tickets.js';
import type {
  CompletedLink,
  IssuedLink,
  LinkContext,
  LinkNotifier,
  LinkService,
  LinkStatusView,
  StateRedemption,
  TicketRedemption,
  UnlinkResult,
} from './types.js';

export const LINK_START_PATH = '/oauth/linkedin/start';
export const LINK_CALLBACK_PATH = '/oauth/linkedin/callback';

const MINUTE = 60_000;

export interface LinkServiceDeps {
  repos: Pick<Repositories, 'links' | 'oauthStates' | 'preferences'>;
  linkedin: LinkedInApi;
  now: () => number;
  notify: LinkNotifier;
  /** HMAC key for tickets (see tickets.ts `deriveTicketKey`). */
  ticketKey: Buffer;
  /** The bot's public base URL, for the start link. */
  publicUrl: string;
  logger?: Logger;
  /** Refresh when the access token expires within this window. */
  refreshWindowMs?: number;
  ticketTtlMs?: number;
  stateTtlMs?: number;
}

export function createLinkService(deps: LinkServiceDeps): LinkService {
  const { repos, linkedin, now, notify } = deps;
  const refreshWindowMs = deps.refreshWindowMs ?? 5 * MINUTE;
  const ticketTtlMs = deps.ticketTtlMs ?? 10 * MINUTE;
  const stateTtlMs = deps.stateTtlMs ?? 10 * MINUTE;
  const publicUrl = deps.publicUrl.replace(/\/+$/, '');
  /** One refresh per person at a time: concurrent callers share it (LinkedIn may rotate the refresh token). */
  const refreshing = new Map<string, Promise<string>>();

  const mapKey = (key: SlackUserKey) => `${key.teamId}:${key.userId}`;

  const tell = async (event: Parameters<LinkNotifier>[0]) => {
    try {
      await notify(event);
    } catch (error) {
      deps.logger?.warn({ err: error, event: event.type }, 'could not tell the person about their LinkedIn link');
    }
  };

  /** Marks the link as needing a re-link and tells the person, once per failure. */
  const requireRelink = async (link: LinkedInLink): Promise<never> => {
    const key = { teamId: link.teamId, userId: link.userId };
    if (link.relinkNotifiedAt === undefined) {
      repos.links.markNeedsRelink(key, now());
      await tell({ type: 'relink_required', key });
    } else if (link.status !== 'needs_relink') {
      repos.links.markNeedsRelink(key);
    }
    throw new RelinkRequiredError();
  };

  const refresh = async (link: LinkedInLink): Promise<string> => {
    const key = { teamId: link.teamId, userId: link.userId };
    const at = now();
    const stillValid = link.accessTokenExpiresAt > at;
    const refreshToken = link.refreshToken;
    if (!refreshToken || (link.refreshTokenExpiresAt !== undefined && link.refreshTokenExpiresAt <= at)) {
      // Nothing to refresh with: use what is left of the access token, then the person must link again.
      return stillValid ? link.accessToken : requireRelink(link);
    }
    try {
      const tokens = await linkedin.refresh(refreshToken);
      repos.links.updateTokens(key, {
        accessToken: tokens.accessToken,
        accessTokenExpiresAt: tokens.accessTokenExpiresAt,
        refreshToken: tokens.refreshToken,
        refreshTokenExpiresAt: tokens.refreshTokenExpiresAt,
      });
      return tokens.accessToken;
    } catch (error) {
      // A timeout or a 5xx says nothing about the grant: keep the link, and the old token while it lasts.
      if (isRetryable(error)) {
        if (stillValid) return link.accessToken;
        throw error;
      }
      deps.logger?.info({ err: error }, 'refreshing a LinkedIn token failed; the person must link again');
      return requireRelink(link);
    }
  };

  const cachedAccounts = (key: SlackUserKey) => repos.preferences.getCachedAccounts(key) ?? [];

  const service: LinkService = {
    issueLink(key, context = {}): IssuedLink {
      const id = randomId();
      const createdAt = now();
      const expiresAt = createdAt + ticketTtlMs;
      repos.oauthStates.deleteExpired(createdAt);
      repos.oauthStates.create({
        id,
        kind: 'link_ticket',
        ...slackKey(key),
        createdAt,
        expiresAt,
        data: { ...context },
      });
      const ticket = signTicket(deps.ticketKey, id);
      return { url: `${publicUrl}${LINK_START_PATH}?ticket=${encodeURIComponent(ticket)}`, expiresAt };
    },

    redeemTicket(ticket): TicketRedemption {
      const id = verifyTicket(deps.ticketKey, ticket);
      if (!id) return { ok: false, reason: 'forged' };
      const result = repos.oauthStates.consume(id, 'link_ticket', now());
      if (!result.ok) return result;
      return { ok: true, key: slackKey(result.record), context: asContext(result.record.data) };
    },

    createState(key, context) {
      const id = randomId();
      const createdAt = now();
      repos.oauthStates.create({
        id,
        kind: 'oauth_state',
        ...slackKey(key),
        createdAt,
        expiresAt: createdAt + stateTtlMs,
        data: { ...context },
      });
      return id;
    },

    redeemState(state): StateRedemption {
      const result = repos.oauthStates.consume(state, 'oauth_state', now());
      if (!result.ok) return result;
      return { ok: true, key: slackKey(result.record), context: asContext(result.record.data) };
    },

    async completeLink(key, code, redirectUri, context): Promise<CompletedLink> {
      const tokens = await linkedin.exchangeCode(code, redirectUri);
      let member: { sub: string; name: string };
      let accounts: MemberAdAccount[];
      try {
        [member, accounts] = await Promise.all([
          linkedin.userInfo(tokens.accessToken),
          linkedin.adAccounts(tokens.accessToken),
        ]);
      } catch (error) {
        // Nothing is stored, so the fresh grant would only linger at LinkedIn.
        await linkedin.revoke(tokens.accessToken).catch(() => undefined);
        throw error;
      }
      const memberUrn = `urn:li:person:${member.sub}`;
      const memberName = member.name || 'LinkedIn member';
      repos.links.upsert({
        ...slackKey(key),
        memberUrn,
        memberName,
        accessToken: tokens.accessToken,
        accessTokenExpiresAt: tokens.accessTokenExpiresAt,
        refreshToken: tokens.refreshToken,
        refreshTokenExpiresAt: tokens.refreshTokenExpiresAt,
        scopes: tokens.scopes,
        status: 'active',
        relinkNotifiedAt: undefined,
      });
      repos.preferences.setCachedAccounts(key, accounts);
      const defaultAccountUrn = chooseDefaultAccount(repos.preferences.getDefaultAccount(key), accounts);
      repos.preferences.setDefaultAccount(key, defaultAccountUrn);
      await tell({ type: 'linked', key: slackKey(key), memberName, accounts, defaultAccountUrn, context });
      return { memberName, memberUrn, accounts, defaultAccountUrn };
    },

    async accessTokenFor(key) {
      const link = repos.links.get(key);
      if (!link) throw new NotLinkedError();
      if (link.status === 'needs_relink') return requireRelink(link);
      if (link.accessTokenExpiresAt - now() > refreshWindowMs) return link.accessToken;

      const inFlight = refreshing.get(mapKey(key));
      if (inFlight) return inFlight;
      const attempt = refresh(link).finally(() => refreshing.delete(mapKey(key)));
      refreshing.set(mapKey(key), attempt);
      return attempt;
    },

    async reportRejectedToken(key) {
      const link = repos.links.get(key);
      if (!link) return;
      await requireRelink(link).catch(() => undefined);
    },

    status(key): LinkStatusView {
      const link = repos.links.get(key);
      if (!link) return { linked: false };
      const accounts = cachedAccounts(key);
      const defaultAccountUrn = repos.preferences.getDefaultAccount(key);
      return {
        linked: true,
        status: link.status,
        memberName: link.memberName,
        memberUrn: link.memberUrn,
        scopes: link.scopes,
        linkedAt: link.createdAt,
        accessTokenExpiresAt: link.accessTokenExpiresAt,
        canRefresh: link.refreshToken !== undefined,
        accounts,
        defaultAccountUrn,
        defaultAccount: accounts.find((a) => a.urn === defaultAccountUrn),
      };
    },

    async unlink(key): Promise<UnlinkResult> {
      const link = repos.links.get(key);
      if (!link) return { wasLinked: false, revoked: false };
      // Revoking the refresh token ends the whole grant at LinkedIn; the access token is revoked on its own too.
      let revoked = true;
      for (const token of [link.refreshToken, link.accessToken]) {
        if (token === undefined) continue;
        try {
          await linkedin.revoke(token);
        } catch (error) {
          revoked = false;
          deps.logger?.warn({ err: error }, 'LinkedIn did not confirm a token revocation; unlinking locally anyway');
        }
      }
      repos.links.delete(key);
      repos.preferences.setCachedAccounts(key, []);
      repos.preferences.setDefaultAccount(key, undefined);
      await tell({ type: 'unlinked', key: slackKey(key) });
      return { wasLinked: true, revoked };
    },

    async accounts(key, options = {}) {
      const cached = repos.preferences.getCachedAccounts(key);
      if (cached && cached.length > 0 && !options.refresh) return cached;
      const token = await service.accessTokenFor(key);
      const accounts = await linkedin.adAccounts(token);
      repos.preferences.setCachedAccounts(key, accounts);
      return accounts;
    },

    async setDefaultAccount(key, accountUrn) {
      const accounts = await service.accounts(key);
      const account = accounts.find((a) => a.urn === accountUrn);
      if (!account) throw new NoAdAccountError('That ad account is not one of your LinkedIn ad accounts.');
      repos.preferences.setDefaultAccount(key, account.urn);
      return account;
    },
  };
  return service;
}

const slackKey = (key: SlackUserKey): SlackUserKey => ({ teamId: key.teamId, userId: key.userId });

function asContext(data: Record<string, unknown> | undefined): LinkContext {
  const context: LinkContext = {};
  if (typeof data?.channelId === 'string') context.channelId = data.channelId;
  if (typeof data?.appId === 'string') context.appId = data.appId;
  if (data?.source === 'command' || data?.source === 'home' || data?.source === 'prompt') context.source = data.source;
  return context;
}

/** Keeps the person's choice while it is still one of their accounts; otherwise the first active one. */
export function chooseDefaultAccount(current: string | undefined, accounts: MemberAdAccount[]): string | undefined {
  if (current && accounts.some((a) => a.urn === current)) return current;
  return (accounts.find((a) => a.status === 'ACTIVE') ?? accounts[0])?.urn;
}

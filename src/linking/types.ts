import type { LinkStatus, SlackUserKey } from '../db/types.js';
import type { MemberAdAccount } from '../linkedin/types.js';

export type { SlackUserKey };

/** Where a link was asked for, carried through the OAuth round trip so the confirmation lands in the right place. */
export interface LinkContext {
  channelId?: string;
  /** Slack's app id, for a `slack://app` link back to the App Home. */
  appId?: string;
  /** Where the request came from: the slash command, the App Home, or a prompt shown by another flow. */
  source?: 'command' | 'home' | 'prompt';
}

export type LinkEvent =
  | {
      type: 'linked';
      key: SlackUserKey;
      memberName: string;
      accounts: MemberAdAccount[];
      defaultAccountUrn?: string;
      context: LinkContext;
    }
  /** Told once per failure: the tokens expired or were revoked and could not be refreshed. */
  | { type: 'relink_required'; key: SlackUserKey }
  | { type: 'unlinked'; key: SlackUserKey };

/** How the link service tells people about their link (Slack DMs, App Home). Must not throw for delivery problems. */
export type LinkNotifier = (event: LinkEvent) => Promise<void>;

export type LinkStatusView =
  | { linked: false }
  | {
      linked: true;
      status: LinkStatus;
      memberName: string;
      memberUrn: string;
      scopes: string[];
      linkedAt: number;
      accessTokenExpiresAt: number;
      canRefresh: boolean;
      accounts: MemberAdAccount[];
      defaultAccountUrn?: string;
      /** The default account with its name and role, when it is among the cached accounts. */
      defaultAccount?: MemberAdAccount;
    };

export interface IssuedLink {
  url: string;
  expiresAt: number;
}

export type TicketRedemption =
  | { ok: true; key: SlackUserKey; context: LinkContext }
  | { ok: false; reason: 'forged' | 'unknown' | 'expired' | 'used' };

export type StateRedemption =
  | { ok: true; key: SlackUserKey; context: LinkContext }
  | { ok: false; reason: 'unknown' | 'expired' | 'used' };

export interface CompletedLink {
  memberName: string;
  memberUrn: string;
  accounts: MemberAdAccount[];
  defaultAccountUrn?: string;
}

export interface UnlinkResult {
  wasLinked: boolean;
  /** Whether LinkedIn confirmed the revocation; the local link is deleted either way. */
  revoked: boolean;
}

export interface LinkService {
  /** A one-time, signed, 10-minute link to `/oauth/linkedin/start`, bound to this Slack user. */
  issueLink(key: SlackUserKey, context?: LinkContext): IssuedLink;
  /** Consumes a ticket from the start URL (single use). */
  redeemTicket(ticket: string): TicketRedemption;
  /** Creates the server-side OAuth `state` (single use, 10 minutes) bound to the Slack user. */
  createState(key: SlackUserKey, context: LinkContext): string;
  /** Consumes an OAuth `state` (single use). */
  redeemState(state: string): StateRedemption;
  /**
   * Exchanges the authorization code, reads the member and their ad accounts, stores the link and tells the
   * person. Rejects (changing nothing) when any LinkedIn call fails.
   */
  completeLink(key: SlackUserKey, code: string, redirectUri: string, context: LinkContext): Promise<CompletedLink>;
  /**
   * A working access token for the person, refreshed when it expires within the refresh window.
   * Rejects with NotLinkedError, or RelinkRequiredError (after telling the person once).
   */
  accessTokenFor(key: SlackUserKey): Promise<string>;
  /** For callers that got a 401 from LinkedIn with a token this service handed out: the link needs re-linking. */
  reportRejectedToken(key: SlackUserKey): Promise<void>;
  status(key: SlackUserKey): LinkStatusView;
  unlink(key: SlackUserKey): Promise<UnlinkResult>;
  /** The member's ad accounts: cached, or read from LinkedIn (and cached) when there is no cache or on `refresh`. */
  accounts(key: SlackUserKey, options?: { refresh?: boolean }): Promise<MemberAdAccount[]>;
  /** Stores the default ad account after checking it is one of the member's accounts. */
  setDefaultAccount(key: SlackUserKey, accountUrn: string): Promise<MemberAdAccount>;
}

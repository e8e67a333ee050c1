/**
 * Link tickets and OAuth states are random ids stored server-side (single use, expiring). Tickets travel through
 * Slack and the browser, so they also carry an HMAC under a server secret: a guessed or altered ticket is refused
 * before the database is asked, and the secret names the purpose so a ticket cannot pass for anything else.
 */
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

const ID_BYTES = 18;

export const randomId = (): string => randomBytes(ID_BYTES).toString('base64url');

/**
 * The ticket-signing key, derived from a server secret (the token encryption key or the Slack signing secret)
 * so that no new setting is needed and the secret itself is never used for two purposes.
 */
export function deriveTicketKey(secret: string | Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'audience-bot/link-ticket/v1', 32));
}

function mac(key: Buffer, id: string): string {
  return createHmac('sha256', key).update(`link_ticket:${id}`).digest('base64url');
}

export function signTicket(key: Buffer, id: string): string {
  return `${id}.${mac(key, id)}`;
}

/** The ticket id when the signature holds, otherwise undefined. */
export function verifyTicket(key: Buffer, ticket: string): string | undefined {
  const dot = ticket.indexOf('.');
  if (dot <= 0) return undefined;
  const id = ticket.slice(0, dot);
  const given = Buffer.from(ticket.slice(dot + 1));
  const expected = Buffer.from(mac(key, id));
  return given.length === expected.length && timingSafeEqual(given, expected) ? id : undefined;
}

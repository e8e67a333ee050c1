/**
 * Slack's request signing, v0 scheme: `v0=` + hex HMAC-SHA256(signing secret, `v0:{timestamp}:{raw body}`).
 * Implemented here rather than through Bolt's `verifySlackRequest` because Bolt accepts timestamps from the
 * future, and because a reason (not just a boolean) makes the rejection loggable.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Requests older (or newer) than this are replays or come from a badly skewed clock. */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

export type SignatureRejection = 'missing_headers' | 'bad_timestamp' | 'stale' | 'future' | 'bad_signature';

export type SignatureCheck = { ok: true } | { ok: false; reason: SignatureRejection };

export interface SignatureInput {
  signingSecret: string;
  rawBody: string;
  timestamp: string | undefined;
  signature: string | undefined;
  nowMs: number;
  toleranceSeconds?: number;
}

export function computeSlackSignature(signingSecret: string, timestamp: string | number, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export function checkSlackSignature(input: SignatureInput): SignatureCheck {
  const { timestamp, signature } = input;
  if (!timestamp || !signature) return { ok: false, reason: 'missing_headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad_timestamp' };
  const tolerance = input.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS;
  const skew = Math.floor(input.nowMs / 1000) - Number(timestamp);
  if (skew > tolerance) return { ok: false, reason: 'stale' };
  if (skew < -tolerance) return { ok: false, reason: 'future' };
  const expected = Buffer.from(computeSlackSignature(input.signingSecret, timestamp, input.rawBody));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad_signature' };
  }
  return { ok: true };
}

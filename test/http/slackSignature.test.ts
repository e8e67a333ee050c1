import { describe, expect, it } from 'vitest';
import { checkSlackSignature, computeSlackSignature } from '../../src/http/slackSignature.js';
import { slackSignature } from '../support/slackRequests.js';

const secret = '8f742231b10e8888abcd99yyyzzz85a5';
const nowMs = 1_700_000_000_000;
const ts = String(nowMs / 1000);
const body = 'token=x&team_id=T1&command=%2Faudience&text=help';

describe('Slack v0 request signatures', () => {
  it('matches the signature the test helpers produce (and Slack documents)', () => {
    expect(computeSlackSignature(secret, ts, body)).toBe(slackSignature(secret, ts, body));
    // Slack's documented example (api.slack.com/authentication/verifying-requests-from-slack).
    const docBody =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(computeSlackSignature('8f742231b10e8888abcd99yyyzzz85a5', '1531420618', docBody)).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
  });

  it('accepts a fresh, correctly signed request', () => {
    const check = checkSlackSignature({
      signingSecret: secret,
      rawBody: body,
      timestamp: ts,
      signature: computeSlackSignature(secret, ts, body),
      nowMs,
    });
    expect(check).toEqual({ ok: true });
  });

  it.each([
    ['a different secret', { signature: computeSlackSignature('other', ts, body) }, 'bad_signature'],
    ['a changed body', { rawBody: `${body}x` }, 'bad_signature'],
    ['no signature', { signature: undefined }, 'missing_headers'],
    ['no timestamp', { timestamp: undefined }, 'missing_headers'],
    ['a non-numeric timestamp', { timestamp: '12a' }, 'bad_timestamp'],
    ['a truncated signature', { signature: computeSlackSignature(secret, ts, body).slice(0, 20) }, 'bad_signature'],
  ])('rejects %s', (_label, change, reason) => {
    const check = checkSlackSignature({
      signingSecret: secret,
      rawBody: body,
      timestamp: ts,
      signature: computeSlackSignature(secret, ts, body),
      nowMs,
      ...change,
    });
    expect(check).toEqual({ ok: false, reason });
  });

  it('rejects timestamps more than five minutes old or ahead, and accepts the edges', () => {
    const at = (offsetSeconds: number) => {
      const t = String(nowMs / 1000 + offsetSeconds);
      return checkSlackSignature({
        signingSecret: secret,
        rawBody: body,
        timestamp: t,
        signature: computeSlackSignature(secret, t, body),
        nowMs,
      });
    };
    expect(at(-300)).toEqual({ ok: true });
    expect(at(300)).toEqual({ ok: true });
    expect(at(-301)).toEqual({ ok: false, reason: 'stale' });
    expect(at(301)).toEqual({ ok: false, reason: 'future' });
  });
});

import { describe, expect, it } from 'vitest';
import { markErrorLogged, redactUrl, scrubSecrets, toBoltLogger } from '../../src/logging.js';
import { capturingLogger } from '../support/capturedLogs.js';

const capture = () => capturingLogger('debug');

describe('logging redaction', () => {
  it('redacts credential fields wherever they sit', () => {
    const { logger, text } = capture();
    logger.info(
      {
        accessToken: 'AQV-access-secret',
        link: { refreshToken: 'AQW-refresh-secret', accessToken: 'AQV-nested' },
        headers: { authorization: 'Bearer AQV-header' },
        config: { clientSecret: 'client-secret-value', signingSecret: 'signing-secret-value' },
        query: { code: 'auth-code-value', state: 'state-value' },
        err: { code: 'linkedin_oauth_error' },
      },
      'storing a link',
    );
    const out = text();
    for (const secret of [
      'AQV-access-secret',
      'AQW-refresh-secret',
      'AQV-nested',
      'AQV-header',
      'client-secret-value',
      'signing-secret-value',
      'auth-code-value',
      'state-value',
    ]) {
      expect(out).not.toContain(secret);
    }
    // Error codes are not OAuth codes: they stay readable.
    expect(out).toContain('linkedin_oauth_error');
    expect(out).toContain('[redacted]');
  });

  it('scrubs secrets from free-text messages and request URLs', () => {
    const { logger, text } = capture();
    logger.info('GET /oauth/linkedin/callback?code=abc123&state=xyz789 with xoxb-1234-5678-abcd and Bearer AQVtoken');
    logger.info({ req: { method: 'GET', url: '/oauth/linkedin/start?ticket=t.sig' } }, 'incoming request');
    const out = text();
    for (const secret of ['abc123', 'xyz789', 'xoxb-1234-5678-abcd', 'AQVtoken', 't.sig'])
      expect(out).not.toContain(secret);
    expect(redactUrl('/cb?code=1&state=2&other=3')).toBe('/cb?code=[redacted]&state=[redacted]&other=3');
    expect(scrubSecrets('token xapp-1-A-2-b')).toBe('token [redacted]');
  });

  it('routes Bolt’s varargs logging through the same redaction', () => {
    const { logger, text } = capture();
    const bolt = toBoltLogger(logger);
    bolt.debug('http request body:', { token: 'xoxb-in-body-9' }, 'Bearer xoxb-9-9');
    bolt.error(new Error('failed with xoxb-err-1'));
    const out = text();
    expect(out).not.toContain('xoxb-in-body-9');
    expect(out).not.toContain('xoxb-9-9');
    expect(out).not.toContain('xoxb-err-1');
    // Stack traces never reach the logs either.
    expect(out).not.toContain('"stack"');
    expect(out).not.toContain('logging.test.ts');
  });
});

describe('request URLs and errors already logged', () => {
  it('withholds the whole query string of OAuth routes, and secret parameters elsewhere', () => {
    expect(redactUrl('/oauth/linkedin/callback?code=c1&state=s1&extra=e1')).toBe('/oauth/linkedin/callback?[redacted]');
    expect(redactUrl('/linkedin-sandbox/oauth/v2/authorization?client_id=x&state=s')).toBe(
      '/linkedin-sandbox/oauth/v2/authorization?[redacted]',
    );
    expect(redactUrl('/oauth/linkedin/start')).toBe('/oauth/linkedin/start');
    expect(redactUrl('/healthz?verbose=1&token=t1')).toBe('/healthz?verbose=1&token=[redacted]');
    // "oauth" must be a path segment, not part of a word or a query value.
    expect(redactUrl('/oauthish?x=1')).toBe('/oauthish?x=1');
    expect(redactUrl('/slack/events?next=/oauth/x')).toBe('/slack/events?next=/oauth/x');
  });

  it('writes an error logged in full once as a reference on later lines', () => {
    const { logger, text } = capture();
    const error = Object.assign(new Error('LinkedIn answered HTTP 500'), {
      code: 'linkedin_server_error',
      linkedinCode: 'INTERNAL_SERVER_ERROR',
    });
    logger.warn({ err: error }, 'first');
    markErrorLogged(error);
    logger.warn({ err: new Error('wrapper', { cause: error }) }, 'second');
    const [first, second] = text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(first.err).toMatchObject({ linkedinCode: 'INTERNAL_SERVER_ERROR', code: 'linkedin_server_error' });
    expect(second.err).toEqual({ type: 'Error', message: 'wrapper', cause: { type: 'Error', alreadyLogged: true } });
  });
});

/**
 * Failures of token sealing. None of them carries the key or the token: their messages may reach logs.
 * `SealedTokenError` is the common parent, so a caller can catch "this stored token cannot be opened" at once.
 */

/** A configured or stored key is not 32 bytes as 64 hex characters or base64. */
export class TokenKeyError extends Error {
  readonly code = 'token_key_invalid';
  constructor(message: string) {
    super(message);
    this.name = 'TokenKeyError';
  }
}

export abstract class SealedTokenError extends Error {
  abstract readonly code: string;
}

/** The value is not a sealed token in a format this code knows. */
export class SealedTokenMalformedError extends SealedTokenError {
  readonly code = 'sealed_token_malformed';
  constructor(reason: string) {
    super(`The stored token is not a sealed token: ${reason}.`);
    this.name = 'SealedTokenMalformedError';
  }
}

/** The token was sealed with a key the bot was not given (neither the current key nor a previous one). */
export class SealedTokenKeyUnknownError extends SealedTokenError {
  readonly code = 'sealed_token_key_unknown';
  constructor(readonly keyId: string) {
    super(
      `The stored token was sealed with key ${keyId}, which is neither the current nor a previous TOKEN_ENCRYPTION_KEY.`,
    );
    this.name = 'SealedTokenKeyUnknownError';
  }
}

/** Authentication failed: the ciphertext, IV, tag or header was changed, or it belongs to another record. */
export class SealedTokenTamperedError extends SealedTokenError {
  readonly code = 'sealed_token_tampered';
  constructor() {
    super('The stored token failed authentication: it was altered or does not belong to this record.');
    this.name = 'SealedTokenTamperedError';
  }
}

/** DATABASE_URL names something this implementation cannot open (it stores in SQLite files only). */
export class DatabaseUrlError extends Error {
  readonly code = 'database_url_unsupported';
  // The URL itself is not kept on the error: it may carry a password, and loggers serialise error fields.
  constructor(url: string) {
    super(`DATABASE_URL must be a SQLite file path (or file:path, or :memory:); got a ${describeScheme(url)} URL.`);
    this.name = 'DatabaseUrlError';
  }
}

/** Key rotation could not run; nothing was changed. */
export class TokenRotationError extends Error {
  readonly code = 'token_rotation_failed';
  constructor(message: string) {
    super(message);
    this.name = 'TokenRotationError';
  }
}

// Only the scheme is named: the rest of a URL may carry a password.
function describeScheme(url: string): string {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  return scheme ? `${scheme}:` : 'non-file';
}

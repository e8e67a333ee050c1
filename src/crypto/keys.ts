import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TokenKeyError } from './errors.js';

export const TOKEN_KEY_BYTES = 32;

/** The file, inside the data folder, holding the key generated for sandbox runs. */
export const SANDBOX_KEY_FILE = 'token-encryption.key';

const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}=?$/;

/**
 * Reads a 32-byte key written as 64 hex characters or as base64/base64url (with or without the one `=`).
 * Hex is tried first: 64 hex characters are also valid base64, of the wrong length.
 */
export function parseKey(text: string): Buffer {
  const value = text.trim();
  if (HEX_KEY.test(value)) return Buffer.from(value, 'hex');
  if (BASE64_KEY.test(value)) {
    const key = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length === TOKEN_KEY_BYTES) return key;
  }
  throw new TokenKeyError(
    'The token key must be 32 bytes written as 64 hex characters or base64 (generate one: openssl rand -hex 32).',
  );
}

export interface WarnLogger {
  warn(message: string): void;
}

/**
 * The key for sandbox runs that were given no TOKEN_ENCRYPTION_KEY: generated once into the data folder
 * (readable by the owner only) and read back on every later start, so stored links survive restarts.
 */
export function loadOrCreateSandboxKey(dataDir: string, logger?: WarnLogger): Buffer {
  const file = join(dataDir, SANDBOX_KEY_FILE);
  const existing = readKeyFile(file);
  if (existing) return existing;

  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(TOKEN_KEY_BYTES);
  try {
    // `wx` fails if another process created the file since the read above; its key then wins.
    writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readKeyFile(file)!;
    throw error;
  }
  // The creation mode is filtered by the umask; make the permission exact.
  chmodSync(file, 0o600);
  logger?.warn(
    `TOKEN_ENCRYPTION_KEY is not set: generated a sandbox token key in ${file}. Set TOKEN_ENCRYPTION_KEY before going live.`,
  );
  return key;
}

function readKeyFile(file: string): Buffer | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return parseKey(text);
  } catch {
    throw new TokenKeyError(
      `The sandbox token key file ${file} does not hold a 32-byte key; delete it to generate one.`,
    );
  }
}

export interface ResolveTokenKeyOptions {
  /** TOKEN_ENCRYPTION_KEY as configured, if it is. */
  configuredKey?: string;
  mode: 'sandbox' | 'live';
  /** Where a sandbox key is kept, normally the folder of the database file. */
  dataDir: string;
  logger?: WarnLogger;
}

/** The configured key; in sandbox mode without one, the generated sandbox key. Live mode requires a key. */
export function resolveTokenKey(options: ResolveTokenKeyOptions): Buffer {
  if (options.configuredKey) return parseKey(options.configuredKey);
  if (options.mode === 'live') throw new TokenKeyError('TOKEN_ENCRYPTION_KEY is required when LINKEDIN_MODE=live.');
  return loadOrCreateSandboxKey(options.dataDir, options.logger);
}

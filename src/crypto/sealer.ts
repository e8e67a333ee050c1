/**
 * Sealing of OAuth tokens at rest: AES-256-GCM with a random 96-bit IV and a 128-bit tag, in a compact text
 * format `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url parts). The key id names the key that sealed a value
 * (derived from the key, revealing nothing about it), so after a rotation old and new values can be told apart.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import {
  SealedTokenKeyUnknownError,
  SealedTokenMalformedError,
  SealedTokenTamperedError,
  TokenKeyError,
} from './errors.js';
import { TOKEN_KEY_BYTES } from './keys.js';

export { loadOrCreateSandboxKey, parseKey, resolveTokenKey } from './keys.js';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

export interface TokenSealer {
  /** Id of the key new values are sealed with. */
  readonly currentKeyId: string;
  /**
   * `context` (e.g. the table, record and field) is authenticated but not stored: a value opens only under the
   * context it was sealed with, so a sealed token copied into another record is rejected.
   */
  seal(plaintext: string, context?: string): string;
  /** Opens with the current key, or a previous one when the value names it. Throws a `SealedTokenError`. */
  open(sealed: string, context?: string): string;
  /** True when the value is not sealed by the current key in the current format (including malformed values). */
  needsReseal(sealed: string): boolean;
}

export interface TokenSealerKeys {
  current: Buffer;
  /** Keys retired by a rotation, still accepted for opening. */
  previous?: Buffer[];
}

/** Eight bytes of HMAC-SHA256 under the key itself: stable per key, and useless for guessing it. */
export function keyIdOf(key: Buffer): string {
  return createHmac('sha256', key).update('token-sealer/key-id/v1').digest().subarray(0, 8).toString('base64url');
}

export function createTokenSealer(keys: TokenSealerKeys): TokenSealer {
  const ordered = [keys.current, ...(keys.previous ?? [])];
  for (const key of ordered) {
    if (key.length !== TOKEN_KEY_BYTES) throw new TokenKeyError('Every token key must be exactly 32 bytes.');
  }
  // Keep the order (current first); an id occurring twice keeps its first key.
  const byId = new Map<string, Buffer>();
  for (const key of ordered) {
    const id = keyIdOf(key);
    if (!byId.has(id)) byId.set(id, Buffer.from(key));
  }
  const currentKeyId = keyIdOf(keys.current);
  const currentKey = byId.get(currentKeyId)!;

  return {
    currentKeyId,
    seal(plaintext, context = '') {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', currentKey, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(additionalData(currentKeyId, context));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [
        VERSION,
        currentKeyId,
        iv.toString('base64url'),
        tag.toString('base64url'),
        ciphertext.toString('base64url'),
      ].join('.');
    },
    open(sealed, context = '') {
      const parts = parseSealed(sealed);
      const key = byId.get(parts.keyId);
      if (!key) throw new SealedTokenKeyUnknownError(parts.keyId);
      const decipher = createDecipheriv('aes-256-gcm', key, parts.iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(additionalData(parts.keyId, context));
      decipher.setAuthTag(parts.tag);
      try {
        return Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]).toString('utf8');
      } catch {
        throw new SealedTokenTamperedError();
      }
    },
    needsReseal(sealed) {
      try {
        return parseSealed(sealed).keyId !== currentKeyId;
      } catch {
        return true;
      }
    },
  };
}

// The header is authenticated too, so a value cannot be relabelled with another version or key id.
function additionalData(keyId: string, context: string): Buffer {
  return Buffer.from(`${VERSION}.${keyId}\n${context}`, 'utf8');
}

interface SealedParts {
  keyId: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

function parseSealed(sealed: string): SealedParts {
  const parts = sealed.split('.');
  if (parts.length !== 5) throw new SealedTokenMalformedError('expected five dot-separated parts');
  const [version, keyId, iv, tag, ciphertext] = parts as [string, string, string, string, string];
  if (version !== VERSION) throw new SealedTokenMalformedError('unknown format version');
  if (keyId === '') throw new SealedTokenMalformedError('missing key id');
  const decoded = {
    keyId,
    iv: decodeCanonical(iv, 'IV'),
    tag: decodeCanonical(tag, 'tag'),
    ciphertext: decodeCanonical(ciphertext, 'ciphertext'),
  };
  if (decoded.iv.length !== IV_BYTES) throw new SealedTokenMalformedError('IV has the wrong length');
  if (decoded.tag.length !== TAG_BYTES) throw new SealedTokenMalformedError('tag has the wrong length');
  return decoded;
}

/** Node's decoder ignores stray characters and unused bits; only the exact encoding of some bytes is accepted. */
function decodeCanonical(text: string, what: string): Buffer {
  if (!BASE64URL.test(text)) throw new SealedTokenMalformedError(`${what} is not base64url`);
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text) throw new SealedTokenMalformedError(`${what} is not canonical base64url`);
  return bytes;
}

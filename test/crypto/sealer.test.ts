import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SealedTokenError,
  SealedTokenKeyUnknownError,
  SealedTokenMalformedError,
  SealedTokenTamperedError,
  TokenKeyError,
} from '../../src/crypto/errors.js';
import { createTokenSealer, keyIdOf } from '../../src/crypto/sealer.js';

const keyA = randomBytes(32);
const keyB = randomBytes(32);
const TOKEN = 'AQXdemo-access-token_0123456789';

/** Flips one bit of the decoded bytes of part `index` of a sealed value, keeping the encoding canonical. */
function flipByte(sealed: string, index: number, byte = 0): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[index]!, 'base64url');
  bytes[byte] = bytes[byte]! ^ 0x01;
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}

describe('createTokenSealer', () => {
  it('round-trips text and writes the compact v1 format', () => {
    const sealer = createTokenSealer({ current: keyA });
    const sealed = sealer.seal(TOKEN);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{11}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(sealed.split('.')[1]).toBe(sealer.currentKeyId);
    expect(sealed).not.toContain(TOKEN);
    expect(sealer.open(sealed)).toBe(TOKEN);
    expect(sealer.open(sealer.seal(''))).toBe('');
  });

  it('round-trips any string, with any context', () => {
    const sealer = createTokenSealer({ current: keyA });
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.string({ maxLength: 40 }), (text, context) => {
        expect(sealer.open(sealer.seal(text, context), context)).toBe(text);
      }),
    );
  });

  it('uses a fresh IV each time', () => {
    const sealer = createTokenSealer({ current: keyA });
    const first = sealer.seal(TOKEN);
    const second = sealer.seal(TOKEN);
    expect(first).not.toBe(second);
    expect(first.split('.')[2]).not.toBe(second.split('.')[2]);
  });

  it.each([
    ['IV', 2],
    ['tag', 3],
    ['ciphertext', 4],
  ])('detects a flipped byte in the %s', (_part, index) => {
    const sealer = createTokenSealer({ current: keyA });
    const tampered = flipByte(sealer.seal(TOKEN), index);
    expect(() => sealer.open(tampered)).toThrow(SealedTokenTamperedError);
    try {
      sealer.open(tampered);
    } catch (error) {
      expect(error).toBeInstanceOf(SealedTokenError);
      expect((error as SealedTokenError).code).toBe('sealed_token_tampered');
      expect((error as Error).message).not.toContain(TOKEN);
    }
  });

  it('detects a flipped byte anywhere in a longer ciphertext', () => {
    const sealer = createTokenSealer({ current: keyA });
    const sealed = sealer.seal('x'.repeat(64));
    for (const byte of [0, 17, 63]) {
      expect(() => sealer.open(flipByte(sealed, 4, byte))).toThrow(SealedTokenTamperedError);
    }
  });

  it('rejects a value relabelled with another known key id', () => {
    const sealer = createTokenSealer({ current: keyA, previous: [keyB] });
    const parts = sealer.seal(TOKEN).split('.');
    parts[1] = keyIdOf(keyB);
    expect(() => sealer.open(parts.join('.'))).toThrow(SealedTokenTamperedError);
  });

  it('opens a value only under the context it was sealed with', () => {
    const sealer = createTokenSealer({ current: keyA });
    const sealed = sealer.seal(TOKEN, 'links/access/T1/U1');
    expect(sealer.open(sealed, 'links/access/T1/U1')).toBe(TOKEN);
    expect(() => sealer.open(sealed, 'links/access/T1/U2')).toThrow(SealedTokenTamperedError);
    expect(() => sealer.open(sealed)).toThrow(SealedTokenTamperedError);
  });

  it('refuses a value sealed with a key it does not have, naming only the key id', () => {
    const sealed = createTokenSealer({ current: keyA }).seal(TOKEN);
    const other = createTokenSealer({ current: keyB });
    expect(() => other.open(sealed)).toThrow(SealedTokenKeyUnknownError);
    try {
      other.open(sealed);
    } catch (error) {
      expect((error as SealedTokenKeyUnknownError).keyId).toBe(keyIdOf(keyA));
      expect((error as Error).message).not.toContain(keyA.toString('hex'));
    }
  });

  it.each([
    ['an empty string', ''],
    ['a plain token', TOKEN],
    ['an unknown version', 'v2.abc.def.ghi.jkl'],
    ['too few parts', 'v1.abc.def.ghi'],
    ['a non-base64url part', 'v1.kid.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.ab+c'],
    ['a short IV', 'v1.kid.AAAA.AAAAAAAAAAAAAAAAAAAAAA.abcd'],
    ['a missing key id', 'v1..AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.abcd'],
  ])('reports %s as malformed', (_what, value) => {
    const sealer = createTokenSealer({ current: keyA });
    expect(() => sealer.open(value)).toThrow(SealedTokenMalformedError);
  });

  it('rejects a non-canonical encoding (changed unused bits) instead of ignoring it', () => {
    const sealer = createTokenSealer({ current: keyA });
    const sealed = sealer.seal(TOKEN);
    const parts = sealed.split('.');
    // A 16-byte tag is 22 characters; the last one carries 4 unused bits that Node's decoder ignores.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const tag = parts[3]!;
    parts[3] = tag.slice(0, -1) + alphabet[alphabet.indexOf(tag.at(-1)!) ^ 1];
    expect(parts[3]).not.toBe(tag);
    expect(Buffer.from(parts[3]!, 'base64url')).toEqual(Buffer.from(tag, 'base64url'));
    expect(() => sealer.open(parts.join('.'))).toThrow(SealedTokenMalformedError);
  });

  it('rotates: opens old values with a previous key, seals new ones with the current key', () => {
    const before = createTokenSealer({ current: keyA });
    const oldSealed = before.seal(TOKEN);
    const after = createTokenSealer({ current: keyB, previous: [keyA] });

    expect(after.open(oldSealed)).toBe(TOKEN);
    expect(after.needsReseal(oldSealed)).toBe(true);
    const resealed = after.seal(after.open(oldSealed));
    expect(after.needsReseal(resealed)).toBe(false);
    expect(resealed.split('.')[1]).toBe(keyIdOf(keyB));
    // Once the old key is dropped, only the re-sealed value still opens.
    const onlyNew = createTokenSealer({ current: keyB });
    expect(onlyNew.open(resealed)).toBe(TOKEN);
    expect(() => onlyNew.open(oldSealed)).toThrow(SealedTokenKeyUnknownError);
    expect(() => before.open(resealed)).toThrow(SealedTokenKeyUnknownError);
  });

  it('treats malformed values as needing a reseal', () => {
    expect(createTokenSealer({ current: keyA }).needsReseal('not sealed')).toBe(true);
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => createTokenSealer({ current: randomBytes(16) })).toThrow(TokenKeyError);
    expect(() => createTokenSealer({ current: keyA, previous: [randomBytes(31)] })).toThrow(TokenKeyError);
  });
});

describe('keyIdOf', () => {
  it('is stable per key, distinct across keys, and reveals none of the key', () => {
    expect(keyIdOf(keyA)).toBe(keyIdOf(Buffer.from(keyA)));
    expect(keyIdOf(keyA)).not.toBe(keyIdOf(keyB));
    expect(keyA.toString('base64url')).not.toContain(keyIdOf(keyA));
    expect(keyA.toString('hex')).not.toContain(Buffer.from(keyIdOf(keyA), 'base64url').toString('hex'));
  });
});

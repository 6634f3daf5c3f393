import { compare, hash } from 'bcryptjs';
import { brotliDecompressSync } from 'node:zlib';
import { DomainError } from '../core/errors';
import { commonPasswordCount, commonPasswordsBrotliBase64 } from './common-passwords';

export const passwordRules = {
  minCharacters: 8,
  /** bcrypt reads only the first 72 bytes; longer passwords are refused, never truncated. */
  maxBytes: 72,
  commonPasswordsChecked: commonPasswordCount,
} as const;

let commonPasswords: Set<string> | undefined;

/** True for one of the most common passwords, in any letter case. */
export function isCommonPassword(normalizedPassword: string): boolean {
  commonPasswords ??= new Set(brotliDecompressSync(Buffer.from(commonPasswordsBrotliBase64, 'base64')).toString('utf8').split('\n'));
  return commonPasswords.has(normalizedPassword.toLowerCase());
}

/** The password as it will be hashed: Unicode NFKC, so that look-alike forms of one password match. */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

/** The policy for a password someone chooses: length and not a common one; no composition rules. */
export function checkPasswordPolicy(password: string, field = 'password'): string {
  const normalized = normalizePassword(password);
  if ([...normalized].length < passwordRules.minCharacters) {
    throw new DomainError('password_too_short', { en: `A password has at least ${passwordRules.minCharacters} characters.`, fr: `Un mot de passe a au moins ${passwordRules.minCharacters} caractères.` }, {
      errors: [{ path: field, message: `at least ${passwordRules.minCharacters} characters` }],
    });
  }
  if (Buffer.byteLength(normalized, 'utf8') > passwordRules.maxBytes) {
    throw new DomainError('password_too_long', {
      en: `A password has at most ${passwordRules.maxBytes} bytes of UTF-8 (about ${passwordRules.maxBytes} letters, fewer with accents or emoji).`,
      fr: `Un mot de passe a au plus ${passwordRules.maxBytes} octets en UTF-8 (environ ${passwordRules.maxBytes} lettres, moins avec des accents ou des emoji).`,
    }, {
      errors: [{ path: field, message: `at most ${passwordRules.maxBytes} bytes` }],
    });
  }
  if (isCommonPassword(normalized)) {
    throw new DomainError('password_too_common', { en: 'This password is one of the most common ones; choose another.', fr: 'Ce mot de passe fait partie des plus courants ; choisissez-en un autre.' }, {
      errors: [{ path: field, message: 'too common' }],
    });
  }
  return normalized;
}

export function hashPassword(normalizedPassword: string, cost: number): Promise<string> {
  return hash(normalizedPassword, cost);
}

/** Compares a typed password with a stored hash; a password past bcrypt's limit never matches. */
export function verifyPassword(password: string, passwordHash: string): Promise<boolean> {
  const normalized = normalizePassword(password);
  if (Buffer.byteLength(normalized, 'utf8') > passwordRules.maxBytes) return compare('', passwordHash).then(() => false);
  return compare(normalized, passwordHash);
}

let decoyHash: Promise<string> | undefined;

/**
 * A hash of the configured cost to compare against when no user matched, so that an
 * unknown identifier takes as long to refuse as a wrong password.
 */
export function decoyPasswordHash(cost: number): Promise<string> {
  decoyHash ??= hash('decoy password never used', cost);
  return decoyHash;
}

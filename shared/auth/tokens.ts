import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const tokenPrefix = 'em1';
const idPattern = /^[a-z0-9]{1,64}$/;
const secretPattern = /^[A-Za-z0-9_-]{43}$/;

/**
 * A session token: 256 random bits, with the tenant and user it belongs to in front so that
 * the session, the user and the tenant are read in one round trip. Only its hash is stored.
 */
export function newSessionToken(tenantId: string, userId: string): string {
  return [tokenPrefix, tenantId, userId, randomBytes(32).toString('base64url')].join('.');
}

/**
 * A device token: 256 random bits a browser keeps after signing in. It names nobody; the user
 * item keeps its hash, and a sign-in that shows it is not held back by other clients' failures.
 */
export function newDeviceToken(): { token: string; hash: string } {
  const token = `dv1.${randomBytes(32).toString('base64url')}`;
  return { token, hash: sha256Hex(token) };
}

const apiKeyPattern = /^emk_([a-z0-9]{1,64})_([a-z0-9]{1,64})_([A-Za-z0-9_-]{43})$/;

/**
 * An API key: emk_<tenantId>_<keyId>_<secret>, the secret 256 random bits. The ids in front
 * let one read find the key's item; only the secret's SHA-256 is stored. A slow hash (bcrypt)
 * protects guessable secrets such as passwords; 256 random bits cannot be guessed, so one
 * SHA-256 is as safe and costs microseconds on every request.
 */
export function newApiKey(tenantId: string, keyId: string): { key: string; secretHash: string } {
  const secret = randomBytes(32).toString('base64url');
  return { key: `emk_${tenantId}_${keyId}_${secret}`, secretHash: sha256Hex(secret) };
}

/** True for a bearer credential shaped like an API key rather than a session token (which starts em1.). */
export const looksLikeApiKey = (credential: string) => credential.startsWith('emk_');

export function parseApiKey(key: string): { tenantId: string; keyId: string; secret: string } | undefined {
  const [, tenantId, keyId, secret] = apiKeyPattern.exec(key) ?? [];
  return tenantId && keyId && secret ? { tenantId, keyId, secret } : undefined;
}

export interface TokenSubject {
  tenantId: string;
  userId: string;
}

export function parseSessionToken(token: string): TokenSubject | undefined {
  const [prefix, tenantId, userId, secret, ...rest] = token.split('.');
  if (prefix !== tokenPrefix || rest.length > 0 || !tenantId || !userId || !secret) return undefined;
  if (!idPattern.test(tenantId) || !idPattern.test(userId) || !secretPattern.test(secret)) return undefined;
  return { tenantId, userId };
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Compares two secrets in constant time, whatever their lengths. */
export function secretsEqual(given: string, expected: string): boolean {
  return timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(expected).digest());
}

const idAlphabet = 'abcdefghijklmnopqrstuvwxyz234567';

/** A new opaque id: 130 random bits in 26 lower-case letters and digits. */
export function newId(): string {
  const bytes = randomBytes(26);
  let id = '';
  for (const byte of bytes) id += idAlphabet[byte & 31];
  return id;
}

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

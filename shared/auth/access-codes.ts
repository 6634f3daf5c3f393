import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { config } from '../config';
import { secretVersions } from '../aws/secrets';
import { sha256Hex } from './tokens';

/**
 * 32 symbols without look-alikes: no 0/O, no 1/I. Each symbol carries 5 bits, so the
 * 16 symbols of a code carry 80 bits from the CSPRNG, without modulo bias (256 = 8 × 32).
 */
export const accessCodeAlphabet = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const accessCodeLength = 16;
const codePattern = new RegExp(`^[${accessCodeAlphabet}]{${accessCodeLength}}$`);

/** A new code in its canonical form (16 symbols, no separators). */
export function newAccessCode(): string {
  let code = '';
  for (const byte of randomBytes(accessCodeLength)) code += accessCodeAlphabet[byte & 31];
  return code;
}

/** How a code is shown and read aloud: XXXX-XXXX-XXXX-XXXX. */
export function formatAccessCode(code: string): string {
  return code.match(/.{1,4}/g)!.join('-');
}

/** The canonical form of what someone typed (case, spaces and hyphens ignored), or undefined. */
export function normalizeAccessCode(typed: string): string | undefined {
  const canonical = typed.replace(/[\s-]+/g, '').toUpperCase();
  return codePattern.test(canonical) ? canonical : undefined;
}

/** Codes are found by this hash; the code itself is only stored encrypted. */
export const accessCodeHash = (canonicalCode: string) => sha256Hex(`access-code:${canonicalCode}`);

/** An AES key and its id: a fingerprint of the key, not the key. */
export interface CodeKey {
  id: string;
  key: Buffer;
}

export function codeKeyFrom(secret: string): CodeKey {
  const key = createHash('sha256').update(secret).digest();
  return { id: createHash('sha256').update('code-key-id:').update(key).digest('hex').slice(0, 12), key };
}

/** The key codes are sealed with now, and during a rotation the one before, which still opens older codes. */
export interface CodeKeys {
  current: CodeKey;
  previous?: CodeKey;
}

async function codeKeys(): Promise<CodeKeys> {
  const versions = await secretVersions('the access-code key', { current: config.CODE_KEY, previous: config.CODE_KEY_PREVIOUS }, config.CODE_KEY_SECRET_ARN);
  return { current: codeKeyFrom(versions.current), ...(versions.previous ? { previous: codeKeyFrom(versions.previous) } : {}) };
}

/**
 * AES-256-GCM; the invitation id is bound in as associated data so a ciphertext cannot be
 * moved. The ciphertext names its key (v2.<key id>.…), so that a rotated key opens the codes
 * sealed before the rotation.
 */
export function sealAccessCode(keys: CodeKeys, code: string, invitationId: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.current.key, iv);
  cipher.setAAD(Buffer.from(invitationId));
  const ciphertext = Buffer.concat([cipher.update(code, 'utf8'), cipher.final()]);
  return ['v2', keys.current.id, iv.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

function open(key: Buffer, parts: { iv: string; ciphertext: string; tag: string }, invitationId: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(parts.iv, 'base64url'));
  decipher.setAAD(Buffer.from(invitationId));
  decipher.setAuthTag(Buffer.from(parts.tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(parts.ciphertext, 'base64url')), decipher.final()]).toString('utf8');
}

/** Opens a v2 ciphertext with the key it names, or a v1 one (no key id, written before v2) with the current key, then the previous. */
export function openAccessCode(keys: CodeKeys, sealed: string, invitationId: string): string {
  const parts = sealed.split('.');
  const known = [keys.current, ...(keys.previous ? [keys.previous] : [])];
  if (parts[0] === 'v2' && parts.length === 5) {
    const [, keyId, iv, ciphertext, tag] = parts as [string, string, string, string, string];
    const key = known.find((candidate) => candidate.id === keyId);
    if (!key) throw new Error(`No access-code key with id ${keyId} (rotated out?)`);
    return open(key.key, { iv, ciphertext, tag }, invitationId);
  }
  if (parts[0] === 'v1' && parts.length === 4) {
    const [, iv, ciphertext, tag] = parts as [string, string, string, string];
    for (const [index, key] of known.entries()) {
      try {
        return open(key.key, { iv, ciphertext, tag }, invitationId);
      } catch (error) {
        if (index === known.length - 1) throw error;
      }
    }
  }
  throw new Error('Unknown access-code ciphertext format');
}

export async function encryptAccessCode(code: string, invitationId: string): Promise<string> {
  return sealAccessCode(await codeKeys(), code, invitationId);
}

export async function decryptAccessCode(sealed: string, invitationId: string): Promise<string> {
  return openAccessCode(await codeKeys(), sealed, invitationId);
}

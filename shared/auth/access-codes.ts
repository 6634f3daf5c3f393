import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { config } from '../config';
import { secretValue } from './secrets';
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

let codeKey: Promise<Buffer> | undefined;
function encryptionKey(): Promise<Buffer> {
  codeKey ??= secretValue('the access-code key', config.CODE_KEY, config.CODE_KEY_SECRET_ARN).then((secret) => createHash('sha256').update(secret).digest());
  codeKey.catch(() => (codeKey = undefined));
  return codeKey;
}

/** AES-256-GCM; the invitation id is bound in as associated data so a ciphertext cannot be moved. */
export async function encryptAccessCode(code: string, invitationId: string): Promise<string> {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', await encryptionKey(), iv);
  cipher.setAAD(Buffer.from(invitationId));
  const ciphertext = Buffer.concat([cipher.update(code, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

export async function decryptAccessCode(sealed: string, invitationId: string): Promise<string> {
  const [version, iv, ciphertext, tag] = sealed.split('.');
  if (version !== 'v1' || !iv || !ciphertext || !tag) throw new Error('Unknown access-code ciphertext format');
  const decipher = createDecipheriv('aes-256-gcm', await encryptionKey(), Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(invitationId));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
}

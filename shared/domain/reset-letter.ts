import type { Language } from '../core/languages';
import { newResetCode } from './password-reset';
import type { Principal } from './principal';
import { printedCode } from './printed-codes';
import { printSingleLetter } from './single-letter';

/**
 * A reset code with the one-page letter that prints it (a QR code of /password-reset#code=…).
 * The letter is made and stored first: should that fail, the person's last code still works.
 * A module of its own, so that only this route's bundle carries the PDF code.
 */
export async function issueResetLetter(principal: Principal, userId: string, requestLanguage: Language) {
  const { user, resetCode, expiresAt, keep } = await newResetCode(principal, userId);
  const printed = printedCode('password-reset', principal.tenant, { ...user, uid: user.uid! }, { formatted: resetCode, expiresAt });
  const downloadUrl = await printSingleLetter(principal.tenant.id, printed, requestLanguage);
  await keep('letter');
  return { resetCode, expiresAt, downloadUrl };
}

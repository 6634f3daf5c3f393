import { config } from '../config';
import { accessCodeHash, formatAccessCode, newAccessCode, normalizeAccessCode } from '../auth/access-codes';
import { checkPasswordPolicy, hashPassword } from '../auth/passwords';
import { newDeviceToken } from '../auth/tokens';
import { findUserByResetCodeHash, setPassword, type UserRecord } from '../db/users';
import { putResetCode } from '../db/user-changes';
import { log } from '../core/logger';
import { DomainError } from '../core/errors';
import type { PasswordResetInput } from '../schemas/users';
import { auditBy } from './audit';
import { findUserToChange } from './people';
import { signInIdentifierOf, type Principal } from './principal';
import { accountDeactivated, newSession, sessionUserOf, signInWithoutEmailOff, tenantIdentityOf } from './sessions';
import { requireSignInWithoutEmail } from './settings';
import { getTenant } from '../db/tenants';
import { counters, limited, resetSignInLimits } from './throttle';

/**
 * Reset codes: an admin helps a person without email who forgot their password, without
 * choosing or learning the new one. A code is one-time, of the access codes' alphabet and
 * strength, kept only as a hash on the user item (so a new one replaces the last in the same
 * write), and found on gsi1 like an access code.
 */

/** Hashed apart from access codes, so that one kind of code never finds the other kind's item. */
const resetCodeHash = (canonicalCode: string) => accessCodeHash(`reset:${canonicalCode}`);

/** An admin issues a reset code for a user without email; shown once, recorded in the audit log. */
export async function issueResetCode(principal: Principal, userId: string) {
  const issued = await newResetCode(principal, userId);
  await issued.keep('shown');
  return { resetCode: issued.resetCode, expiresAt: issued.expiresAt };
}

/** A new code for the user, not yet in force: `keep` replaces the last one with it, in one write with its audit entry. */
export async function newResetCode(principal: Principal, userId: string) {
  const [user, settings] = await Promise.all([findUserToChange(principal, userId), requireSignInWithoutEmail(principal)]);
  if (user.email !== undefined) throw new DomainError('user_has_email', { en: 'This user has an email address and resets their password by email.', fr: 'Cet utilisateur a une adresse e-mail et réinitialise son mot de passe par e-mail.' });
  const code = newAccessCode();
  const expiresAt = new Date(Date.now() + settings.resetCodeTtlHours * 3_600_000).toISOString();
  const keep = async (handedOver: 'shown' | 'letter') => {
    const audit = auditBy(principal, 'reset_code.issued', { type: 'user', id: user.id, signInIdentifier: signInIdentifierOf(user, principal.tenant.domain) }, { expiresAt, handedOver });
    if ((await putResetCode(user, { hash: resetCodeHash(code), expiresAt }, audit)) !== 'done') throw new DomainError('not_found', { en: 'The user was not found.', fr: 'L’utilisateur est introuvable.' });
  };
  return { user, resetCode: formatAccessCode(code), expiresAt, keep };
}

const invalidCode = () => new DomainError('reset_code_invalid', { en: 'This reset code is not valid. Check it, or ask your admin for a new one.', fr: 'Ce code de réinitialisation n’est pas valide. Vérifiez-le, ou demandez-en un nouveau à votre admin.' });
const isWrongCode = (error: unknown) => error instanceof DomainError && error.code === 'reset_code_invalid';

/** The user whose pending reset code this is. Wrong codes count against the client address, as wrong access codes do. */
function findResettableUser(typedCode: string, clientIp: string): Promise<{ user: UserRecord; hash: string }> {
  return limited(
    [counters.codeClient(clientIp)],
    async () => {
      const code = normalizeAccessCode(typedCode);
      if (!code) throw invalidCode();
      const hash = resetCodeHash(code);
      const user = await findUserByResetCodeHash(hash);
      if (!user) throw invalidCode();
      if (user.resetCodeExpiresAt! <= new Date().toISOString()) throw new DomainError('reset_code_expired', { en: 'This reset code has expired. Ask your admin for a new one.', fr: 'Ce code de réinitialisation a expiré. Demandez-en un nouveau à votre admin.' });
      if (user.status !== 'active') throw accountDeactivated();
      // As sign-in by uid:domain: a reset code opens nothing while the organisation has the feature off.
      if (!(await getTenant(user.tenantId))?.settings.signInWithoutEmail) throw signInWithoutEmailOff();
      return { user, hash };
    },
    isWrongCode,
  );
}

/** Shows whose password a code resets, without spending it. */
export async function verifyResetCode(typedCode: string, clientIp: string) {
  const { user } = await findResettableUser(typedCode, clientIp);
  return {
    signInIdentifier: signInIdentifierOf(user, user.tenantDomain),
    organization: { name: user.tenantName, domain: user.tenantDomain },
    expiresAt: user.resetCodeExpiresAt!,
  };
}

/** Spends the code: sets the chosen password, ends every other session and signs the person in. */
export async function resetPasswordWithCode(input: PasswordResetInput, clientIp: string) {
  const password = checkPasswordPolicy(input.newPassword, 'newPassword');
  const { user, hash } = await findResettableUser(input.resetCode, clientIp);
  const { token, tokenHash, expiresAt } = newSession(user);
  const device = newDeviceToken();
  const now = new Date().toISOString();
  const tenant = tenantIdentityOf(user);
  const identifier = signInIdentifierOf(user, tenant.domain);
  const outcome = await setPassword(user, {
    passwordHash: await hashPassword(password, config.BCRYPT_COST),
    mustChangePassword: false,
    keepSession: { tokenHash, expiresAt },
    keepDevice: { hash: device.hash, issuedAt: now },
    withResetCode: { hash, now },
    audit: { at: now, actor: { kind: 'user', userId: user.id, signInIdentifier: identifier }, action: 'password.reset_with_code', target: { type: 'user', id: user.id, signInIdentifier: identifier } },
  });
  // Spent, replaced, expired or deactivated meanwhile: the code opens nothing.
  if (outcome === 'changed_meanwhile') throw invalidCode();
  await resetSignInLimits(identifier).catch((error: unknown) => log('warn', 'sign-in limits not reset after a reset with a code', { userId: user.id, errorName: (error as Error).name }));
  return { token, expiresAt, user: sessionUserOf({ ...user, mustChangePassword: false }, tenant), deviceToken: device.token };
}

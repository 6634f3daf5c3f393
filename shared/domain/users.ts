import { config } from '../config';
import { auditBy } from './audit';
import { checkPasswordPolicy, hashPassword, verifyPassword } from '../auth/passwords';
import { getUser, setPassword, type UserRecord } from '../db/users';
import type { ChangeOwnPasswordInput, SetPasswordInput } from '../schemas/users';
import { DomainError, notFound } from '../core/errors';
import { signInIdentifierOf, type PersonPrincipal, type Principal, type TenantIdentity } from './principal';
import { counters, limited, resetSignInLimits } from './throttle';
import { log } from '../core/logger';

type NewUserFields = Pick<UserRecord, 'id' | 'role' | 'passwordHash' | 'groupIds'> &
  Partial<Pick<UserRecord, 'email' | 'uid' | 'firstName' | 'lastName' | 'invitationId' | 'sessions' | 'devices' | 'lastSignInAt' | 'lastSignInDate'>>;

/** A new user as stored: first session version, no sessions unless given, the tenant's name and domain beside them. */
export function newUserRecord<F extends NewUserFields>(tenant: TenantIdentity, fields: F, createdAt: string): UserRecord & F {
  return {
    tenantId: tenant.id,
    tenantName: tenant.name,
    tenantDomain: tenant.domain,
    mustChangePassword: false,
    sessionVersion: 1,
    sessions: {},
    devices: {},
    status: 'active',
    createdAt,
    ...fields,
  };
}

const changedMeanwhile = () => new DomainError('invalid_token', { en: 'The password was changed meanwhile; sign in again.', fr: 'Le mot de passe a changé entre-temps ; reconnectez-vous.' });

/**
 * An admin sets the password of a user without email (who cannot reset it by email).
 * All of that user's sessions end; a temporary password must be changed after signing in.
 */
export async function setPasswordByAdmin(principal: Principal, userId: string, input: SetPasswordInput): Promise<void> {
  const user = await getUser(principal.tenant.id, userId);
  if (!user) throw notFound({ en: 'The user', fr: 'L’utilisateur' });
  if (user.email !== undefined) {
    throw new DomainError('user_has_email', { en: 'This user has an email address and changes their own password.', fr: 'Cet utilisateur a une adresse e-mail et change lui-même son mot de passe.' });
  }
  const password = checkPasswordPolicy(input.password);
  const outcome = await setPassword(user, {
    passwordHash: await hashPassword(password, config.BCRYPT_COST),
    mustChangePassword: input.temporary,
    audit: auditBy(principal, 'password.reset', { type: 'user', id: user.id, signInIdentifier: signInIdentifierOf(user, principal.tenant.domain) }, { temporary: input.temporary }),
  });
  if (outcome === 'changed_meanwhile') throw new DomainError('user_changed_meanwhile', { en: 'The user\'s password changed meanwhile; look again and retry.', fr: 'Le mot de passe de l’utilisateur a changé entre-temps ; regardez de nouveau et réessayez.' });
  // The person can sign in again from any device, even after the hard stop; the password is set either way.
  await resetSignInLimits(signInIdentifierOf(user, principal.tenant.domain)).catch((error: unknown) =>
    log('warn', 'sign-in limits not reset after a password reset', { userId: user.id, errorName: (error as Error).name }),
  );
}

/** A user changes their own password; their other sessions end, this one goes on. */
export async function changeOwnPassword(principal: PersonPrincipal, input: ChangeOwnPasswordInput): Promise<void> {
  const user: UserRecord = principal.user;
  const checkCurrentPassword = async () => {
    if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
      throw new DomainError('wrong_current_password', { en: 'The current password is wrong.', fr: 'Le mot de passe actuel est faux.' }, { errors: [{ path: 'currentPassword', message: 'wrong' }] });
    }
  };
  const isWrongPassword = (error: unknown) => error instanceof DomainError && error.code === 'wrong_current_password';
  await limited([counters.currentPasswordOfSession(principal.tokenHash)], checkCurrentPassword, isWrongPassword);
  const password = checkPasswordPolicy(input.newPassword);
  if (await verifyPassword(password, user.passwordHash)) {
    throw new DomainError('password_unchanged', { en: 'Choose a password other than the current one.', fr: 'Choisissez un autre mot de passe que l’actuel.' }, { errors: [{ path: 'newPassword', message: 'same as the current one' }] });
  }
  const outcome = await setPassword(user, {
    passwordHash: await hashPassword(password, config.BCRYPT_COST),
    mustChangePassword: false,
    keepSession: { tokenHash: principal.tokenHash, expiresAt: principal.sessionExpiresAt },
    audit: auditBy(principal, 'password.changed', { type: 'user', id: user.id, signInIdentifier: signInIdentifierOf(user, principal.tenant.domain) }),
  });
  if (outcome === 'changed_meanwhile') throw changedMeanwhile();
}

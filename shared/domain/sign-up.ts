import { config } from '../config';
import { accessCodeHash, normalizeAccessCode } from '../auth/access-codes';
import { checkPasswordPolicy, hashPassword } from '../auth/passwords';
import { newDeviceToken, newId } from '../auth/tokens';
import { defaultGroupIds, getGroups } from '../db/groups';
import { acceptInvitation, findInvitationByCodeHash, getUidClaim, type InvitationRecord } from '../db/invitations';
import { getTenant, type TenantRecord } from '../db/tenants';
import type { SignUpInput } from '../schemas/auth';
import { DomainError } from '../core/errors';
import { appendLogKeys } from '../core/logger';
import { countMetric } from '../core/metrics';
import { metricNames } from '../core/metric-names';
import { newSession, sessionUserOf } from './sessions';
import { newUserRecord } from './users';
import { counters, limited } from './throttle';

interface Found {
  invitation: InvitationRecord;
  tenant: TenantRecord;
}

const isWrongCode = (error: unknown) => error instanceof DomainError && (error.code === 'access_code_malformed' || error.code === 'access_code_invalid');

/**
 * The invitation a typed code belongs to, if it can still be used. Wrong codes count
 * against the client address, so that codes cannot be guessed at speed.
 */
function findUsableInvitation(typedCode: string, clientIp: string): Promise<Found> {
  return limited([counters.codeClient(clientIp)], () => findUsableInvitationUnlimited(typedCode), isWrongCode);
}

async function findUsableInvitationUnlimited(typedCode: string): Promise<Found> {
  const code = normalizeAccessCode(typedCode);
  if (!code) throw new DomainError('access_code_malformed', { en: 'An access code has 16 letters and digits, like 7KQM-3XRT-PW9H-CN4D.', fr: 'Un code d’accès a 16 lettres et chiffres, comme 7KQM-3XRT-PW9H-CN4D.' });
  const invitation = await findInvitationByCodeHash(accessCodeHash(code));
  if (!invitation) throw new DomainError('access_code_invalid', { en: 'This access code is not valid. Check it, or ask your admin for a new one.', fr: 'Ce code d’accès n’est pas valide. Vérifiez-le, ou demandez-en un nouveau à votre admin.' });
  const tenant = await getTenant(invitation.tenantId);
  if (!tenant) throw new DomainError('access_code_invalid', { en: 'This access code is not valid.', fr: 'Ce code d’accès n’est pas valide.' });
  if (!tenant.settings.signInWithoutEmail) throw new DomainError('feature_disabled', { en: 'Sign-up by access code is switched off for this organisation.', fr: 'L’inscription par code d’accès est désactivée pour cette organisation.' });
  if (invitation.status === 'accepted') throw new DomainError('access_code_used', { en: 'This access code has been used already. Sign in with your identifier and password.', fr: 'Ce code d’accès a déjà servi. Connectez-vous avec votre identifiant et votre mot de passe.' });
  if (invitation.expiresAt <= new Date().toISOString()) throw new DomainError('access_code_expired', { en: 'This access code has expired. Ask your admin for a new one.', fr: 'Ce code d’accès a expiré. Demandez-en un nouveau à votre admin.' });
  return { invitation, tenant };
}

/** Shows who the code is for, without spending it. */
export async function verifyAccessCode(typedCode: string, clientIp: string) {
  const { invitation, tenant } = await findUsableInvitation(typedCode, clientIp);
  return {
    signInIdentifier: `${invitation.uid}:${tenant.domain}`,
    role: invitation.role,
    organization: { name: tenant.name, domain: tenant.domain },
    expiresAt: invitation.expiresAt,
  };
}

/** Members join the default groups and the invitation's; guests only the invitation's. Deleted groups are dropped. */
async function groupsOnSignUp(invitation: InvitationRecord): Promise<string[]> {
  const defaults = invitation.role === 'member' ? await defaultGroupIds(invitation.tenantId) : [];
  const invited = (await getGroups(invitation.tenantId, invitation.groupIds)).map((group) => group.id);
  return [...new Set([...defaults, ...invited])];
}

/** Spends the code: creates the user with the chosen password and signs them in. */
export async function signUp(input: SignUpInput, clientIp: string) {
  const password = checkPasswordPolicy(input.password);
  const { invitation, tenant } = await findUsableInvitation(input.accessCode, clientIp);
  const id = newId();
  appendLogKeys({ tenantId: tenant.id });
  // The first session is opened by the same transaction that creates the user.
  const { token, tokenHash, expiresAt } = newSession({ tenantId: tenant.id, id });
  const device = newDeviceToken();
  const now = new Date().toISOString();
  const user = newUserRecord(
    tenant,
    {
      id,
      role: invitation.role,
      uid: invitation.uid,
      ...(invitation.firstName !== undefined ? { firstName: invitation.firstName } : {}),
      ...(invitation.lastName !== undefined ? { lastName: invitation.lastName } : {}),
      passwordHash: await hashPassword(password, config.BCRYPT_COST),
      groupIds: await groupsOnSignUp(invitation),
      invitationId: invitation.id,
      sessions: { [tokenHash]: expiresAt },
      devices: { [device.hash]: now },
      lastSignInAt: now,
      lastSignInDate: now.slice(0, 10),
    },
    now,
  );

  // Conflicts are retried inside acceptInvitation; a refusal means the invitation changed.
  if ((await acceptInvitation(invitation, user, new Date().toISOString())) === 'accepted') {
    countMetric(metricNames.signUps);
    return { token, expiresAt, user: sessionUserOf(user, tenant), deviceToken: device.token };
  }
  // Someone else spent, replaced or revoked the code meanwhile: say which.
  const current = await getUidClaim(tenant.id, invitation.uid);
  if (current?.id === invitation.id && current.status === 'accepted') throw new DomainError('access_code_used', { en: 'This access code has been used already.', fr: 'Ce code d’accès a déjà servi.' });
  if (current?.id === invitation.id && current.status === 'pending' && current.codeHash === invitation.codeHash) {
    if (current.expiresAt <= new Date().toISOString()) throw new DomainError('access_code_expired', { en: 'This access code has expired. Ask your admin for a new one.', fr: 'Ce code d’accès a expiré. Demandez-en un nouveau à votre admin.' });
    throw new DomainError('sign_up_in_progress', { en: 'Another sign-up with this code is under way; try again in a moment.', fr: 'Une autre inscription avec ce code est en cours ; réessayez dans un instant.' }, { headers: { 'retry-after': '1' } });
  }
  throw new DomainError('access_code_invalid', { en: 'This access code is no longer valid. Ask your admin for a new one.', fr: 'Ce code d’accès n’est plus valide. Demandez-en un nouveau à votre admin.' });
}

import { config } from '../config';
import { decoyPasswordHash, verifyPassword } from '../auth/passwords';
import { newSessionToken, parseSessionToken, sha256Hex } from '../auth/tokens';
import { deleteSession, loadSessionContext, putSession } from '../db/sessions';
import { findEmailClaim, getUser, type UserRecord } from '../db/users';
import { findTenantIdByDomain, getTenant, type TenantRecord } from '../db/tenants';
import { getUidClaim } from '../db/invitations';
import { countFailure, counters, refuseWhenThrottled } from './throttle';
import type { SignInInput } from '../schemas/auth';
import { DomainError } from './errors';
import { signInIdentifierOf, type Principal } from './principal';

const invalidCredentials = () => new DomainError('invalid_credentials', 'The identifier or the password is wrong.');

interface Account {
  user: UserRecord;
  tenant: TenantRecord;
}

/** A user whose password is about to be checked; the tenant may still be on its way. */
interface Candidate {
  user: UserRecord;
  tenant: Promise<TenantRecord | undefined>;
}

async function findAccountByEmail(email: string): Promise<Candidate | undefined> {
  const claim = await findEmailClaim(email.toLowerCase());
  if (!claim) return undefined;
  // The tenant is read while the password is checked: it is only needed for the answer.
  const tenant = getTenant(claim.tenantId);
  tenant.catch(() => undefined);
  const user = await getUser(claim.tenantId, claim.userId);
  return user ? { user, tenant } : undefined;
}

const uidIdentifier = /^([A-Za-z0-9]{1,64}):([A-Za-z0-9.-]{1,253})$/;

/** uid:domain, both case-insensitive. Refused while the tenant has sign-in without email off. */
async function findAccountByUid(uid: string, domain: string): Promise<Candidate | undefined> {
  const tenantId = await findTenantIdByDomain(domain.toLowerCase());
  if (!tenantId) return undefined;
  const [tenant, claim] = await Promise.all([getTenant(tenantId), getUidClaim(tenantId, uid)]);
  if (!tenant) return undefined;
  if (!tenant.settings.signInWithoutEmail) {
    throw new DomainError('feature_disabled', 'Sign-in without email is switched off for this organisation; ask your admin.');
  }
  if (claim?.status !== 'accepted' || !claim.userId) return undefined;
  const user = await getUser(tenantId, claim.userId);
  return user ? { user, tenant: Promise.resolve(tenant) } : undefined;
}

function findAccount(identifier: string): Promise<Candidate | undefined> {
  if (identifier.includes('@')) return findAccountByEmail(identifier);
  const uid = uidIdentifier.exec(identifier);
  return uid ? findAccountByUid(uid[1]!, uid[2]!) : Promise.resolve(undefined);
}

/**
 * Signs in with an email or uid:domain and a password. Whatever is wrong, the answer is
 * the same and takes about as long: an unknown identifier is checked against a decoy hash.
 * Failures count per identifier and per client address.
 */
export async function signIn(input: SignInInput, clientIp: string) {
  const throttle = [counters.signInIdentifier(input.identifier), counters.signInClient(clientIp)];
  // Both reads at once; a throttled caller is refused whatever the lookup found.
  const [, candidate] = await Promise.all([refuseWhenThrottled(throttle), findAccount(input.identifier)]);
  const passwordHash = candidate?.user.passwordHash ?? (await decoyPasswordHash(config.BCRYPT_COST));
  const matches = await verifyPassword(input.password, passwordHash);
  const tenant = await candidate?.tenant;
  if (!candidate || !tenant || !matches) {
    await countFailure(throttle);
    throw invalidCredentials();
  }
  return openSession({ user: candidate.user, tenant });
}

export async function openSession({ user, tenant }: Account) {
  const token = newSessionToken(tenant.id, user.id);
  const expiresAt = new Date(Date.now() + config.SESSION_TTL_MINUTES * 60_000).toISOString();
  const outcome = await putSession(sha256Hex(token), { tenantId: tenant.id, userId: user.id, sessionVersion: user.sessionVersion, expiresAt });
  // The password changed between the check and now: the old password no longer opens a session.
  if (outcome === 'stale') throw invalidCredentials();
  return { token, expiresAt, user: sessionUserOf(user, tenant) };
}

export function sessionUserOf(user: UserRecord, tenant: TenantRecord) {
  return {
    id: user.id,
    ...(user.uid !== undefined ? { uid: user.uid } : {}),
    ...(user.email !== undefined ? { email: user.email } : {}),
    signInIdentifier: signInIdentifierOf(user, tenant.domain),
    role: user.role,
    organization: { id: tenant.id, name: tenant.name, domain: tenant.domain },
    mustChangePassword: user.mustChangePassword,
  };
}

/** Resolves a bearer token to its user, or refuses it. One read. */
export async function authenticate(token: string): Promise<Principal> {
  const subject = parseSessionToken(token);
  if (!subject) throw new DomainError('invalid_token', 'The token is malformed.');
  const tokenHash = sha256Hex(token);
  const { session, user, tenant } = await loadSessionContext(tokenHash, subject.tenantId, subject.userId);
  const valid =
    session !== undefined &&
    user !== undefined &&
    tenant !== undefined &&
    session.tenantId === subject.tenantId &&
    session.userId === subject.userId &&
    session.sessionVersion === user.sessionVersion &&
    Date.parse(session.expiresAt) > Date.now();
  if (!valid) throw new DomainError('invalid_token', 'The token has expired or was signed out.');
  return { kind: 'user', user, tenant, tokenHash };
}

export async function signOut(principal: Principal): Promise<void> {
  await deleteSession(principal.tokenHash);
}

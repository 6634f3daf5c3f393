import { config } from '../config';
import { decoyPasswordHash, verifyPassword } from '../auth/passwords';
import { newSessionToken, parseSessionToken, sha256Hex } from '../auth/tokens';
import { addSession, getUserWithGroupNames, removeSession, wouldEndAnOpenSession } from '../db/sessions';
import { log } from '../http/logger';
import { findEmailClaim, getUser, type UserRecord } from '../db/users';
import { findTenantIdByDomain, getTenant } from '../db/tenants';
import { getUidClaim } from '../db/invitations';
import { countFailure, counters, refuseWhenThrottled } from './throttle';
import type { SignInInput } from '../schemas/auth';
import { DomainError } from './errors';
import { signInIdentifierOf, type Principal, type TenantIdentity } from './principal';

const invalidCredentials = () => new DomainError('invalid_credentials', 'The identifier or the password is wrong.');

/** A user whose password is about to be checked; the tenant may still be on its way. */
interface Candidate {
  user: UserRecord;
  tenant: Promise<TenantIdentity | undefined>;
}

/** The tenant's name and domain: kept in the user item, read from the tenant for users written before that. */
export function tenantIdentityOf(user: UserRecord): Promise<TenantIdentity | undefined> {
  if (user.tenantName !== undefined && user.tenantDomain !== undefined) {
    return Promise.resolve({ id: user.tenantId, name: user.tenantName, domain: user.tenantDomain });
  }
  return getTenant(user.tenantId).then((tenant) => tenant && { id: tenant.id, name: tenant.name, domain: tenant.domain });
}

async function findAccountByEmail(email: string): Promise<Candidate | undefined> {
  const claim = await findEmailClaim(email.toLowerCase());
  if (!claim) return undefined;
  const user = await getUser(claim.tenantId, claim.userId);
  if (!user) return undefined;
  // Read (for older users) while the password is checked: it is only needed for the answer.
  const tenant = tenantIdentityOf(user);
  tenant.catch(() => undefined);
  return { user, tenant };
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
  return user ? { user, tenant: Promise.resolve({ id: tenant.id, name: tenant.name, domain: tenant.domain }) } : undefined;
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
  // The session is written while the password is checked; its token is given out only if the password matches.
  const early = candidate ? openSessionEarly(candidate.user) : undefined;
  const matches = await verifyPassword(input.password, passwordHash);
  const tenant = await candidate?.tenant;
  if (!candidate || !tenant || !matches) {
    // The unused session goes while the failure is counted, so a wrong password takes no longer than an unknown identifier.
    await Promise.all([countFailure(throttle), early && discardEarlySession(candidate!.user, early)]);
    throw invalidCredentials();
  }
  const opened = await early!;
  if (opened.outcome === 'created') return { token: opened.token, expiresAt: opened.expiresAt, user: sessionUserOf(candidate.user, tenant) };
  if (opened.outcome === 'failed') throw opened.error;
  return openSession(candidate.user, tenant);
}

interface EarlySession {
  token: string;
  tokenHash: string;
  expiresAt: string;
  outcome: 'created' | 'conflict' | 'deferred' | 'failed';
  error?: unknown;
}

/** A new token, the hash it is kept under, and when it ends. */
export function newSession(user: Pick<UserRecord, 'tenantId' | 'id'>) {
  const token = newSessionToken(user.tenantId, user.id);
  return { token, tokenHash: sha256Hex(token), expiresAt: new Date(Date.now() + config.SESSION_TTL_MINUTES * 60_000).toISOString() };
}

/**
 * Adds the session before the password is known to match, except where that would end one of
 * the user's open sessions (a wrong password must not). Never throws: the outcome says.
 */
async function openSessionEarly(user: UserRecord): Promise<EarlySession> {
  const session = newSession(user);
  if (wouldEndAnOpenSession(user, new Date().toISOString())) return { ...session, outcome: 'deferred' };
  try {
    return { ...session, outcome: await addSession(user, session.tokenHash, session.expiresAt) };
  } catch (error) {
    return { ...session, outcome: 'failed', error };
  }
}

/** The password did not match: the session whose token nobody has goes again. */
async function discardEarlySession(user: UserRecord, early: Promise<EarlySession>): Promise<void> {
  const { outcome, tokenHash } = await early;
  if (outcome !== 'created') return;
  // Should this fail, the entry stays unusable (its token was never given out) until it expires.
  await removeSession(user, tokenHash).catch((error: unknown) => log('warn', 'unused session not removed', { userId: user.id, errorName: (error as Error).name }));
}

const sessionConflictRetries = 3;

/** Opens a session for a user whose password was just checked against `user` as read then. */
async function openSession(user: UserRecord, tenant: TenantIdentity) {
  const { token, tokenHash, expiresAt } = newSession(user);
  let current: UserRecord | undefined = user;
  for (let attempt = 0; current && attempt <= sessionConflictRetries; attempt++) {
    if ((await addSession(current, tokenHash, expiresAt)) === 'created') return { token, expiresAt, user: sessionUserOf(current, tenant) };
    // Another sign-in or sign-out changed the sessions meanwhile: try again on the item as it is now.
    const fresh = await getUser(user.tenantId, user.id);
    current = fresh?.sessionVersion === user.sessionVersion ? fresh : undefined;
  }
  // The password changed between the check and now: the old password no longer opens a session.
  if (!current) throw invalidCredentials();
  throw new DomainError('service_unavailable', 'Too many sign-ins of this user at once; try again in a moment.', { headers: { 'retry-after': '1' } });
}

export function sessionUserOf(user: UserRecord, tenant: TenantIdentity) {
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

/**
 * Resolves a bearer token to its user, or refuses it. One read: the user item holds its
 * sessions (with the tenant's group names beside it, for a route that shows them).
 */
export async function authenticate(token: string, options: { withGroupNames?: boolean } = {}): Promise<Principal> {
  const subject = parseSessionToken(token);
  if (!subject) throw new DomainError('invalid_token', 'The token is malformed.');
  const tokenHash = sha256Hex(token);
  const { user, groupNames } = options.withGroupNames
    ? await getUserWithGroupNames(subject.tenantId, subject.userId)
    : { user: await getUser(subject.tenantId, subject.userId), groupNames: undefined };
  const sessionExpiresAt = user?.sessions?.[tokenHash];
  const tenant = sessionExpiresAt !== undefined && sessionExpiresAt > new Date().toISOString() ? await tenantIdentityOf(user!) : undefined;
  if (!user || !tenant || sessionExpiresAt === undefined) throw new DomainError('invalid_token', 'The token has expired or was signed out.');
  return { kind: 'user', user, tenant, tokenHash, sessionExpiresAt, ...(groupNames ? { groupNames } : {}) };
}

export async function signOut(principal: Principal): Promise<void> {
  await removeSession(principal.user, principal.tokenHash);
}

import { config } from '../config';
import { decoyPasswordHash, verifyPassword } from '../auth/passwords';
import { newDeviceToken, newId, newSessionToken, parseSessionToken, sha256Hex } from '../auth/tokens';
import { addSession, recordSignIn, getUserWithGroupNames, removeSession, wouldEndAnOpenSession } from '../db/sessions';
import { appendLogKeys, log } from '../core/logger';
import { countMetric } from '../core/metrics';
import { metricNames } from '../core/metric-names';
import { findEmailClaim, getUser, type UserRecord } from '../db/users';
import { findTenantIdByDomain, getTenant } from '../db/tenants';
import { getUidClaim } from '../db/invitations';
import { counters, giveBack, refuseUnlessAllTaken, resetConsecutiveFailures, succeeded, takeAttempts, unknownClientCounters } from './throttle';
import { newUserRecord } from './users';
import type { SignInInput } from '../schemas/auth';
import { uidPattern } from '../schemas/invitations';
import { DomainError } from '../core/errors';
import { signInIdentifierOf, type PersonPrincipal, type TenantIdentity } from './principal';

const invalidCredentials = () => new DomainError('invalid_credentials', { en: 'The identifier or the password is wrong.', fr: 'L’identifiant ou le mot de passe est faux.' });
/** Sign-in by uid:domain and reset codes alike, while the organisation has the feature off. */
export const signInWithoutEmailOff = () =>
  new DomainError('feature_disabled', { en: 'Sign-in without email is switched off for this organisation; ask your admin.', fr: 'La connexion sans e-mail est désactivée pour cette organisation ; adressez-vous à votre admin.' });
export const accountDeactivated = () => new DomainError('account_deactivated', { en: 'This account has been deactivated. Ask your admin.', fr: 'Ce compte a été désactivé. Adressez-vous à votre admin.' });

/** A user whose password is about to be checked. */
interface Candidate {
  user: UserRecord;
  tenant: TenantIdentity;
}

/** The tenant's name and domain, kept in the user item. */
export const tenantIdentityOf = (user: UserRecord): TenantIdentity => ({ id: user.tenantId, name: user.tenantName, domain: user.tenantDomain });

/**
 * Every way of not finding an account reads as much as finding one (items no one has, under
 * random ids), so that a wrong identifier takes as long to refuse as a wrong password.
 */
async function findAccountByEmail(email: string): Promise<Candidate | undefined> {
  const claim = await findEmailClaim(email.toLowerCase());
  const user = await getUser(claim?.tenantId ?? newId(), claim?.userId ?? newId());
  return claim && user ? { user, tenant: tenantIdentityOf(user) } : undefined;
}

const domainPattern = /^[A-Za-z0-9.-]{1,253}$/;

/** uid:domain, both case-insensitive. Refused while the tenant has sign-in without email off. */
async function findAccountByUid(uid: string, domain: string): Promise<Candidate | undefined> {
  const tenantId = (await findTenantIdByDomain(domain.toLowerCase())) ?? newId();
  const [tenant, claim] = await Promise.all([getTenant(tenantId), getUidClaim(tenantId, uid)]);
  if (tenant && !tenant.settings.signInWithoutEmail) {
    throw signInWithoutEmailOff();
  }
  const userId = claim?.status === 'accepted' ? claim.userId : undefined;
  const user = await getUser(tenantId, userId ?? newId());
  return tenant && userId && user ? { user, tenant: tenantIdentityOf(user) } : undefined;
}

async function findAccount(identifier: string): Promise<Candidate | undefined> {
  if (identifier.includes('@')) return findAccountByEmail(identifier);
  const [uid, domain, ...rest] = identifier.split(':');
  if (rest.length === 0 && uid !== undefined && domain !== undefined && uidPattern.test(uid) && domainPattern.test(domain)) return findAccountByUid(uid, domain);
  await findAccountByUid(newId(), `${newId()}.invalid`);
  return undefined;
}

/** A user that does not exist: the session writes aimed at it fail their condition and change nothing. */
const nobody = (): UserRecord => newUserRecord({ id: newId(), name: '', domain: '' }, { id: newId(), role: 'member', passwordHash: '', groupIds: [] }, '');

/**
 * Signs in with an email or uid:domain and a password. Whatever is wrong, the answer is the
 * same and takes as long: an unknown identifier reads, writes and hashes as a known one does.
 * An attempt is taken from the counters before the password is checked (so N at once count
 * as N) and given back when it succeeds.
 */
/** Sign-in, counted: a session given is a SignIn; a refusal after the attempt was counted (not a 429, which is a ThrottledAttempt) a SignInFailure. */
export async function signIn(input: SignInInput, clientIp: string) {
  try {
    const session = await attemptSignIn(input, clientIp);
    countMetric(metricNames.signIns);
    return session;
  } catch (error) {
    if (error instanceof DomainError && error.code !== 'too_many_attempts') countMetric(metricNames.signInFailures);
    throw error;
  }
}

async function attemptSignIn(input: SignInInput, clientIp: string) {
  const deviceTokenHash = input.deviceToken ? sha256Hex(input.deviceToken) : undefined;
  const deviceCounter = deviceTokenHash ? counters.signInDevice(deviceTokenHash) : undefined;
  const taking = takeAttempts([...unknownClientCounters(input.identifier, clientIp), ...(deviceCounter ? [deviceCounter] : [])]);
  const candidate = await findAccount(input.identifier).catch(async (error: unknown) => {
    await giveBack(await taking);
    throw error;
  });
  if (candidate) appendLogKeys({ tenantId: candidate.tenant.id, userId: candidate.user.id });
  const trusted = deviceTokenHash !== undefined && isKnownDevice(candidate?.user, deviceTokenHash);
  // A client showing a device token of this user counts against that token only; any other against its address and the identifier.
  const attempts = await taking;
  const counted = attempts.filter((attempt) => (attempt.counter === deviceCounter) === trusted);
  const notCounted = giveBack(attempts.filter((attempt) => !counted.includes(attempt)));
  notCounted.catch(() => undefined);
  await refuseUnlessAllTaken(counted).catch(async (error: unknown) => {
    await notCounted.catch(() => undefined);
    throw error;
  });

  // The session is written while the password is checked; its token is given out only if the password matches (never to a deactivated user).
  const active = candidate?.user.status === 'active';
  const earlyTarget = candidate && active && !wouldEndAnOpenSession(candidate.user, new Date().toISOString()) ? candidate.user : nobody();
  const early = openSessionEarly(earlyTarget);
  let matches = false;
  try {
    matches = await verifyPassword(input.password, candidate?.user.passwordHash ?? (await decoyPasswordHash(config.BCRYPT_COST)));
    await notCounted;
  } finally {
    // The attempts taken stay counted; the unused session goes, for a known user and a decoy alike.
    if (!candidate || !matches || !active) await discardEarlySession(earlyTarget, early);
  }
  if (!candidate || !matches) throw invalidCredentials();
  // The right password of a deactivated account is no guess: its attempts are given back, and the person learns why.
  if (!active) {
    await succeeded(counted);
    throw accountDeactivated();
  }
  const device = trusted ? { token: input.deviceToken!, hash: deviceTokenHash! } : newDeviceToken();
  const [opened] = await Promise.all([
    early,
    succeeded(counted),
    // A success ends the identifier's run of consecutive failures, from a known device too.
    trusted && resetConsecutiveFailures(input.identifier),
    recordSignIn(candidate.user, new Date().toISOString(), trusted ? undefined : { hash: device.hash, issuedAt: new Date().toISOString() }),
  ]);
  if (opened.outcome === 'failed') throw opened.error;
  const session =
    earlyTarget === candidate.user && opened.outcome === 'created'
      ? { token: opened.token, expiresAt: opened.expiresAt, user: sessionUserOf(candidate.user, candidate.tenant) }
      : await openSession(candidate.user, candidate.tenant);
  return { ...session, deviceToken: device.token };
}

/** Computes the decoy hash ahead (the sign-in function's cold start), so no first unknown identifier pays for it. */
export function prepareSignIn(): void {
  decoyPasswordHash(config.BCRYPT_COST).catch((error: unknown) => log('warn', 'decoy hash not prepared', { errorName: (error as Error).name }));
}

/** Device tokens are trusted this long after they were issued; then the device signs in as any other once. */
export const deviceTokenDays = 90;

const isKnownDevice = (user: UserRecord | undefined, hash: string) => {
  const issuedAt = user?.devices[hash];
  return issuedAt !== undefined && Date.parse(issuedAt) > Date.now() - deviceTokenDays * 86_400_000;
};

interface EarlySession {
  token: string;
  tokenHash: string;
  expiresAt: string;
  outcome: 'created' | 'conflict' | 'failed';
  error?: unknown;
}

/** A new token, the hash it is kept under, and when it ends. */
export function newSession(user: Pick<UserRecord, 'tenantId' | 'id'>) {
  const token = newSessionToken(user.tenantId, user.id);
  return { token, tokenHash: sha256Hex(token), expiresAt: new Date(Date.now() + config.SESSION_TTL_MINUTES * 60_000).toISOString() };
}

/** Adds the session before the password is known to match. Never throws: the outcome says. */
async function openSessionEarly(user: UserRecord): Promise<EarlySession> {
  const session = newSession(user);
  try {
    return { ...session, outcome: await addSession(user, session.tokenHash, session.expiresAt) };
  } catch (error) {
    return { ...session, outcome: 'failed', error };
  }
}

/** The password did not match: the session nobody has goes again. */
async function discardEarlySession(user: UserRecord, early: Promise<EarlySession>): Promise<void> {
  const { tokenHash } = await early;
  // Should this fail, the entry stays unusable (its token was never given out) until it expires.
  await removeSession(user, tokenHash).catch((error: unknown) =>
    log('warn', 'unused session not removed', { userId: user.id, errorName: (error as Error).name }),
  );
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
    if (fresh?.status === 'deactivated') throw accountDeactivated();
    current = fresh?.sessionVersion === user.sessionVersion ? fresh : undefined;
  }
  // The password changed between the check and now: the old password no longer opens a session.
  if (!current) throw invalidCredentials();
  throw new DomainError('service_unavailable', { en: 'Too many sign-ins of this user at once; try again in a moment.', fr: 'Trop de connexions de cet utilisateur à la fois ; réessayez dans un instant.' }, { headers: { 'retry-after': '1' } });
}

export function sessionUserOf(user: UserRecord, tenant: TenantIdentity) {
  return {
    id: user.id,
    ...(user.uid !== undefined ? { uid: user.uid } : {}),
    ...(user.email !== undefined ? { email: user.email } : {}),
    signInIdentifier: signInIdentifierOf(user, tenant.domain),
    ...(user.firstName !== undefined ? { firstName: user.firstName } : {}),
    ...(user.lastName !== undefined ? { lastName: user.lastName } : {}),
    role: user.role,
    organization: { id: tenant.id, name: tenant.name, domain: tenant.domain },
    mustChangePassword: user.mustChangePassword,
  };
}

/**
 * Resolves a bearer token to its user, or refuses it. One read: the user item holds its
 * sessions (with the tenant's group names beside it, for a route that shows them).
 */
export async function authenticate(token: string, options: { withGroupNames?: boolean } = {}): Promise<PersonPrincipal> {
  const subject = parseSessionToken(token);
  if (!subject) throw new DomainError('invalid_token', { en: 'The token is malformed.', fr: 'Le jeton est mal formé.' });
  const tokenHash = sha256Hex(token);
  const { user, groupNames } = options.withGroupNames
    ? await getUserWithGroupNames(subject.tenantId, subject.userId)
    : { user: await getUser(subject.tenantId, subject.userId), groupNames: undefined };
  const sessionExpiresAt = user?.sessions?.[tokenHash];
  // A deactivation ends every session in its own write; the status is checked too, so that no path around that write lets one live.
  if (!user || user.status !== 'active' || sessionExpiresAt === undefined || sessionExpiresAt <= new Date().toISOString()) {
    throw new DomainError('invalid_token', { en: 'The token has expired or was signed out.', fr: 'Le jeton a expiré ou la session a été fermée.' });
  }
  return { kind: 'user', user, tenant: tenantIdentityOf(user), tokenHash, sessionExpiresAt, ...(groupNames ? { groupNames } : {}) };
}

export async function signOut(principal: PersonPrincipal): Promise<void> {
  await removeSession(principal.user, principal.tokenHash);
}

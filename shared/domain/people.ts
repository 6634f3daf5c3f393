import { auditBy } from './audit';
import { getUser, listUserDirectory, type DirectoryEntry, type UserRecord } from '../db/users';
import { getGroupNames, getGroups } from '../db/groups';
import { getUidClaim } from '../db/invitations';
import { keys } from '../db/keys';
import { changeProfile, deactivateUser, deleteUser, endSessions, reactivateUser, renameInvitationAt, type PersonalItems, type ProfileChange, type UidChange } from '../db/user-changes';
import type { ListUsersInput, UpdateUserInput } from '../schemas/users';
import { DomainError, notFound, type Wording } from '../core/errors';
import { signInIdentifierOf, type Principal } from './principal';
import { uidOfInvitationId, unknownGroups } from './invitations';

/**
 * People over time: what an admin sees of a user and changes about them. Every change is
 * recorded in the audit log, by the target's sign-in identifier, in the change's transaction.
 */

const optional = <T extends object>(fields: T) => Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));

function summaryOf(user: DirectoryEntry, domain: string, groupNames: ReadonlyMap<string, string>) {
  const { userId, groupIds, uid, email, firstName, lastName, lastSignInDate, role, status, createdAt } = user;
  return {
    id: userId,
    ...optional({ uid, email, firstName, lastName }),
    signInIdentifier: signInIdentifierOf(user, domain),
    role,
    status,
    groups: groupIds.flatMap((id) => (groupNames.has(id) ? [{ id, name: groupNames.get(id)! }] : [])),
    createdAt,
    ...optional({ lastSignInDate }),
  };
}

function detailOf(user: UserRecord, domain: string, groupNames: ReadonlyMap<string, string>) {
  const now = new Date().toISOString();
  return {
    ...summaryOf({ ...user, userId: user.id }, domain, groupNames),
    mustChangePassword: user.mustChangePassword,
    ...optional({ lastSignInAt: user.lastSignInAt, deactivatedAt: user.deactivatedAt, resetCodeExpiresAt: user.resetCodeExpiresAt && user.resetCodeExpiresAt > now ? user.resetCodeExpiresAt : undefined }),
  };
}

export async function listUsers(principal: Principal, query: ListUsersInput) {
  const filter = optional({ role: query.role, status: query.status, groupId: query.groupId, prefix: query.q });
  const [page, groupNames] = await Promise.all([
    listUserDirectory(principal.tenant.id, filter, { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) }),
    getGroupNames(principal.tenant.id),
  ]);
  return { items: page.items.map((user) => summaryOf(user, principal.tenant.domain, groupNames)), nextCursor: page.nextCursor };
}

/** A user of the caller's tenant, or 404 (also for another tenant's id). */
export async function findUser(principal: Principal, userId: string): Promise<UserRecord> {
  const user = await getUser(principal.tenant.id, userId);
  if (!user) throw notFound({ en: 'The user', fr: 'L’utilisateur' });
  return user;
}

/**
 * A user the caller is about to change. An API key changes members and guests only: an
 * admin's account (its status, sessions, names, uid and groups, a reset code or letter) is for
 * people to change, so a leaked key cannot sign the admins out, rename them or lock them out.
 */
export async function findUserToChange(principal: Principal, userId: string): Promise<UserRecord> {
  const user = await findUser(principal, userId);
  if (principal.kind === 'apiKey' && user.role === 'admin') {
    throw new DomainError('forbidden', { en: 'An API key changes members and guests only; an admin\'s account is for an admin to change.', fr: 'Une clé d’API ne modifie que des membres et des invités ; le compte d’un admin se change par un admin.' });
  }
  return user;
}

export async function getUserDetail(principal: Principal, userId: string) {
  const [user, groupNames] = await Promise.all([findUser(principal, userId), getGroupNames(principal.tenant.id)]);
  return detailOf(user, principal.tenant.domain, groupNames);
}

const userTarget = (user: UserRecord, domain: string) => ({ type: 'user', id: user.id, signInIdentifier: signInIdentifierOf(user, domain) });

const lastAdmin = (detail: Wording) => new DomainError('last_admin', detail);
const changedMeanwhile = () => new DomainError('user_changed_meanwhile', { en: 'The user changed meanwhile; look again and retry.', fr: 'L’utilisateur a changé entre-temps ; regardez de nouveau et réessayez.' });

/** An admin never takes themself out, nor the tenant's last active admin (the transaction's count says that). */
function refuseOwnAccount(principal: Principal, user: UserRecord, what: Wording): void {
  if (principal.kind === 'user' && user.id === principal.user.id) throw lastAdmin({ en: `You cannot ${what.en} your own account; another admin can.`, fr: `Vous ne pouvez pas ${what.fr} votre propre compte ; un autre admin le peut.` });
}

/** Turns a change's outcome into its answer; a user deleted meanwhile is 404, as afterwards. */
async function settle(principal: Principal, user: UserRecord, outcome: 'done' | 'changed_meanwhile' | 'last_admin' | 'uid_taken', uid?: string): Promise<void> {
  if (outcome === 'last_admin') throw lastAdmin({ en: 'This is the organisation\'s last active admin.', fr: 'C’est le dernier admin actif de l’organisation.' });
  if (outcome === 'uid_taken') throw new DomainError('uid_taken', { en: `The uid ${uid} is already in use.`, fr: `L’uid ${uid} est déjà utilisé.` }, { uids: [uid], errors: [{ path: 'uid', message: `${uid} is already in use` }] });
  if (outcome === 'changed_meanwhile') {
    await findUser(principal, user.id);
    throw changedMeanwhile();
  }
}

/** Deactivates the user: every session ends at once; their password opens nothing until reactivated. Idempotent. */
export async function deactivate(principal: Principal, userId: string) {
  const user = await findUserToChange(principal, userId);
  refuseOwnAccount(principal, user, { en: 'deactivate', fr: 'désactiver' });
  if (user.status === 'active') {
    const outcome = await deactivateUser(user, new Date().toISOString(), auditBy(principal, 'user.deactivated', userTarget(user, principal.tenant.domain)));
    // Another admin's deactivation landed first: the same outcome, so the same answer.
    if (outcome !== 'changed_meanwhile' || (await findUser(principal, userId)).status !== 'deactivated') await settle(principal, user, outcome);
  }
  return getUserDetail(principal, userId);
}

export async function reactivate(principal: Principal, userId: string) {
  const user = await findUserToChange(principal, userId);
  if (user.status === 'deactivated') {
    const outcome = await reactivateUser(user, auditBy(principal, 'user.reactivated', userTarget(user, principal.tenant.domain)));
    if (outcome !== 'changed_meanwhile' || (await findUser(principal, userId)).status !== 'active') await settle(principal, user, outcome);
  }
  return getUserDetail(principal, userId);
}

/** Sign out everywhere: every session of the user ends at once. */
export async function signOutEverywhere(principal: Principal, userId: string): Promise<void> {
  const user = await findUserToChange(principal, userId);
  await settle(principal, user, await endSessions(user, auditBy(principal, 'user.signed_out_everywhere', userTarget(user, principal.tenant.domain))));
}

async function requireGroups(principal: Principal, groupIds: readonly string[]): Promise<void> {
  const found = new Set((await getGroups(principal.tenant.id, groupIds)).map((group) => group.id));
  const missing = groupIds.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw unknownGroups(missing.map((id) => ({ path: 'groupIds', message: `no group ${id} in this organisation` })));
  }
}

/** Where the user's uid claim is now, for a rename: refused for a user without a uid (one with an email signs in by it). */
async function uidChangeOf(principal: Principal, user: UserRecord, to: string): Promise<UidChange | undefined> {
  if (user.uid === undefined) throw new DomainError('user_has_email', { en: 'This user signs in with an email address and has no uid to change.', fr: 'Cet utilisateur se connecte avec une adresse e-mail et n’a pas d’uid à changer.' });
  if (user.uid === to) return undefined;
  const claim = await getUidClaim(principal.tenant.id, user.uid);
  if (claim?.userId !== user.id) throw changedMeanwhile();
  return { to, claim, listing: keys.userListing(principal.tenant.id, to), at: new Date().toISOString() };
}

/** Changes role, groups, names and uid together; a new uid is claimed like an invitation's, and the old one is free at once. */
export async function updateUser(principal: Principal, userId: string, input: UpdateUserInput) {
  const user = await findUserToChange(principal, userId);
  const { uid, groupIds, ...rest } = input;
  if (rest.role !== undefined && rest.role !== user.role && user.role === 'admin') refuseOwnAccount(principal, user, { en: 'change the role of', fr: 'changer le rôle de' });
  if (groupIds) await requireGroups(principal, groupIds);
  const uidChange = uid === undefined ? undefined : await uidChangeOf(principal, user, uid);
  const sameGroups = groupIds !== undefined && [...new Set(groupIds)].sort().join() === [...user.groupIds].sort().join();
  const sameName = (wanted: string | null | undefined, current: string | undefined) => wanted === undefined || (wanted ?? undefined) === current;
  const change = optional({
    role: rest.role === user.role ? undefined : rest.role,
    groupIds: groupIds && !sameGroups ? [...new Set(groupIds)] : undefined,
    firstName: sameName(rest.firstName, user.firstName) ? undefined : rest.firstName,
    lastName: sameName(rest.lastName, user.lastName) ? undefined : rest.lastName,
  });
  const changed = [...Object.keys(change), ...(uidChange ? ['uid'] : [])];
  if (changed.length > 0) {
    const details = { changed, ...optional({ role: change.role, uidFrom: uidChange ? user.uid : undefined, uidTo: uidChange?.to }) };
    await settle(principal, user, await changeProfile(user, change, auditBy(principal, 'user.updated', userTarget(user, principal.tenant.domain), details), uidChange), uid);
    if ('firstName' in change || 'lastName' in change) await renameAcceptedInvitation(principal, user, { firstName: change.firstName, lastName: change.lastName });
  }
  return getUserDetail(principal, userId);
}

/**
 * The invitation the person accepted keeps their names (the invitation list and the export
 * show it): a name changed or removed on the user is changed there too, so no old name
 * lingers. After the user's own write; an invitation not where it was looked for is left.
 */
async function renameAcceptedInvitation(principal: Principal, user: UserRecord, names: Pick<ProfileChange, 'firstName' | 'lastName'>): Promise<void> {
  const invitedAs = user.invitationId === undefined ? undefined : uidOfInvitationId(user.invitationId);
  if (invitedAs === undefined) return;
  const places = [keys.uidClaim(principal.tenant.id, invitedAs), keys.archivedInvitation(principal.tenant.id, invitedAs, user.invitationId!, 'ACCEPTED')];
  await Promise.all(places.map((key) => renameInvitationAt(key, user.invitationId!, user.id, names)));
}

/** What else names the person: their uid claim, the invitation they accepted (where a rename left it), their email claim. */
async function personalItemsOf(principal: Principal, user: UserRecord): Promise<PersonalItems> {
  const tenantId = principal.tenant.id;
  const claim = user.uid === undefined ? undefined : await getUidClaim(tenantId, user.uid);
  const claimHeld = claim?.userId === user.id;
  // Renamed meanwhile: the claims are elsewhere now; deleting less would leave the person's data behind.
  if (user.uid !== undefined && !claimHeld) throw changedMeanwhile();
  const invitedAs = user.invitationId === undefined ? undefined : uidOfInvitationId(user.invitationId);
  const renamedSince = claimHeld && claim.id !== user.invitationId && invitedAs !== undefined;
  return {
    ...(claimHeld ? { uidClaim: keys.uidClaim(tenantId, user.uid!) } : {}),
    ...(renamedSince ? { archivedInvitation: keys.archivedInvitation(tenantId, invitedAs, user.invitationId!, 'ACCEPTED') } : {}),
    ...(user.email !== undefined ? { emailClaim: keys.emailClaim(user.email) } : {}),
  };
}

/** Deletes the user: their personal data goes, their uid (or email) is free, the audit log keeps the act by identifier only. */
export async function removeUser(principal: Principal, userId: string): Promise<void> {
  const user = await findUserToChange(principal, userId);
  refuseOwnAccount(principal, user, { en: 'delete', fr: 'supprimer' });
  const personal = await personalItemsOf(principal, user);
  await settle(principal, user, await deleteUser(user, personal, auditBy(principal, 'user.deleted', userTarget(user, principal.tenant.domain))));
}

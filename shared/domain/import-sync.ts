import { jobActor, type AuditEntry } from '../db/audit';
import { importChangePut, listPeople, type ImportChange, type ImportRecord, type ListedUser } from '../db/imports';
import { archiveRevokedInvitation, changePendingInvitation, getInvitationUnderUid, getUidClaim, type InvitationRecord } from '../db/invitations';
import { changeProfile, deactivateUser, type ProfileChange } from '../db/user-changes';
import { getUser, getUserNames, type UserRecord } from '../db/users';
import { signInIdentifierOf } from './principal';

/**
 * Keeping a workforce in step with the HR file: what a row says about a person who is already
 * there (a user or a pending invitation), and who is no longer in the file. Every change is
 * written with its audit entry (actor: the admin who started the import) and with a record
 * under the import (`importChange`), so a rerun of the same import counts it once.
 */

/** What a row asks for, once its role and groups are read. */
export interface Wanted {
  role: 'member' | 'guest';
  groupIds: string[];
  /** Empty cells are absent: an import never erases a name. */
  firstName?: string;
  lastName?: string;
}

export type HeldOutcome = { status: 'unchanged'; reason: string } | { status: 'updated'; reason: string } | { status: 'failed'; code: string; message: string };

export interface SyncContext {
  record: ImportRecord;
  domain: string;
  /** The tenant's default groups: a member's membership of them is not the file's to change. */
  defaultGroupIds: ReadonlySet<string>;
  /** What earlier runs of this import changed, by lower-cased uid. */
  done: ReadonlyMap<string, ImportChange>;
}

const lower = (uid: string) => uid.toLowerCase();
const sameSet = (a: readonly string[], b: readonly string[]) => new Set(a).size === new Set(b).size && b.every((value) => a.includes(value));
const describeChanged = (changed: readonly string[]) => `Changed to the file's values: ${changed.join(', ')}.`;
export const fullName = (person: { firstName?: string | undefined; lastName?: string | undefined }) => [person.firstName, person.lastName].filter(Boolean).join(' ');

const changedMeanwhile: HeldOutcome = { status: 'failed', code: 'changed_meanwhile', message: 'The person changed while the import ran; run the import again.' };
const unchanged = (reason: string): HeldOutcome => ({ status: 'unchanged', reason });

/** An entry by the admin who started the import, naming the import. */
function auditOf(record: ImportRecord, action: string, target: AuditEntry['target'], details: Record<string, unknown> = {}): AuditEntry {
  return { at: new Date().toISOString(), actor: jobActor(record.createdBy, undefined, record.createdByKey), action, target, details: { ...details, importId: record.id } };
}

const changeRecord = (record: ImportRecord, change: ImportChange) => [importChangePut(record.tenantId, record.id, change)];

function namesChanged(current: { firstName?: string; lastName?: string }, wanted: Wanted): string[] {
  return [
    ...(wanted.firstName !== undefined && wanted.firstName !== current.firstName ? ['firstName'] : []),
    ...(wanted.lastName !== undefined && wanted.lastName !== current.lastName ? ['lastName'] : []),
  ];
}

const names = (wanted: Wanted) => ({ ...(wanted.firstName !== undefined ? { firstName: wanted.firstName } : {}), ...(wanted.lastName !== undefined ? { lastName: wanted.lastName } : {}) });

/** A user's profile as the file wants it: a member keeps the default groups they are in (they joined them at sign-up). */
function userChange(user: UserRecord, wanted: Wanted, defaults: ReadonlySet<string>): { change: ProfileChange; changed: string[] } {
  const groupIds = wanted.role === 'member' ? [...new Set([...wanted.groupIds, ...user.groupIds.filter((id) => defaults.has(id))])] : wanted.groupIds;
  const changed = [...(wanted.role !== user.role ? ['role'] : []), ...(sameSet(user.groupIds, groupIds) ? [] : ['groups']), ...namesChanged(user, wanted)];
  const change: ProfileChange = {
    ...(changed.includes('role') ? { role: wanted.role } : {}),
    ...(changed.includes('groups') ? { groupIds } : {}),
    ...(changed.includes('firstName') ? { firstName: wanted.firstName } : {}),
    ...(changed.includes('lastName') ? { lastName: wanted.lastName } : {}),
  };
  return { change, changed };
}

async function syncPendingInvitation(context: SyncContext, claim: InvitationRecord, wanted: Wanted): Promise<HeldOutcome> {
  const changed = [...(wanted.role !== claim.role ? ['role'] : []), ...(sameSet(claim.groupIds, wanted.groupIds) ? [] : ['groups']), ...namesChanged(claim, wanted)];
  if (changed.length === 0) return unchanged('Already invited, as in the file.');
  if (context.record.dryRun) return { status: 'updated', reason: describeChanged(changed) };
  const signInIdentifier = `${claim.uid}:${context.domain}`;
  const audit = auditOf(context.record, 'invitation.updated', { type: 'invitation', id: claim.id, signInIdentifier }, { uid: claim.uid, changed });
  const change = { role: wanted.role, groupIds: wanted.groupIds, ...names(wanted) };
  const outcome = await changePendingInvitation(claim, change, audit, changeRecord(context.record, { uid: claim.uid, what: 'updated', id: claim.id, signInIdentifier, changed }));
  return outcome === 'changed' ? { status: 'updated', reason: describeChanged(changed) } : changedMeanwhile;
}

async function syncUser(context: SyncContext, userId: string, wanted: Wanted): Promise<HeldOutcome> {
  const { record } = context;
  const user = await getUser(record.tenantId, userId);
  if (!user) return changedMeanwhile;
  if (user.role === 'admin') return unchanged('An admin is never changed by an import.');
  const { change, changed } = userChange(user, wanted, context.defaultGroupIds);
  if (changed.length === 0) return unchanged('Already a user, as in the file.');
  if (record.dryRun) return { status: 'updated', reason: describeChanged(changed) };
  const signInIdentifier = signInIdentifierOf(user, context.domain);
  const audit = auditOf(record, 'user.updated', { type: 'user', id: user.id, signInIdentifier }, { changed, ...(change.role ? { role: change.role } : {}) });
  const outcome = await changeProfile(user, change, audit, undefined, changeRecord(record, { uid: user.uid!, what: 'updated', id: user.id, signInIdentifier, changed }));
  return outcome === 'done' ? { status: 'updated', reason: describeChanged(changed) } : changedMeanwhile;
}

/** A row whose uid someone of the tenant already holds: unchanged when adding; brought to the file's values when syncing. */
export async function settleHeldRow(context: SyncContext, claim: InvitationRecord, wanted: Wanted): Promise<HeldOutcome> {
  if (context.record.mode !== 'sync') return unchanged(claim.status === 'pending' ? 'Already invited (pending).' : 'Already a user.');
  const earlier = context.done.get(lower(claim.uid));
  if (earlier?.what === 'updated') return { status: 'updated', reason: describeChanged(earlier.changed ?? []) };
  if (claim.status === 'pending') return syncPendingInvitation(context, claim, wanted);
  if (!claim.userId) return unchanged('Already a user.');
  return syncUser(context, claim.userId, wanted);
}

/** Someone who is not in the file: deactivated (a user) or revoked (a pending invitation). */
export interface Removal {
  what: 'deactivated' | 'revoked';
  uid: string;
  id: string;
  signInIdentifier: string;
  name: string;
}

/**
 * Who a sync would take out: every active user with a uid, except admins (the importing one
 * included), and every pending invitation (expired ones too: they still hold their uid), whose
 * uid is not in the file. `managed` is how many people the sync has a say over, for the
 * mass-removal safety. Read from the listings (eventually consistent); each is read again from
 * the table before it is changed.
 */
export async function planRemovals(context: SyncContext, inFile: ReadonlySet<string>): Promise<{ removals: Removal[]; managed: number }> {
  const { record, domain, done } = context;
  const { users, pending } = await listPeople(record.tenantId);
  const managedUsers = users.filter((user): user is ListedUser & { uid: string } => user.status === 'active' && user.uid !== undefined && user.role !== 'admin' && user.id !== record.createdBy);
  const absent = (uid: string) => !inFile.has(lower(uid)) && !done.has(lower(uid));
  const removals: Removal[] = [
    ...managedUsers.filter((user) => absent(user.uid)).map((user) => ({ what: 'deactivated' as const, uid: user.uid, id: user.id, signInIdentifier: signInIdentifierOf(user, domain), name: fullName(user) })),
    ...pending.filter((invitation) => absent(invitation.uid)).map((invitation) => ({ what: 'revoked' as const, uid: invitation.uid, id: invitation.id, signInIdentifier: `${invitation.uid}:${domain}`, name: fullName(invitation) })),
  ];
  const earlierRemovals = [...done.values()].filter((change) => change.what !== 'updated');
  const managed = new Set([...managedUsers.map((user) => lower(user.uid)), ...pending.map((invitation) => lower(invitation.uid)), ...earlierRemovals.map((change) => lower(change.uid))]).size;
  return { removals, managed };
}

/** Deactivates or revokes one person, if they are still as listed; true when this call did it. */
export async function carryOutRemoval(context: SyncContext, removal: Removal): Promise<boolean> {
  const { record } = context;
  const change: ImportChange = { uid: removal.uid, what: removal.what, id: removal.id, signInIdentifier: removal.signInIdentifier };
  if (removal.what === 'deactivated') {
    const user = await getUser(record.tenantId, removal.id);
    if (!user || user.status !== 'active' || user.role === 'admin' || user.id === record.createdBy || user.uid === undefined || lower(user.uid) !== lower(removal.uid)) return false;
    const audit = auditOf(record, 'user.deactivated', { type: 'user', id: user.id, signInIdentifier: removal.signInIdentifier });
    return (await deactivateUser(user, audit.at, audit, changeRecord(record, change))) === 'done';
  }
  const claim = await getUidClaim(record.tenantId, removal.uid);
  if (claim?.id !== removal.id || claim.status !== 'pending') return false;
  const audit = auditOf(record, 'invitation.revoked', { type: 'invitation', id: claim.id, signInIdentifier: removal.signInIdentifier }, { uid: claim.uid });
  return (await archiveRevokedInvitation(claim, audit.at, audit, changeRecord(record, change))) === 'revoked';
}

/** The people an import took out (every run of it), with their names as they are now, for the report. */
export async function removalsDone(context: SyncContext, changes: ReadonlyMap<string, ImportChange>, known: readonly Removal[]): Promise<Removal[]> {
  const { record } = context;
  const knownNames = new Map(known.map((removal) => [removal.id, removal.name]));
  const done = [...changes.values()].filter((change): change is ImportChange & { what: Removal['what'] } => change.what !== 'updated');
  const users = await getUserNames(record.tenantId, done.filter((change) => change.what === 'deactivated' && !knownNames.has(change.id)).map((change) => change.id));
  const nameOf = async (change: ImportChange): Promise<string> => {
    const name = knownNames.get(change.id);
    if (name !== undefined) return name;
    if (change.what === 'deactivated') return fullName(users.get(change.id) ?? {});
    return fullName((await getInvitationUnderUid(record.tenantId, change.uid, change.id)) ?? {});
  };
  const removals = await Promise.all(done.map(async (change) => ({ what: change.what, uid: change.uid, id: change.id, signInIdentifier: change.signInIdentifier, name: await nameOf(change) })));
  return removals.sort((a, b) => lower(a.uid).localeCompare(lower(b.uid)));
}

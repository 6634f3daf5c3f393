import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import { keys } from './keys';
import { auditPut, type AuditEntry } from './audit';
import { conditionalWrite, transactWrite, type TransactItems } from './transactions';
import { adminLeaves, adminReturns } from './tenants';
import type { InvitationRecord } from './invitations';
import type { Role, UserRecord } from './users';

/**
 * What admins change about a person over time. Each change is one transaction with its audit
 * entry, conditioned on what the decision was taken on (the user's status, role or uid as
 * read), so a change racing another never acts on a state that is gone.
 */

type Outcome = 'done' | 'changed_meanwhile' | 'last_admin' | 'uid_taken';

const userKey = (user: UserRecord) => keys.user(user.tenantId, user.id);
const endEverySession = 'sessions = :none, devices = :none, sessionVersion = sessionVersion + :one';

/** Whether this user counts among the tenant's active admins. */
const isActiveAdmin = (user: Pick<UserRecord, 'role' | 'status'>) => user.role === 'admin' && user.status === 'active';

/** The user's status and role are still the ones read: the admin count moves only with a decision taken on them. */
const asRead = (user: UserRecord) => ({
  condition: '#status = :readStatus AND #role = :readRole',
  names: { '#status': 'status', '#role': 'role' },
  values: { ':readStatus': user.status, ':readRole': user.role },
});

function outcomeOf(failed: ReadonlyMap<number, unknown>, indexes: { user: number; admins?: number; claim?: number }): Outcome {
  if (failed.size === 0) return 'done';
  if (indexes.claim !== undefined && failed.has(indexes.claim)) return 'uid_taken';
  if (failed.has(indexes.user)) return 'changed_meanwhile';
  if (indexes.admins !== undefined && failed.has(indexes.admins)) return 'last_admin';
  return 'changed_meanwhile';
}

/** Writes that go with a change in its transaction, after its own (an import's record of what it changed). */
export type AlsoWritten = TransactItems;

/** Deactivates an active user: every session ends and every device is forgotten in the same write. */
export async function deactivateUser(user: UserRecord, at: string, audit: AuditEntry, also: AlsoWritten = []): Promise<Outcome> {
  const read = asRead(user);
  const failed = await transactWrite([
    {
      Update: {
        TableName: tableName,
        Key: userKey(user),
        UpdateExpression: `SET #status = :deactivated, deactivatedAt = :at, ${endEverySession}`,
        ConditionExpression: `${read.condition} AND #status = :active`,
        ExpressionAttributeNames: read.names,
        ExpressionAttributeValues: { ...read.values, ':deactivated': 'deactivated', ':active': 'active', ':at': at, ':none': {}, ':one': 1 },
      },
    },
    auditPut(user.tenantId, audit),
    ...(isActiveAdmin(user) ? [adminLeaves(user.tenantId)] : []),
    ...also,
  ]);
  return outcomeOf(failed, { user: 0, admins: 2 });
}

export async function reactivateUser(user: UserRecord, audit: AuditEntry): Promise<Outcome> {
  const read = asRead(user);
  const failed = await transactWrite([
    {
      Update: {
        TableName: tableName,
        Key: userKey(user),
        UpdateExpression: 'SET #status = :active REMOVE deactivatedAt',
        ConditionExpression: `${read.condition} AND #status = :deactivated`,
        ExpressionAttributeNames: read.names,
        ExpressionAttributeValues: { ...read.values, ':deactivated': 'deactivated', ':active': 'active' },
      },
    },
    auditPut(user.tenantId, audit),
    ...(user.role === 'admin' ? [adminReturns(user.tenantId)] : []),
  ]);
  return outcomeOf(failed, { user: 0 });
}

/** Sign out everywhere: every session ends, every device is forgotten, and a sign-in under way opens none (the version moves). */
export async function endSessions(user: UserRecord, audit: AuditEntry): Promise<Outcome> {
  const failed = await transactWrite([
    {
      Update: {
        TableName: tableName,
        Key: userKey(user),
        UpdateExpression: `SET ${endEverySession}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':none': {}, ':one': 1 },
      },
    },
    auditPut(user.tenantId, audit),
  ]);
  return outcomeOf(failed, { user: 0 });
}

export interface ProfileChange {
  role?: Exclude<Role, 'admin'>;
  groupIds?: string[];
  /** null removes the name. */
  firstName?: string | null;
  lastName?: string | null;
}

/** A new uid for a user: the claim moves, and the accepted invitation (if the claim still is it) stays under the old uid as history. */
export interface UidChange {
  to: string;
  /** The user's claim as read now: the accepted invitation itself, or a claim of an earlier rename. */
  claim: InvitationRecord;
  /** Where the user shows in the user list under the new uid. */
  listing: { gsi2pk: string; gsi2sk: string };
  at: string;
}

function profileUpdate(user: UserRecord, change: ProfileChange, uid?: UidChange) {
  const sets: string[] = [];
  const removes: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const fields: [string, unknown][] = Object.entries(change).filter(([, value]) => value !== undefined);
  if (uid) fields.push(['uid', uid.to], ['gsi2pk', uid.listing.gsi2pk], ['gsi2sk', uid.listing.gsi2sk]);
  fields.forEach(([field, value], index) => {
    names[`#f${index}`] = field;
    if (value === null) removes.push(`#f${index}`);
    else {
      sets.push(`#f${index} = :v${index}`);
      values[`:v${index}`] = value;
    }
  });
  const conditions = ['attribute_exists(pk)'];
  if (change.role !== undefined) {
    const read = asRead(user);
    conditions.push(read.condition);
    Object.assign(names, read.names);
    Object.assign(values, read.values);
  }
  if (uid) {
    conditions.push('uid = :fromUid');
    values[':fromUid'] = user.uid;
  }
  return {
    Update: {
      TableName: tableName,
      Key: userKey(user),
      UpdateExpression: [sets.length > 0 ? `SET ${sets.join(', ')}` : '', removes.length > 0 ? `REMOVE ${removes.join(', ')}` : ''].join(' ').trim(),
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: names,
      ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
    },
  };
}

/** The writes that move a user's uid claim from `claim.uid` to `to`. */
function uidMoves(user: UserRecord, uid: UidChange) {
  const { claim } = uid;
  const sameKey = claim.uid.toLowerCase() === uid.to.toLowerCase();
  const ownedByUser = { ConditionExpression: 'userId = :userId', ExpressionAttributeValues: { ':userId': user.id } };
  // Only the case changes: the claim stays where it is and shows the uid as now typed.
  if (sameKey) {
    return [{ Update: { TableName: tableName, Key: keys.uidClaim(user.tenantId, claim.uid), UpdateExpression: 'SET uid = :to', ...ownedByUser, ExpressionAttributeValues: { ':userId': user.id, ':to': uid.to } } }];
  }
  const claimIsTheInvitation = claim.id === user.invitationId;
  return [
    {
      Put: {
        TableName: tableName,
        Item: { ...keys.uidClaim(user.tenantId, uid.to), type: 'uidClaim', id: user.id, tenantId: user.tenantId, uid: uid.to, status: 'accepted', userId: user.id, createdAt: uid.at },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    { Delete: { TableName: tableName, Key: keys.uidClaim(user.tenantId, claim.uid), ...ownedByUser } },
    ...(claimIsTheInvitation
      ? [
          {
            Put: {
              TableName: tableName,
              Item: {
                ...keys.archivedInvitation(user.tenantId, claim.uid, claim.id, 'ACCEPTED'),
                ...keys.invitationListing(user.tenantId, claim.uid, { id: claim.id, as: 'ACCEPTED' }),
                type: 'invitation',
                ...claim,
                // A spent code still says "used" rather than "invalid".
                ...(claim.codeHash ? keys.codeIndex(claim.codeHash) : {}),
              },
            },
          },
        ]
      : []),
  ];
}

/** Changes role, groups, names and uid in one transaction; a demoted admin leaves the admin count. */
export async function changeProfile(user: UserRecord, change: ProfileChange, audit: AuditEntry, uid?: UidChange, also: AlsoWritten = []): Promise<Outcome> {
  const demotesAdmin = change.role !== undefined && isActiveAdmin(user);
  const moves = uid ? uidMoves(user, uid) : [];
  const items = [profileUpdate(user, change, uid), auditPut(user.tenantId, audit), ...(demotesAdmin ? [adminLeaves(user.tenantId)] : []), ...moves, ...also];
  const firstMove = 2 + (demotesAdmin ? 1 : 0);
  const claimsNewUid = moves.length > 1;
  const failed = await transactWrite(items);
  return outcomeOf(failed, { user: 0, ...(demotesAdmin ? { admins: 2 } : {}), ...(claimsNewUid ? { claim: firstMove } : {}) });
}

/** What else holds a person's data besides the user item, found by the domain. */
export interface PersonalItems {
  /** The user's uid claim (the accepted invitation, or a rename's claim). */
  uidClaim?: { pk: string; sk: string };
  /** The accepted invitation, archived under the uid it was made for, when the user was renamed since. */
  archivedInvitation?: { pk: string; sk: string };
  emailClaim?: { pk: string; sk: string };
}

/** Deletes the user and every item naming them (claims free the uid and the email); the audit entry stays, without names. */
export async function deleteUser(user: UserRecord, personal: PersonalItems, audit: AuditEntry): Promise<Outcome> {
  const read = asRead(user);
  const ownedByUser = { ConditionExpression: 'userId = :userId', ExpressionAttributeValues: { ':userId': user.id } };
  // The uid as read too: a rename that lands first moved the claims this delete was told about.
  const sameUid = user.uid === undefined ? 'attribute_not_exists(uid)' : 'uid = :readUid';
  const failed = await transactWrite([
    {
      Delete: {
        TableName: tableName,
        Key: userKey(user),
        ConditionExpression: `${read.condition} AND ${sameUid}`,
        ExpressionAttributeNames: read.names,
        ExpressionAttributeValues: { ...read.values, ...(user.uid === undefined ? {} : { ':readUid': user.uid }) },
      },
    },
    auditPut(user.tenantId, audit),
    ...(isActiveAdmin(user) ? [adminLeaves(user.tenantId)] : []),
    ...(personal.uidClaim ? [{ Delete: { TableName: tableName, Key: personal.uidClaim, ...ownedByUser } }] : []),
    ...(personal.archivedInvitation ? [{ Delete: { TableName: tableName, Key: personal.archivedInvitation } }] : []),
    ...(personal.emailClaim ? [{ Delete: { TableName: tableName, Key: personal.emailClaim, ...ownedByUser } }] : []),
  ]);
  return outcomeOf(failed, { user: 0, ...(isActiveAdmin(user) ? { admins: 2 } : {}) });
}

/** Gives a user a new pending reset code; the last one stops working in the same write. */
export async function putResetCode(user: UserRecord, code: { hash: string; expiresAt: string }, audit: AuditEntry): Promise<Outcome> {
  const failed = await transactWrite([
    {
      Update: {
        TableName: tableName,
        Key: userKey(user),
        UpdateExpression: 'SET resetCodeHash = :hash, resetCodeExpiresAt = :expiresAt, gsi1pk = :gsi1pk, gsi1sk = :gsi1sk',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':hash': code.hash, ':expiresAt': code.expiresAt, ':gsi1pk': keys.resetCodeIndex(code.hash).gsi1pk, ':gsi1sk': keys.resetCodeIndex(code.hash).gsi1sk },
      },
    },
    auditPut(user.tenantId, audit),
  ]);
  return outcomeOf(failed, { user: 0 });
}

/** Sets or removes names on one accepted invitation, only if it is there and is this user's. */
export async function renameInvitationAt(key: { pk: string; sk: string }, invitationId: string, userId: string, names: Pick<ProfileChange, 'firstName' | 'lastName'>): Promise<void> {
  const fields = (['firstName', 'lastName'] as const).flatMap((field) => (names[field] === undefined ? [] : [[field, names[field]] as const]));
  const sets = fields.filter(([, value]) => value !== null).map(([field]) => `${field} = :${field}`);
  const removes = fields.filter(([, value]) => value === null).map(([field]) => field);
  await conditionalWrite(() =>
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: [sets.length > 0 ? `SET ${sets.join(', ')}` : '', removes.length > 0 ? `REMOVE ${removes.join(', ')}` : ''].join(' ').trim(),
        ConditionExpression: 'id = :id AND userId = :userId',
        ExpressionAttributeValues: { ':id': invitationId, ':userId': userId, ...Object.fromEntries(fields.filter(([, value]) => value !== null).map(([field, value]) => [`:${field}`, value])) },
      }),
    ),
  );
}

import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from './batch';
import { findByCode } from './code-index';
import { db, tableName } from './client';
import { keys, recordOf } from './keys';
import { conditionalWrite, transactWrite, type TransactItems } from './transactions';
import { auditPut, type AuditEntry } from './audit';
import { queryShards, type Page } from './pagination';
import { userItem, type UserRecord } from './users';

export type StoredStatus = 'pending' | 'accepted' | 'revoked';

export interface InvitationRecord {
  id: string;
  tenantId: string;
  uid: string;
  role: 'member' | 'guest';
  groupIds: string[];
  firstName?: string;
  lastName?: string;
  status: StoredStatus;
  expiresAt: string;
  createdAt: string;
  createdBy: string;
  /** While pending: the code, encrypted, and the hash it is found by. */
  codeCiphertext?: string;
  codeHash?: string;
  acceptedAt?: string;
  userId?: string;
  revokedAt?: string;
  /** Set on invitations made by a bulk import, so that a rerun recognises its own rows. */
  importId?: string;
}

export const toInvitation = (item: Record<string, unknown>): InvitationRecord => recordOf<InvitationRecord>(item);

/** The uid claim item of a pending invitation, findable by its code hash. */
export function pendingInvitationItem(invitation: InvitationRecord) {
  return {
    ...keys.uidClaim(invitation.tenantId, invitation.uid),
    ...keys.invitationListing(invitation.tenantId, invitation.uid),
    type: 'invitation',
    ...invitation,
    ...keys.codeIndex(invitation.codeHash!),
  };
}

/**
 * Creates invitations all together or not at all. Each one claims its uid with a
 * condition, so a uid held by a pending invitation or a user is never claimed twice.
 */
export async function putInvitations(invitations: InvitationRecord[]): Promise<{ taken: string[] }> {
  const put = (invitation: InvitationRecord) => ({ TableName: tableName, Item: pendingInvitationItem(invitation), ConditionExpression: 'attribute_not_exists(pk)' });
  if (invitations.length === 1) {
    const outcome = await conditionalWrite(() => db.send(new PutCommand(put(invitations[0]!))));
    return { taken: outcome === 'condition_failed' ? [invitations[0]!.uid] : [] };
  }
  const failed = await transactWrite(invitations.map((invitation) => ({ Put: put(invitation) })));
  return { taken: [...failed.keys()].map((index) => invitations[index]!.uid) };
}

export async function getUidClaim(tenantId: string, uid: string): Promise<InvitationRecord | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.uidClaim(tenantId, uid), ConsistentRead: true }));
  return Item ? toInvitation(Item) : undefined;
}

/** The invitation with this id under its uid: in the claim, or archived beside it (revoked, or accepted by a user renamed since). */
export async function getInvitationUnderUid(tenantId: string, uid: string, invitationId: string): Promise<InvitationRecord | undefined> {
  const items = await batchGetAll(keys.invitationPlaces(tenantId, uid, invitationId), { consistent: true });
  const found = items.find((item) => item.id === invitationId && item.type === 'invitation');
  return found ? toInvitation(found) : undefined;
}

/** The uid claim that holds this code hash. */
export async function findInvitationByCodeHash(codeHash: string): Promise<InvitationRecord | undefined> {
  const item = await findByCode(keys.codeIndex(codeHash));
  return item && item.codeHash === codeHash ? toInvitation(item) : undefined;
}

const stillPending = 'id = :id AND #status = :pending';

/** Gives a pending invitation a new code; the old code stops working in the same write. */
export async function replaceAccessCode(
  invitation: InvitationRecord,
  code: { codeHash: string; codeCiphertext: string; expiresAt: string },
  audit: AuditEntry,
): Promise<'replaced' | 'not_pending'> {
  const failed = await transactWrite([
    {
      Update: {
        TableName: tableName,
        Key: keys.uidClaim(invitation.tenantId, invitation.uid),
        UpdateExpression: 'SET codeHash = :hash, codeCiphertext = :ciphertext, expiresAt = :expiresAt, gsi1pk = :gsi1pk',
        ConditionExpression: stillPending,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':id': invitation.id,
          ':pending': 'pending',
          ':hash': code.codeHash,
          ':ciphertext': code.codeCiphertext,
          ':expiresAt': code.expiresAt,
          ':gsi1pk': keys.codeIndex(code.codeHash).gsi1pk,
        },
      },
    },
    auditPut(invitation.tenantId, audit),
  ]);
  return failed.has(0) ? 'not_pending' : 'replaced';
}

export interface InvitationChange {
  role: 'member' | 'guest';
  groupIds: string[];
  firstName?: string;
  lastName?: string;
}

/** Brings a pending invitation's names, role and groups to new values, if it is still this pending invitation. */
export async function changePendingInvitation(invitation: InvitationRecord, change: InvitationChange, audit: AuditEntry, also: TransactItems = []): Promise<'changed' | 'not_pending'> {
  const fields = Object.entries(change).filter(([, value]) => value !== undefined);
  const failed = await transactWrite([
    {
      Update: {
        TableName: tableName,
        Key: keys.uidClaim(invitation.tenantId, invitation.uid),
        UpdateExpression: `SET ${fields.map((_, index) => `#f${index} = :v${index}`).join(', ')}`,
        ConditionExpression: stillPending,
        ExpressionAttributeNames: { '#status': 'status', ...Object.fromEntries(fields.map(([field], index) => [`#f${index}`, field])) },
        ExpressionAttributeValues: { ':id': invitation.id, ':pending': 'pending', ...Object.fromEntries(fields.map(([, value], index) => [`:v${index}`, value])) },
      },
    },
    auditPut(invitation.tenantId, audit),
    ...also,
  ]);
  return failed.has(0) ? 'not_pending' : 'changed';
}

/** Moves a pending invitation out of its uid claim into the archive: the uid is free again. */
export async function archiveRevokedInvitation(invitation: InvitationRecord, revokedAt: string, audit: AuditEntry, also: TransactItems = []): Promise<'revoked' | 'not_pending'> {
  const { codeCiphertext: _c, codeHash: _h, ...rest } = invitation;
  const failed = await transactWrite([
    {
      Delete: {
        TableName: tableName,
        Key: keys.uidClaim(invitation.tenantId, invitation.uid),
        ConditionExpression: stillPending,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':id': invitation.id, ':pending': 'pending' },
      },
    },
    {
      Put: {
        TableName: tableName,
        Item: {
          ...keys.archivedInvitation(invitation.tenantId, invitation.uid, invitation.id, 'REVOKED'),
          ...keys.invitationListing(invitation.tenantId, invitation.uid, { id: invitation.id, as: 'REVOKED' }),
          type: 'invitation',
          ...rest,
          status: 'revoked',
          revokedAt,
        },
      },
    },
    auditPut(invitation.tenantId, audit),
    ...also,
  ]);
  return failed.has(0) ? 'not_pending' : 'revoked';
}

export type AcceptOutcome = 'accepted' | 'not_available';

/**
 * Spends the code, creates the user and opens the first session in one transaction,
 * conditioned on the invitation still being pending with this very code, unexpired.
 */
export async function acceptInvitation(
  invitation: InvitationRecord,
  user: UserRecord,
  now: string,
): Promise<AcceptOutcome> {
  const failed = await transactWrite([
    {
      Update: {
        TableName: tableName,
        Key: keys.uidClaim(invitation.tenantId, invitation.uid),
        UpdateExpression: 'SET #status = :accepted, userId = :userId, acceptedAt = :now REMOVE codeCiphertext',
        ConditionExpression: `${stillPending} AND codeHash = :hash AND expiresAt > :now`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':id': invitation.id, ':pending': 'pending', ':accepted': 'accepted', ':userId': user.id, ':now': now, ':hash': invitation.codeHash },
      },
    },
    { Put: { TableName: tableName, Item: userItem(user), ConditionExpression: 'attribute_not_exists(pk)' } },
  ]);
  return failed.size > 0 ? 'not_available' : 'accepted';
}

export interface InvitationFilter {
  status?: 'pending' | 'accepted' | 'revoked' | 'expired';
  role?: 'member' | 'guest';
  uidPrefix?: string;
  /** Only the invitations this import made. */
  importId?: string;
}

/** Invitations by uid order, merged from the listing shards; the status filter reads the stored status and the expiry. */
export function listInvitations(tenantId: string, filter: InvitationFilter, page: { limit: number; cursor?: string }, now: string): Promise<Page<InvitationRecord>> {
  const conditions: string[] = [];
  const values: Record<string, unknown> = {};
  const names: Record<string, string> = {};
  if (filter.status) {
    names['#status'] = 'status';
    values[':status'] = filter.status === 'expired' ? 'pending' : filter.status;
    conditions.push('#status = :status');
    if (filter.status === 'pending' || filter.status === 'expired') {
      values[':now'] = now;
      conditions.push(filter.status === 'pending' ? 'expiresAt > :now' : 'expiresAt <= :now');
    }
  }
  if (filter.role) {
    names['#role'] = 'role';
    values[':role'] = filter.role;
    conditions.push('#role = :role');
  }
  if (filter.importId) {
    values[':importId'] = filter.importId;
    conditions.push('importId = :importId');
  }
  return queryShards({
    index: 'gsi2',
    pks: keys.invitationListingShards(tenantId),
    skPrefix: keys.invitationListingPrefix(filter.uidPrefix),
    ...page,
    ...(conditions.length > 0 ? { filter: { expression: conditions.join(' AND '), names, values } } : {}),
    map: toInvitation,
  });
}

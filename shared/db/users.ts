import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import { keys, recordOf } from './keys';
import { auditPut, type AuditEntry } from './audit';
import { transactWrite } from './transactions';
import { queryShards, type Page } from './pagination';
import { findByCode } from './code-index';
import { batchGetAll } from './batch';
import type { SessionMap } from './sessions';

export type Role = 'admin' | 'member' | 'guest';

export interface UserRecord {
  id: string;
  tenantId: string;
  role: Role;
  email?: string;
  uid?: string;
  firstName?: string;
  lastName?: string;
  /** The invitation a user without email signed up with. */
  invitationId?: string;
  passwordHash: string;
  groupIds: string[];
  mustChangePassword: boolean;
  /** Bumped with every new password, so that a sign-in checked against the old one opens no session. */
  sessionVersion: number;
  /** Open sessions: token hash → expiry. */
  sessions: SessionMap;
  /** Device tokens issued to this user: hash → when. A sign-in with one is not held back by other clients' failures. */
  devices: Record<string, string>;
  /** The tenant's name and domain, which never change, kept here so that one read authenticates a request. */
  tenantName: string;
  tenantDomain: string;
  status: UserStatus;
  /** When an admin deactivated the user (while deactivated). */
  deactivatedAt?: string;
  lastSignInAt?: string;
  /** The UTC day of the last sign-in: the user list shows it, and it changes at most once a day, so sign-ins rarely write the list's index. */
  lastSignInDate?: string;
  /** A pending password reset code an admin issued: its hash (also on gsi1) and its end. */
  resetCodeHash?: string;
  resetCodeExpiresAt?: string;
  createdAt: string;
}

export type UserStatus = 'active' | 'deactivated';

export interface EmailClaim {
  tenantId: string;
  userId: string;
}

export async function findEmailClaim(email: string): Promise<EmailClaim | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.emailClaim(email) }));
  return Item ? { tenantId: Item.tenantId as string, userId: Item.userId as string } : undefined;
}

/** The user, its sessions included, strongly consistent: the one read that authenticates a request. */
export async function getUser(tenantId: string, userId: string): Promise<UserRecord | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.user(tenantId, userId), ConsistentRead: true }));
  return Item ? toUserRecord(Item) : undefined;
}

export function toUserRecord(item: Record<string, unknown>): UserRecord {
  return recordOf<UserRecord>(item);
}

export type DirectoryEntry = Pick<UserRecord, 'uid' | 'email' | 'role' | 'status' | 'firstName' | 'lastName' | 'groupIds' | 'createdAt' | 'lastSignInDate'> & { userId: string };

/** The user's item: alone under its own key, listed on gsi2 by its sign-in identifier. */
export function userItem(user: UserRecord) {
  return { ...keys.user(user.tenantId, user.id), ...keys.userListing(user.tenantId, user.uid ?? user.email ?? user.id), type: 'user', ...user };
}

const toDirectoryEntry = (item: Record<string, unknown>): DirectoryEntry => {
  const { id, uid, email, role, status, firstName, lastName, groupIds, createdAt, lastSignInDate } = item as unknown as UserRecord;
  const optional = { uid, email, firstName, lastName, lastSignInDate };
  return { userId: id, role, status, groupIds: groupIds ?? [], createdAt, ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)) };
};

export interface UserFilter {
  role?: Role;
  status?: UserStatus;
  groupId?: string;
  prefix?: string;
}

/** The tenant's users by sign-in identifier, merged from the listing shards (eventually consistent, as every index). */
export function listUserDirectory(tenantId: string, filter: UserFilter, page: { limit: number; cursor?: string }): Promise<Page<DirectoryEntry>> {
  const conditions: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (filter.role) {
    conditions.push('#role = :role');
    names['#role'] = 'role';
    values[':role'] = filter.role;
  }
  if (filter.status) {
    conditions.push('#status = :status');
    names['#status'] = 'status';
    values[':status'] = filter.status;
  }
  if (filter.groupId) {
    conditions.push('contains(groupIds, :groupId)');
    values[':groupId'] = filter.groupId;
  }
  return queryShards({
    index: 'gsi2',
    pks: keys.userListingShards(tenantId),
    skPrefix: keys.userListingPrefix(filter.prefix),
    ...page,
    ...(conditions.length > 0 ? { filter: { expression: conditions.join(' AND '), ...(Object.keys(names).length > 0 ? { names } : {}), values } } : {}),
    map: toDirectoryEntry,
  });
}

export interface PasswordChange {
  passwordHash: string;
  mustChangePassword: boolean;
  /** The one session that lives on (the caller's own on a self-service change, the new one on a reset); all others end. */
  keepSession?: { tokenHash: string; expiresAt: string };
  /** The device a reset with a code signs in on: kept, where every other device is forgotten. */
  keepDevice?: { hash: string; issuedAt: string };
  /** A reset with a code: only while the user is active and the code is the pending one, unexpired. */
  withResetCode?: { hash: string; now: string };
  audit?: AuditEntry;
}

/**
 * Sets a new password, bumps the session version and replaces the sessions in one write, so
 * every other session of the user ends at once. Refused if the user changed meanwhile.
 */
export async function setPassword(user: UserRecord, change: PasswordChange): Promise<'changed' | 'changed_meanwhile'> {
  const kept: SessionMap = change.keepSession ? { [change.keepSession.tokenHash]: change.keepSession.expiresAt } : {};
  const reset = change.withResetCode;
  const update = {
    TableName: tableName,
    Key: keys.user(user.tenantId, user.id),
    // A new password ends every session and forgets every device token (a stolen one stops working too), and any pending reset code.
    UpdateExpression:
      'SET passwordHash = :hash, mustChangePassword = :must, sessionVersion = :version, sessions = :sessions, devices = :devices' +
      (reset ? ', lastSignInAt = :now, lastSignInDate = :today' : '') +
      ' REMOVE resetCodeHash, resetCodeExpiresAt, gsi1pk, gsi1sk',
    ConditionExpression: 'sessionVersion = :current' + (reset ? ' AND resetCodeHash = :resetHash AND resetCodeExpiresAt > :now AND #status = :active' : ''),
    ...(reset ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
    ExpressionAttributeValues: {
      ':hash': change.passwordHash,
      ':must': change.mustChangePassword,
      ':version': user.sessionVersion + 1,
      ':current': user.sessionVersion,
      ':sessions': kept,
      ':devices': change.keepDevice ? { [change.keepDevice.hash]: change.keepDevice.issuedAt } : {},
      ...(reset ? { ':resetHash': reset.hash, ':now': reset.now, ':today': reset.now.slice(0, 10), ':active': 'active' } : {}),
    },
  };
  const failed = await transactWrite([{ Update: update }, ...(change.audit ? [auditPut(user.tenantId, change.audit)] : [])]);
  return failed.size > 0 ? 'changed_meanwhile' : 'changed';
}

/** The user a pending reset code belongs to, if that code is still the user's. */
export async function findUserByResetCodeHash(codeHash: string): Promise<UserRecord | undefined> {
  const item = await findByCode(keys.resetCodeIndex(codeHash));
  return item && item.type === 'user' && item.resetCodeHash === codeHash ? toUserRecord(item) : undefined;
}

export type PersonNames = Pick<UserRecord, 'id' | 'uid' | 'email' | 'firstName' | 'lastName'>;

/** Names and identifiers of these users of a tenant (the ones that still exist), by id. */
export async function getUserNames(tenantId: string, userIds: readonly string[]): Promise<ReadonlyMap<string, PersonNames>> {
  if (userIds.length === 0) return new Map();
  const items = await batchGetAll(
    userIds.map((id) => keys.user(tenantId, id)),
    { projection: 'id, uid, email, firstName, lastName' },
  );
  return new Map(items.map((item) => [item.id as string, item as unknown as PersonNames]));
}

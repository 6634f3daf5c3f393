import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import { keys, recordOf } from './keys';
import { auditPut, type AuditEntry } from './audit';
import { transactWrite } from './transactions';
import { queryShards, type Page } from './pagination';
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
  status: 'active';
  createdAt: string;
}

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

export interface DirectoryEntry {
  userId: string;
  uid?: string;
  email?: string;
  role: Role;
  status: 'active';
  createdAt: string;
}

/** The user's item: alone under its own key, listed on gsi2 by its sign-in identifier. */
export function userItem(user: UserRecord) {
  return { ...keys.user(user.tenantId, user.id), ...keys.userListing(user.tenantId, user.uid ?? user.email ?? user.id), type: 'user', ...user };
}

const toDirectoryEntry = (item: Record<string, unknown>): DirectoryEntry => {
  const { id, uid, email, role, status, createdAt } = item as unknown as UserRecord;
  return { userId: id, ...(uid !== undefined ? { uid } : {}), ...(email !== undefined ? { email } : {}), role, status, createdAt };
};

/** The tenant's users by sign-in identifier, merged from the listing shards (eventually consistent, as every index). */
export function listUserDirectory(tenantId: string, filter: { role?: Role; prefix?: string }, page: { limit: number; cursor?: string }): Promise<Page<DirectoryEntry>> {
  return queryShards({
    index: 'gsi2',
    pks: keys.userListingShards(tenantId),
    skPrefix: keys.userListingPrefix(filter.prefix),
    ...page,
    ...(filter.role ? { filter: { expression: '#role = :role', names: { '#role': 'role' }, values: { ':role': filter.role } } } : {}),
    map: toDirectoryEntry,
  });
}

export interface PasswordChange {
  passwordHash: string;
  mustChangePassword: boolean;
  /** The one session that lives on (the caller's own, on a self-service change); all others end. */
  keepSession?: { tokenHash: string; expiresAt: string };
  audit?: AuditEntry;
}

/**
 * Sets a new password, bumps the session version and replaces the sessions in one write, so
 * every other session of the user ends at once. Refused if the user changed meanwhile.
 */
export async function setPassword(user: UserRecord, change: PasswordChange): Promise<'changed' | 'changed_meanwhile'> {
  const kept: SessionMap = change.keepSession ? { [change.keepSession.tokenHash]: change.keepSession.expiresAt } : {};
  const update = {
    TableName: tableName,
    Key: keys.user(user.tenantId, user.id),
    // A new password ends every session and forgets every device token (a stolen one stops working too).
    UpdateExpression: 'SET passwordHash = :hash, mustChangePassword = :must, sessionVersion = :version, sessions = :sessions, devices = :devices',
    ConditionExpression: 'sessionVersion = :current',
    ExpressionAttributeValues: {
      ':hash': change.passwordHash,
      ':must': change.mustChangePassword,
      ':version': user.sessionVersion + 1,
      ':current': user.sessionVersion,
      ':sessions': kept,
      ':devices': {},
    },
  };
  const failed = await transactWrite([{ Update: update }, ...(change.audit ? [auditPut(user.tenantId, change.audit)] : [])]);
  return failed.size > 0 ? 'changed_meanwhile' : 'changed';
}

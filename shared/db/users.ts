import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import { keys } from './keys';

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
  /** Bumped whenever all of the user's sessions must end (password set by an admin, say). */
  sessionVersion: number;
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

export async function getUser(tenantId: string, userId: string): Promise<UserRecord | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.user(tenantId, userId), ConsistentRead: true }));
  return Item ? toUserRecord(Item) : undefined;
}

export function toUserRecord(item: Record<string, unknown>): UserRecord {
  const { pk: _pk, sk: _sk, type: _type, ...user } = item;
  return user as unknown as UserRecord;
}

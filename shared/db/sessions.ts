import { DeleteCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from './batch';
import { db, tableName } from './client';
import { keys, ttlFrom } from './keys';
import { failedConditions } from './errors';
import { toTenantRecord, type TenantRecord } from './tenants';
import { toUserRecord, type UserRecord } from './users';

export interface SessionRecord {
  tenantId: string;
  userId: string;
  sessionVersion: number;
  expiresAt: string;
}

/**
 * Stores a session only while the user's session version is still the one the password
 * was checked against, so a sign-in racing an admin's password reset cannot outlive it.
 */
export async function putSession(tokenHash: string, session: SessionRecord): Promise<'created' | 'stale'> {
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName,
              Item: { ...keys.session(tokenHash), type: 'session', ...session, ttl: ttlFrom(new Date(session.expiresAt)) },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            ConditionCheck: {
              TableName: tableName,
              Key: keys.user(session.tenantId, session.userId),
              ConditionExpression: 'sessionVersion = :version',
              ExpressionAttributeValues: { ':version': session.sessionVersion },
            },
          },
        ],
      }),
    );
    return 'created';
  } catch (error) {
    if (failedConditions(error)?.includes(1)) return 'stale';
    throw error;
  }
}

export async function deleteSession(tokenHash: string): Promise<void> {
  await db.send(new DeleteCommand({ TableName: tableName, Key: keys.session(tokenHash) }));
}

export interface SessionContext {
  session?: SessionRecord;
  user?: UserRecord;
  tenant?: TenantRecord;
}

/** The session, its user and its tenant in one strongly consistent round trip. */
export async function loadSessionContext(tokenHash: string, tenantId: string, userId: string): Promise<SessionContext> {
  const wanted = [keys.session(tokenHash), keys.user(tenantId, userId), keys.tenant(tenantId)];
  const items = await batchGetAll(wanted, { consistent: true });
  const find = (sk: string, pk: string) => items.find((item) => item.sk === sk && item.pk === pk);
  const sessionItem = find(wanted[0]!.sk, wanted[0]!.pk);
  const userItem = find(wanted[1]!.sk, wanted[1]!.pk);
  const tenantItem = find(wanted[2]!.sk, wanted[2]!.pk);
  return {
    session: sessionItem as SessionRecord | undefined,
    user: userItem ? toUserRecord(userItem) : undefined,
    tenant: tenantItem ? toTenantRecord(tenantItem) : undefined,
  };
}

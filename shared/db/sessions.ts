import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from './batch';
import { db, tableName } from './client';
import { groupNamesOf } from './groups';
import { keys } from './keys';
import { conditionalWrite } from './transactions';
import { toUserRecord, type UserRecord } from './users';

/**
 * A user's sessions live in their own user item, as a map from token hash to expiry. So a
 * request is authenticated with one GetItem, and anything that must end every session
 * (a new password) replaces the map in the same write that changes the password.
 */
export type SessionMap = Record<string, string>;

/** A user signing in on many devices keeps this many sessions; the oldest ends first. */
export const maxSessionsPerUser = 50;

/** The user (whose item holds its sessions) plus the tenant's group names, in one strongly consistent BatchGet (for GET /v1/me). */
export async function getUserWithGroupNames(tenantId: string, userId: string): Promise<{ user?: UserRecord; groupNames?: ReadonlyMap<string, string> }> {
  const [userKey, directoryKey] = [keys.user(tenantId, userId), keys.groupDirectory(tenantId)];
  const items = await batchGetAll([userKey, directoryKey], { consistent: true });
  const userItem = items.find((item) => item.sk === userKey.sk);
  const groupNames = groupNamesOf(items.find((item) => item.sk === directoryKey.sk));
  return { ...(userItem ? { user: toUserRecord(userItem) } : {}), ...(groupNames ? { groupNames } : {}) };
}

/** Sessions that are over by `now`, and beyond those the oldest ones, so that a new one fits under the cap. */
export function sessionsToDrop(sessions: SessionMap, now: string): string[] {
  const open = Object.entries(sessions).filter(([, expiresAt]) => expiresAt > now);
  const over = Object.entries(sessions).filter(([, expiresAt]) => expiresAt <= now).map(([hash]) => hash);
  const oldestFirst = open.sort(([, a], [, b]) => a.localeCompare(b)).map(([hash]) => hash);
  return [...over, ...oldestFirst.slice(0, Math.max(0, oldestFirst.length - (maxSessionsPerUser - 1)))];
}

/** True when one more session would end an open one (the user is at the cap). */
export const wouldEndAnOpenSession = ({ sessions }: UserRecord, now: string): boolean =>
  sessions !== undefined && sessionsToDrop(sessions, now).some((hash) => sessions[hash]! > now);

/**
 * Opens a session only while the user's session version is still the one the password was
 * checked against: a sign-in racing a password change cannot outlive it. `user` is the item
 * as read before the check; sessions over or past the cap are dropped in the same write.
 * A conflict means the item changed meanwhile: read it again and decide.
 */
export async function addSession(user: UserRecord, tokenHash: string, expiresAt: string): Promise<'created' | 'conflict'> {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':version': user.sessionVersion };
  let update: string;
  let condition = 'sessionVersion = :version';
  if (user.sessions) {
    const dropped = sessionsToDrop(user.sessions, new Date().toISOString());
    names['#new'] = tokenHash;
    dropped.forEach((hash, index) => (names[`#d${index}`] = hash));
    values[':expiresAt'] = expiresAt;
    update = `SET sessions.#new = :expiresAt${dropped.length > 0 ? ` REMOVE ${dropped.map((_, index) => `sessions.#d${index}`).join(', ')}` : ''}`;
    condition += ' AND attribute_exists(sessions)';
  } else {
    // A user written before sessions moved into the user item.
    values[':sessions'] = { [tokenHash]: expiresAt };
    update = 'SET sessions = :sessions';
    condition += ' AND attribute_not_exists(sessions)';
  }
  const outcome = await conditionalWrite(() =>
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.user(user.tenantId, user.id),
        UpdateExpression: update,
        ConditionExpression: condition,
        ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: values,
      }),
    ),
  );
  return outcome === 'written' ? 'created' : 'conflict';
}

/** Signing out ends one session at once. */
export async function removeSession(user: UserRecord, tokenHash: string): Promise<void> {
  // A failed condition means its sessions were replaced meanwhile (a new password): this one is over either way.
  await conditionalWrite(() =>
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.user(user.tenantId, user.id),
        UpdateExpression: 'REMOVE sessions.#session',
        ConditionExpression: 'attribute_exists(sessions)',
        ExpressionAttributeNames: { '#session': tokenHash },
      }),
    ),
  );
}

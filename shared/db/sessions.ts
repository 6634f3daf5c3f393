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
export async function getUserWithGroupNames(tenantId: string, userId: string): Promise<{ user?: UserRecord; groupNames: ReadonlyMap<string, string> }> {
  const [userKey, directoryKey] = [keys.user(tenantId, userId), keys.groupDirectory(tenantId)];
  const items = await batchGetAll([userKey, directoryKey], { consistent: true });
  const userItem = items.find((item) => item.sk === userKey.sk);
  const groupNames = groupNamesOf(items.find((item) => item.sk === directoryKey.sk));
  return { ...(userItem ? { user: toUserRecord(userItem) } : {}), groupNames };
}

/** Sessions that are over by `now`, and beyond those the oldest ones, so that a new one fits under the cap. */
export function sessionsToDrop(sessions: SessionMap, now: string): string[] {
  const open = Object.entries(sessions).filter(([, expiresAt]) => expiresAt > now);
  const over = Object.entries(sessions).filter(([, expiresAt]) => expiresAt <= now).map(([hash]) => hash);
  const oldestFirst = open.sort(([, a], [, b]) => a.localeCompare(b)).map(([hash]) => hash);
  return [...over, ...oldestFirst.slice(0, Math.max(0, oldestFirst.length - (maxSessionsPerUser - 1)))];
}

/** True when one more session would end an open one (the user is at the cap). */
export const wouldEndAnOpenSession = ({ sessions }: UserRecord, now: string): boolean => sessionsToDrop(sessions, now).some((hash) => sessions[hash]! > now);

/** A device token of the user's (its hash and when it was issued), to keep with a new session. */
export interface NewDevice {
  hash: string;
  issuedAt: string;
}

/** Devices a user keeps; a new one past this ends the oldest. */
export const maxDevicesPerUser = 20;

/** The devices to forget so that one more fits under the cap, oldest first. */
export function devicesToDrop(devices: Record<string, string>): string[] {
  const oldestFirst = Object.entries(devices).sort(([, a], [, b]) => a.localeCompare(b)).map(([hash]) => hash);
  return oldestFirst.slice(0, Math.max(0, oldestFirst.length - (maxDevicesPerUser - 1)));
}

/**
 * Opens a session only while the user's session version is still the one the password was
 * checked against: a sign-in racing a password change cannot outlive it. `user` is the item
 * as read before the check; sessions over or past the cap are dropped in the same write. A
 * conflict means the item changed meanwhile (or there is no such user): read it again and decide.
 */
export async function addSession(user: UserRecord, tokenHash: string, expiresAt: string): Promise<'created' | 'conflict'> {
  const names: Record<string, string> = { '#new': tokenHash };
  const removes: string[] = [];
  sessionsToDrop(user.sessions, new Date().toISOString()).forEach((hash, index) => {
    names[`#d${index}`] = hash;
    removes.push(`sessions.#d${index}`);
  });
  const outcome = await conditionalWrite(() =>
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.user(user.tenantId, user.id),
        UpdateExpression: `SET sessions.#new = :expiresAt${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression: 'sessionVersion = :version',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':version': user.sessionVersion, ':expiresAt': expiresAt },
      }),
    ),
  );
  return outcome === 'written' ? 'created' : 'conflict';
}

/**
 * Records a sign-in whose password just matched: when, and (from a device the user had not
 * shown) its new device token, forgetting the oldest past the cap. Only after the check: a
 * wrong password must never push a real device out.
 */
export async function recordSignIn(user: UserRecord, at: string, device?: NewDevice): Promise<void> {
  const names: Record<string, string> = {};
  const removes: string[] = [];
  const values: Record<string, unknown> = { ':at': at, ':version': user.sessionVersion };
  // The day is on the user list's index: written only when it changes, so most sign-ins write no index.
  const day = at.slice(0, 10);
  const setDay = user.lastSignInDate === day ? '' : ', lastSignInDate = :day';
  if (setDay) values[':day'] = day;
  let setDevice = '';
  if (device) {
    names['#device'] = device.hash;
    setDevice = ', devices.#device = :issuedAt';
    values[':issuedAt'] = device.issuedAt;
    devicesToDrop(user.devices).forEach((hash, index) => {
      names[`#old${index}`] = hash;
      removes.push(`devices.#old${index}`);
    });
  }
  await conditionalWrite(() =>
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.user(user.tenantId, user.id),
        UpdateExpression: `SET lastSignInAt = :at${setDay}${setDevice}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
        // Not across a password change or a deactivation, which forget every device.
        ConditionExpression: 'sessionVersion = :version',
        ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: values,
      }),
    ),
  );
}

/**
 * Ends one session at once: a sign-out, or a session written while a password was checked that
 * turned out wrong. A user gone meanwhile (or a decoy that never existed) has nothing to end,
 * and nothing is written.
 */
export async function removeSession(user: UserRecord, tokenHash: string): Promise<void> {
  await conditionalWrite(() =>
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.user(user.tenantId, user.id),
        UpdateExpression: 'REMOVE sessions.#session',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#session': tokenHash },
      }),
    ),
  );
}

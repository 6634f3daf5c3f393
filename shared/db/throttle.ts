import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import { keys } from './keys';
import { conditionalWrite } from './transactions';

/**
 * Takes one attempt from a counter unless it has reached its limit: one conditional
 * increment, so that N requests at once take N attempts and the (N+1)th past the limit is
 * refused. Counters expire by TTL.
 */
export async function takeAttempt(name: string, window: string, limit: number, expiresAt: number): Promise<boolean> {
  const outcome = await conditionalWrite(() =>
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.throttle(name, window),
        UpdateExpression: 'ADD #count :one SET #ttl = :ttl',
        ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
        ExpressionAttributeNames: { '#count': 'count', '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':ttl': expiresAt },
      }),
    ),
  );
  return outcome === 'written';
}

/** Gives back an attempt that turned out not to be a failure. */
export async function giveBackAttempt(name: string, window: string): Promise<void> {
  // A failed condition: reset or expired meanwhile, nothing to give back.
  await conditionalWrite(() =>
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.throttle(name, window),
        UpdateExpression: 'ADD #count :minusOne',
        ConditionExpression: '#count > :zero',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0 },
      }),
    ),
  );
}

/** Starts a counter again from zero (consecutive failures end with a success). */
export async function resetCounter(name: string, window: string): Promise<void> {
  await db.send(new DeleteCommand({ TableName: tableName, Key: keys.throttle(name, window) }));
}

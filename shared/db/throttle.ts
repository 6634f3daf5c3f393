import { BatchGetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import { keys } from './keys';

/** Failure counts of the current fixed window, by counter name. Counters expire by TTL. */
export async function readCounters(names: string[], window: number): Promise<Map<string, number>> {
  const { Responses } = await db.send(
    new BatchGetCommand({ RequestItems: { [tableName]: { Keys: names.map((name) => keys.throttle(name, window)), ConsistentRead: true } } }),
  );
  const counts = new Map<string, number>();
  for (const item of Responses?.[tableName] ?? []) counts.set((item.pk as string).slice('RL#'.length), item.count as number);
  return counts;
}

export async function incrementCounters(names: string[], window: number, expiresAt: number): Promise<void> {
  await Promise.all(
    names.map((name) =>
      db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.throttle(name, window),
          UpdateExpression: 'ADD #count :one SET #ttl = :ttl',
          ExpressionAttributeNames: { '#count': 'count', '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':one': 1, ':ttl': expiresAt },
        }),
      ),
    ),
  );
}

import { BatchGetCommand, BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import type { Key } from './keys';
import { withRetries } from '../core/retry';

/** Some items came back unprocessed (DynamoDB's way of throttling a batch): they are sent again. */
class Unprocessed extends Error {
  override readonly name = 'Unprocessed';
}

const unprocessedRetries = (what: string) => ({
  attempts: 10,
  baseMs: 50,
  maxMs: 2000,
  retryable: (error: unknown) => error instanceof Unprocessed,
  exhausted: () => Object.assign(new Error(`${what} stayed unprocessed`), { name: 'ThrottlingException' }),
});

/**
 * Reads any number of keys, 100 a request, and retries what DynamoDB leaves unprocessed.
 * Items that do not exist are simply absent from the answer.
 */
export async function batchGetAll(keyList: readonly Key[], options: { consistent?: boolean; projection?: string } = {}): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  for (let start = 0; start < keyList.length; start += 100) {
    let pending: Record<string, unknown>[] | undefined = keyList.slice(start, start + 100);
    await withRetries(async () => {
      const answer: { Responses?: Record<string, Record<string, unknown>[]>; UnprocessedKeys?: Record<string, { Keys?: Record<string, unknown>[] }> } = await db.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: { Keys: pending, ...(options.consistent ? { ConsistentRead: true } : {}), ...(options.projection ? { ProjectionExpression: options.projection } : {}) },
          },
        }),
      );
      found.push(...(answer.Responses?.[tableName] ?? []));
      pending = answer.UnprocessedKeys?.[tableName]?.Keys;
      if (pending && pending.length > 0) throw new Unprocessed();
    }, unprocessedRetries('A batch read'));
  }
  return found;
}

/** Puts any number of items, 25 a request, and retries what DynamoDB leaves unprocessed. */
export async function batchPutAll(items: readonly Record<string, unknown>[]): Promise<void> {
  for (let start = 0; start < items.length; start += 25) {
    let pending: unknown[] | undefined = items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
    await withRetries(async () => {
      const answer: { UnprocessedItems?: Record<string, unknown[]> } = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending as never } }));
      pending = answer.UnprocessedItems?.[tableName];
      if (pending && pending.length > 0) throw new Unprocessed();
    }, unprocessedRetries('A batch write'));
  }
}

/**
 * Deletes any number of keys, 25 a request, and sends again what DynamoDB leaves unprocessed
 * (real DynamoDB does so when throttled; deleting a key that is gone already is no error).
 */
export async function batchDeleteAll(keyList: readonly Key[]): Promise<void> {
  for (let start = 0; start < keyList.length; start += 25) {
    let pending: unknown[] | undefined = keyList.slice(start, start + 25).map(({ pk, sk }) => ({ DeleteRequest: { Key: { pk, sk } } }));
    await withRetries(async () => {
      const answer: { UnprocessedItems?: Record<string, unknown[]> } = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending as never } }));
      pending = answer.UnprocessedItems?.[tableName];
      if (pending && pending.length > 0) throw new Unprocessed();
    }, unprocessedRetries('A batch delete'));
  }
}

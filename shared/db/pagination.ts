import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../core/errors';
import { db, tableName } from './client';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PartitionQuery<T> {
  pk: string;
  skPrefix: string;
  limit: number;
  cursor?: string;
  /** A DynamoDB filter; pages are filled up to `limit` across reads. */
  filter?: { expression: string; names?: Record<string, string>; values?: Record<string, unknown> };
  newestFirst?: boolean;
  map: (item: Record<string, unknown>) => T;
}

/** Reads of one filtered page are bounded; past this the page ends early with a cursor. */
const maxReadsPerPage = 10;

/** A cursor names only the sort key, so it can never reach outside the caller's partition and prefix. */
export function encodeCursor(sk: string): string {
  return Buffer.from(JSON.stringify({ sk }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, skPrefix: string): string {
  try {
    const { sk } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { sk?: unknown };
    // DynamoDB refuses sort keys over 1,024 bytes; a forged one is refused here instead.
    if (typeof sk === 'string' && sk.startsWith(skPrefix) && Buffer.byteLength(sk, 'utf8') <= 1024 && sk.isWellFormed()) return sk;
  } catch {
    // falls through to the refusal below
  }
  throw new DomainError('invalid_cursor', 'The cursor does not belong to this list; start again without it.');
}

type Filter = PartitionQuery<unknown>['filter'];

/** The Query of items of one partition under a sort-key prefix, optionally filtered. */
function prefixQuery(pk: string, skPrefix: string, filter: Filter) {
  return {
    TableName: tableName,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix, ...filter?.values },
    ...(filter ? { FilterExpression: filter.expression } : {}),
    ...(filter?.names ? { ExpressionAttributeNames: filter.names } : {}),
  };
}

export async function queryPartition<T>(query: PartitionQuery<T>): Promise<Page<T>> {
  const items: T[] = [];
  let startSk = query.cursor ? decodeCursor(query.cursor, query.skPrefix) : undefined;
  for (let reads = 0; reads < maxReadsPerPage; reads++) {
    const wanted = query.limit - items.length;
    const page = await db.send(
      new QueryCommand({
        ...prefixQuery(query.pk, query.skPrefix, query.filter),
        ...(startSk ? { ExclusiveStartKey: { pk: query.pk, sk: startSk } } : {}),
        Limit: query.filter ? Math.max(wanted, 100) : wanted,
        ScanIndexForward: !query.newestFirst,
      }),
    );
    for (const item of page.Items ?? []) {
      items.push(query.map(item));
      startSk = item.sk as string;
      if (items.length === query.limit) return { items, nextCursor: encodeCursor(startSk) };
    }
    if (!page.LastEvaluatedKey) return { items, nextCursor: null };
    startSk = page.LastEvaluatedKey.sk as string;
  }
  return { items, nextCursor: startSk ? encodeCursor(startSk) : null };
}

/** Every item of a partition under a prefix, a page at a time, so a caller never holds them all. */
export async function* everyPage(query: { pk: string; skPrefix: string; filter?: Filter; projection?: string }): AsyncGenerator<Record<string, unknown>[]> {
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        ...prefixQuery(query.pk, query.skPrefix, query.filter),
        ...(query.projection ? { ProjectionExpression: query.projection } : {}),
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
    );
    yield page.Items ?? [];
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
}

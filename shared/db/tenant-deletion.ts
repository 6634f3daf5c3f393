import { DeleteCommand, GetCommand, QueryCommand, UpdateCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import { keys, tableSchema, type Key } from './keys';
import { transactWrite } from './transactions';
import { isConditionFailure } from './errors';

/** An organisation's deletion: who asked, how far the sweep is, what it has deleted. */
export interface DeletionRecord {
  tenantId: string;
  domain: string;
  status: 'deleting' | 'deleted';
  startedAt: string;
  finishedAt?: string;
  itemsDeleted: number;
  objectsDeleted: number;
  /** The sweep's next step (an index into the worker's list of steps). */
  step: number;
  /** When the worker last saved progress: a deletion that stops moving is started again by the next DELETE. */
  progressAt: string;
  /** The end of the pause before the second pass, once it began. */
  settleUntil?: string;
  /** The operator's action, kept here since the tenant's own audit log goes with it. */
  requestedBy: { kind: 'operator'; clientIp: string };
  ttl: number;
}

export async function getDeletion(tenantId: string): Promise<DeletionRecord | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.tenantDeletion(tenantId), ConsistentRead: true }));
  return Item as DeletionRecord | undefined;
}

/**
 * Writes the deletion record and marks the tenant `deleting` in one transaction: of two
 * DELETEs at once one starts the sweep, the other finds the record. The tenant stays in
 * place, so its domain stays claimed until the sweep ends.
 */
export async function startDeletion(record: DeletionRecord): Promise<'started' | 'already_deleting' | 'no_tenant'> {
  const failed = await transactWrite([
    { Put: { TableName: tableName, Item: { ...keys.tenantDeletion(record.tenantId), type: 'tenantDeletion', ...record }, ConditionExpression: 'attribute_not_exists(pk)' } },
    { Update: { TableName: tableName, Key: keys.tenant(record.tenantId), UpdateExpression: 'SET deleting = :yes', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':yes': true } } },
  ]);
  if (failed.has(0)) return 'already_deleting';
  if (failed.has(1)) return 'no_tenant';
  return 'started';
}

/** Adds what a page deleted; saved after each page, so a run that dies loses at most one page's count. */
export async function addProgress(tenantId: string, items: number, objects: number, at: string): Promise<void> {
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: keys.tenantDeletion(tenantId),
      UpdateExpression: 'ADD itemsDeleted :items, objectsDeleted :objects SET progressAt = :at',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':items': items, ':objects': objects, ':at': at },
    }),
  );
}

export async function setStep(tenantId: string, step: number, at: string): Promise<void> {
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: keys.tenantDeletion(tenantId),
      UpdateExpression: 'SET step = :step, progressAt = :at',
      ConditionExpression: 'attribute_exists(pk) AND step < :step',
      ExpressionAttributeValues: { ':step': step, ':at': at },
    }),
  ).catch((error: unknown) => {
    // Another run of the same sweep got there first.
    if (!isConditionFailure(error)) throw error;
  });
}

/** The pause's end, set by the first run to reach it: a resumed run waits for the same moment. */
export async function settleUntil(tenantId: string, until: string): Promise<string> {
  const { Attributes } = await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: keys.tenantDeletion(tenantId),
      UpdateExpression: 'SET settleUntil = if_not_exists(settleUntil, :until)',
      ExpressionAttributeValues: { ':until': until },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return Attributes!.settleUntil as string;
}

export async function finishDeletion(tenantId: string, finishedAt: string, ttl: number): Promise<void> {
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: keys.tenantDeletion(tenantId),
      UpdateExpression: 'SET #status = :deleted, finishedAt = :at, progressAt = :at, #ttl = :ttl',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#status': 'status', '#ttl': tableSchema.ttlAttribute },
      ExpressionAttributeValues: { ':deleted': 'deleted', ':at': finishedAt, ':ttl': ttl },
    }),
  );
}

/** Pages of a query, each as it comes (consistent on the table, as fresh as the index allows on gsi2). */
async function* pages(input: Omit<QueryCommandInput, 'TableName'>): AsyncGenerator<Record<string, unknown>[]> {
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new QueryCommand({ ...input, TableName: tableName, ExclusiveStartKey }));
    yield page.Items ?? [];
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
}

/** Every key under one partition key, a page at a time, read consistently. */
export function keysUnder(pk: string): AsyncGenerator<Record<string, unknown>[]> {
  return pages({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ProjectionExpression: 'pk, sk', ConsistentRead: true, Limit: 100 });
}

/** One gsi2 listing collection (users or invitations of one shard), a page at a time: each item's partition, uid and email. */
export function listed(gsi2pk: string): AsyncGenerator<Record<string, unknown>[]> {
  return pages({
    IndexName: tableSchema.gsi2.name,
    KeyConditionExpression: 'gsi2pk = :pk',
    ExpressionAttributeValues: { ':pk': gsi2pk },
    ProjectionExpression: 'pk, uid, email',
    Limit: 100,
  });
}

/** Deletes a claim (email or domain) only while it is still this tenant's: true when it did. */
export async function deleteClaimOf(key: Key, tenantId: string): Promise<boolean> {
  try {
    const { Attributes } = await db.send(
      new DeleteCommand({ TableName: tableName, Key: key, ConditionExpression: 'tenantId = :tenant', ExpressionAttributeValues: { ':tenant': tenantId }, ReturnValues: 'ALL_OLD' }),
    );
    return Attributes !== undefined;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Deletes one item: true when it was there. */
export async function deleteItem(key: Key): Promise<boolean> {
  const { Attributes } = await db.send(new DeleteCommand({ TableName: tableName, Key: key, ReturnValues: 'ALL_OLD' }));
  return Attributes !== undefined;
}

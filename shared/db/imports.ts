import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetAll, batchPutAll } from './batch';
import { db, tableName } from './client';
import { keys, recordOf } from './keys';
import { isConditionFailure } from './errors';
import { queryShards, type Page } from './pagination';
import { pendingInvitationItem, type InvitationRecord } from './invitations';
import { conditionalWrite } from './transactions';

export type ImportStatus = 'awaiting_upload' | 'processing' | 'completed' | 'failed';

export interface ImportCounters {
  totalRows: number;
  processedRows: number;
  invitedCount: number;
  failedCount: number;
}

export interface ImportRecord extends ImportCounters {
  id: string;
  tenantId: string;
  status: ImportStatus;
  dryRun: boolean;
  fileName?: string;
  uploadKey: string;
  reportKey: string;
  uploadExpiresAt: string;
  createdAt: string;
  createdBy: string;
  /** The worker holding the import refreshes this while it runs; a stale one may be taken over. */
  heartbeatAt?: string;
  claimId?: string;
  attempts?: number;
  completedAt?: string;
  /** When the worker took it (the upload's event arrived). */
  claimedAt?: string;
  failure?: { code: string; message: string };
  /** Where a completed import's time went, by phase (fetch, archive, parse, checks, writes, report). */
  phasesMs?: Record<string, number>;
}

export interface RowError {
  row: number;
  uid: string;
  code: string;
  message: string;
}

const toImport = (item: Record<string, unknown>): ImportRecord => recordOf<ImportRecord>(item);

export async function putImport(record: ImportRecord): Promise<void> {
  await db.send(new PutCommand({ TableName: tableName, Item: { ...keys.import(record.tenantId, record.id), type: 'import', ...record }, ConditionExpression: 'attribute_not_exists(pk)' }));
}

export async function getImport(tenantId: string, importId: string): Promise<ImportRecord | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.import(tenantId, importId), ConsistentRead: true }));
  return Item ? toImport(Item) : undefined;
}

/**
 * Takes the import for one worker: a fresh upload, or one whose worker stopped
 * heart-beating (it crashed or timed out). A duplicate or concurrent event finds it taken.
 */
export async function claimImport(tenantId: string, importId: string, claimId: string, now: string, staleBefore: string): Promise<ImportRecord | undefined> {
  try {
    const { Attributes } = await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.import(tenantId, importId),
        UpdateExpression: 'SET #status = :processing, claimId = :claim, heartbeatAt = :now, claimedAt = :now, attempts = if_not_exists(attempts, :zero) + :one',
        ConditionExpression: 'attribute_exists(pk) AND (#status = :awaiting OR (#status = :processing AND heartbeatAt < :stale))',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':processing': 'processing', ':awaiting': 'awaiting_upload', ':claim': claimId, ':now': now, ':stale': staleBefore, ':zero': 0, ':one': 1 },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Attributes ? toImport(Attributes) : undefined;
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

/** Writes the counters and the heartbeat; false when another worker has taken the import over. */
export async function recordProgress(record: ImportRecord, claimId: string, counters: ImportCounters, now: string): Promise<boolean> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.import(record.tenantId, record.id),
        UpdateExpression: 'SET totalRows = :total, processedRows = :processed, invitedCount = :invited, failedCount = :failed, heartbeatAt = :now',
        ConditionExpression: 'claimId = :claim AND #status = :processing',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':total': counters.totalRows,
          ':processed': counters.processedRows,
          ':invited': counters.invitedCount,
          ':failed': counters.failedCount,
          ':now': now,
          ':claim': claimId,
          ':processing': 'processing',
        },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

export async function finishImport(
  record: ImportRecord,
  claimId: string,
  outcome: { status: 'completed' | 'failed'; counters: ImportCounters; failure?: { code: string; message: string }; phasesMs?: Record<string, number> },
  now: string,
): Promise<boolean> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.import(record.tenantId, record.id),
        UpdateExpression: `SET #status = :status, totalRows = :total, processedRows = :processed, invitedCount = :invited, failedCount = :failed, completedAt = :now, heartbeatAt = :now${outcome.failure ? ', failure = :failure' : ''}${outcome.phasesMs ? ', phasesMs = :phases' : ''}`,
        ConditionExpression: 'claimId = :claim AND #status = :processing',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': outcome.status,
          ':total': outcome.counters.totalRows,
          ':processed': outcome.counters.processedRows,
          ':invited': outcome.counters.invitedCount,
          ':failed': outcome.counters.failedCount,
          ':now': now,
          ':claim': claimId,
          ':processing': 'processing',
          ...(outcome.failure ? { ':failure': outcome.failure } : {}),
          ...(outcome.phasesMs ? { ':phases': outcome.phasesMs } : {}),
        },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/**
 * Marks an import failed that no worker will finish (Lambda gave up on it). Idempotent:
 * false when it had already completed or failed.
 */
export async function abandonImport(tenantId: string, importId: string, failure: { code: string; message: string }, now: string): Promise<boolean> {
  const outcome = await conditionalWrite(() =>
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.import(tenantId, importId),
        UpdateExpression: 'SET #status = :failed, failure = :failure, completedAt = :now REMOVE claimId',
        ConditionExpression: '#status IN (:awaiting, :processing)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':failed': 'failed', ':failure': failure, ':now': now, ':awaiting': 'awaiting_upload', ':processing': 'processing' },
      }),
    ),
  );
  return outcome === 'written';
}

/** Stores row errors, 25 a request, retrying what DynamoDB leaves unprocessed. Rewriting a row's error is harmless. */
export async function putRowErrors(tenantId: string, importId: string, errors: RowError[]): Promise<void> {
  await batchPutAll(errors.map((error) => ({ ...keys.importError(tenantId, importId, error.row), type: 'importError', ...error })));
}

export function listRowErrors(tenantId: string, importId: string, page: { limit: number; cursor?: string }): Promise<Page<RowError>> {
  return queryShards({
    pks: keys.importErrorShards(tenantId, importId),
    skPrefix: '',
    consistent: true,
    ...page,
    map: (item) => ({ row: item.row as number, uid: item.uid as string, code: item.code as string, message: item.message as string }),
  });
}

/** Every row error of an import, in row order, for the report. */
export async function allRowErrors(tenantId: string, importId: string): Promise<Map<number, RowError>> {
  const errors = new Map<number, RowError>();
  let cursor: string | undefined;
  do {
    const page = await listRowErrors(tenantId, importId, { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const error of page.items) errors.set(error.row, error);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return errors;
}

export type InviteOutcome = 'invited' | 'already_invited_by_this_import' | 'uid_taken';

/**
 * Invites one imported row with a conditional put: 1 write unit, where a transaction costs 2,
 * and no row waits for another's conflict. A uid claimed earlier by this same import (a rerun
 * after a crash) counts as invited, not as taken.
 */
export async function putImportedInvitation(invitation: InvitationRecord & { importId: string }): Promise<InviteOutcome> {
  try {
    await db.send(new PutCommand({ TableName: tableName, Item: pendingInvitationItem(invitation), ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
    return 'invited';
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    // The refusal carries the item that holds the uid, in DynamoDB's own JSON; read it if it does not.
    const importId = (error as { Item?: Record<string, { S?: string }> }).Item?.importId?.S ?? (await claimingImportOf(invitation));
    return importId === invitation.importId ? 'already_invited_by_this_import' : 'uid_taken';
  }
}

async function claimingImportOf(invitation: InvitationRecord): Promise<string | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.uidClaim(invitation.tenantId, invitation.uid), ConsistentRead: true, ProjectionExpression: 'importId' }));
  return Item?.importId as string | undefined;
}

/** For a dry run: which of these uids are already claimed in the tenant. */
export async function takenUids(tenantId: string, uids: string[]): Promise<Set<string>> {
  const claimed = await batchGetAll(
    uids.map((uid) => keys.uidClaim(tenantId, uid)),
    { projection: 'uid' },
  );
  return new Set(claimed.map((item) => (item.uid as string).toLowerCase()));
}

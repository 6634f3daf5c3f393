import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetAll, batchPutAll } from './batch';
import { db, tableName } from './client';
import { keys, recordOf } from './keys';
import { isConditionFailure } from './errors';
import { everyShardedPage, queryShards, type Page } from './pagination';
import { pendingInvitationItem, toInvitation, type InvitationRecord } from './invitations';
import { toUserRecord, type UserRecord } from './users';
import { conditionalWrite } from './transactions';
import type { CreatedByKey } from './audit';

export type ImportStatus = 'awaiting_upload' | 'processing' | 'completed' | 'failed';
export type ImportMode = 'add' | 'sync';

export interface ImportCounters {
  totalRows: number;
  processedRows: number;
  invitedCount: number;
  unchangedCount: number;
  updatedCount: number;
  failedCount: number;
  deactivatedCount: number;
  revokedCount: number;
}

export const noCounts = (): ImportCounters => ({ totalRows: 0, processedRows: 0, invitedCount: 0, unchangedCount: 0, updatedCount: 0, failedCount: 0, deactivatedCount: 0, revokedCount: 0 });

/** What the worker stores as it goes: the counters, and the columns of the file that matched nothing. */
export type ImportState = ImportCounters & { ignoredColumns: string[] };

export interface ImportRecord extends ImportCounters {
  id: string;
  tenantId: string;
  status: ImportStatus;
  dryRun: boolean;
  mode: ImportMode;
  /** A sync may deactivate or revoke more than half of the people it manages only when asked to. */
  allowMassRemoval?: boolean;
  ignoredColumns: string[];
  fileName?: string;
  uploadKey: string;
  reportKey: string;
  uploadExpiresAt: string;
  createdAt: string;
  createdBy: string;
  createdByKey?: CreatedByKey;
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

/** Imports stored before sync existed have no mode, newer counters or ignored columns: they were adds. */
type StoredImport = Omit<ImportRecord, 'mode' | 'ignoredColumns' | keyof ImportCounters> & Partial<ImportRecord>;
const toImport = (item: Record<string, unknown>): ImportRecord => ({ ...noCounts(), mode: 'add', ignoredColumns: [], ...recordOf<StoredImport>(item) });

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

/** SET clauses and values for the worker's state. */
function stateUpdate(state: ImportState) {
  const entries = Object.entries(state);
  return {
    set: entries.map((_entry, index) => `#s${index} = :s${index}`).join(', '),
    names: Object.fromEntries(entries.map(([field], index) => [`#s${index}`, field])),
    values: Object.fromEntries(entries.map(([, value], index) => [`:s${index}`, value])),
  };
}

/** Writes the counters and the heartbeat; false when another worker has taken the import over. */
export async function recordProgress(record: ImportRecord, claimId: string, state: ImportState, now: string): Promise<boolean> {
  const update = stateUpdate(state);
  try {
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.import(record.tenantId, record.id),
        UpdateExpression: `SET ${update.set}, heartbeatAt = :now`,
        ConditionExpression: 'claimId = :claim AND #status = :processing',
        ExpressionAttributeNames: { '#status': 'status', ...update.names },
        ExpressionAttributeValues: { ...update.values, ':now': now, ':claim': claimId, ':processing': 'processing' },
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
  outcome: { status: 'completed' | 'failed'; state: ImportState; failure?: { code: string; message: string }; phasesMs?: Record<string, number> },
  now: string,
): Promise<boolean> {
  const update = stateUpdate(outcome.state);
  try {
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.import(record.tenantId, record.id),
        UpdateExpression: `SET #status = :status, ${update.set}, completedAt = :now, heartbeatAt = :now${outcome.failure ? ', failure = :failure' : ''}${outcome.phasesMs ? ', phasesMs = :phases' : ''}`,
        ConditionExpression: 'claimId = :claim AND #status = :processing',
        ExpressionAttributeNames: { '#status': 'status', ...update.names },
        ExpressionAttributeValues: {
          ...update.values,
          ':status': outcome.status,
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

export type InviteOutcome = { outcome: 'invited' } | { outcome: 'held'; claim: InvitationRecord };

/**
 * Invites one imported row with a conditional put: 1 write unit, where a transaction costs 2,
 * and no row waits for another's conflict. A uid claimed earlier by this same import (a rerun
 * after a crash) counts as invited; otherwise the answer is the claim that holds the uid
 * (a user's or a pending invitation), read strongly consistent.
 */
export async function putImportedInvitation(invitation: InvitationRecord & { importId: string }): Promise<InviteOutcome> {
  try {
    await db.send(new PutCommand({ TableName: tableName, Item: pendingInvitationItem(invitation), ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
    return { outcome: 'invited' };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    // The refusal carries the item that holds the uid, in DynamoDB's own JSON: enough to recognise this import's own rows.
    if ((error as { Item?: Record<string, { S?: string }> }).Item?.importId?.S === invitation.importId) return { outcome: 'invited' };
    const claim = await getClaim(invitation.tenantId, invitation.uid);
    // Gone between the put and the read (revoked, renamed): nothing holds the uid any more, so this row is not an existing person.
    if (!claim) return putImportedInvitation(invitation);
    return claim.importId === invitation.importId ? { outcome: 'invited' } : { outcome: 'held', claim };
  }
}

async function getClaim(tenantId: string, uid: string): Promise<InvitationRecord | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.uidClaim(tenantId, uid), ConsistentRead: true }));
  return Item ? toInvitation(Item) : undefined;
}

/** For a dry run: the claims that hold these uids in the tenant, by lower-cased uid. */
export async function claimsOf(tenantId: string, uids: string[]): Promise<Map<string, InvitationRecord>> {
  const claimed = await batchGetAll(
    uids.map((uid) => keys.uidClaim(tenantId, uid)),
    { consistent: true },
  );
  return new Map(claimed.map((item) => [(item.uid as string).toLowerCase(), toInvitation(item)]));
}

/** What a sync changed about one person, stored with the change, so that a rerun counts it once and the report lists it. */
export interface ImportChange {
  uid: string;
  what: 'updated' | 'deactivated' | 'revoked';
  /** The user's or the invitation's id. */
  id: string;
  signInIdentifier: string;
  /** For an update: what was changed. */
  changed?: string[];
}

/** The put of a change's record, to write in the change's own transaction. No names: a deleted person leaves none here. */
export const importChangePut = (tenantId: string, importId: string, change: ImportChange) => ({
  Put: { TableName: tableName, Item: { ...keys.importChange(tenantId, importId, change.uid), type: 'importChange', ...change } },
});

/** Every change an import made, by lower-cased uid (strongly consistent: the table, not an index). */
export async function importChanges(tenantId: string, importId: string): Promise<Map<string, ImportChange>> {
  const changes = new Map<string, ImportChange>();
  for await (const items of everyShardedPage({ pks: keys.importChangeShards(tenantId, importId), skPrefix: '', consistent: true })) {
    for (const item of items) {
      const { uid, what, id, signInIdentifier, changed } = item as unknown as ImportChange;
      changes.set(uid.toLowerCase(), { uid, what, id, signInIdentifier, ...(changed ? { changed } : {}) });
    }
  }
  return changes;
}

/** A person a sync may deactivate, as the user list shows them. */
export type ListedUser = Pick<UserRecord, 'id' | 'uid' | 'email' | 'role' | 'status' | 'firstName' | 'lastName'>;

/**
 * Every user and every pending invitation of the tenant, from the sharded listings: an index,
 * so eventually consistent (someone added a moment ago may be missing; a stale entry is read
 * again from the table before anything is changed).
 */
export async function listPeople(tenantId: string): Promise<{ users: ListedUser[]; pending: InvitationRecord[] }> {
  const users: ListedUser[] = [];
  const pending: InvitationRecord[] = [];
  const userPages = everyShardedPage({ index: 'gsi2', pks: keys.userListingShards(tenantId), skPrefix: keys.userListingPrefix() });
  for await (const items of userPages) for (const item of items) users.push(toUserRecord(item));
  const invitationPages = everyShardedPage({
    index: 'gsi2',
    pks: keys.invitationListingShards(tenantId),
    skPrefix: keys.invitationListingPrefix(),
    filter: { expression: '#status = :pending', names: { '#status': 'status' }, values: { ':pending': 'pending' } },
  });
  for await (const items of invitationPages) for (const item of items) pending.push(toInvitation(item));
  return { users, pending };
}

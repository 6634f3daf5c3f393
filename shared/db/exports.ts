import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { everyShardedPage } from './pagination';
import { db, tableName } from './client';
import { keys, recordOf } from './keys';
import { finishJob, type JobOutcome } from './jobs';
import { toInvitation, type InvitationRecord } from './invitations';

export interface ExportRecord {
  id: string;
  tenantId: string;
  kind: 'invitations';
  statuses?: string[];
  status: 'running' | 'completed' | 'failed';
  fileKey: string;
  createdAt: string;
  createdBy: string;
  count?: number;
  completedAt?: string;
  failure?: { code: string; message: string };
}

export async function putExport(record: ExportRecord): Promise<void> {
  await db.send(new PutCommand({ TableName: tableName, Item: { ...keys.export(record.tenantId, record.id), type: 'export', ...record }, ConditionExpression: 'attribute_not_exists(pk)' }));
}

export async function getExport(tenantId: string, exportId: string): Promise<ExportRecord | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.export(tenantId, exportId), ConsistentRead: true }));
  return Item ? recordOf<ExportRecord>(Item) : undefined;
}

/** Finishes a running export; one already finished (by a retried invocation, or marked failed) stays as it is. */
/** Whether this call finished the export (false: it had finished already). */
export function finishExport(record: Pick<ExportRecord, 'tenantId' | 'id'>, outcome: JobOutcome): Promise<boolean> {
  return finishJob(keys.export(record.tenantId, record.id), outcome);
}

/** Every invitation of a tenant (pending, accepted and revoked), page by page, without holding them all. */
export async function* allInvitations(tenantId: string): AsyncGenerator<InvitationRecord[]> {
  // The listing index, merged in uid order; an invitation written in the last moment may not be in it yet.
  const pages = everyShardedPage({ index: 'gsi2', pks: keys.invitationListingShards(tenantId), skPrefix: keys.invitationListingPrefix() });
  for await (const items of pages) {
    yield items.map(toInvitation);
  }
}

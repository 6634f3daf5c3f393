import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import { keys } from './keys';
import { queryShards, type Page } from './pagination';
import { newId } from '../auth/tokens';

export interface AuditEntry {
  at: string;
  actor: { userId?: string; kind: 'user' | 'operator' | 'system'; signInIdentifier?: string };
  action: string;
  /** A person's or an invitation's sign-in identifier as it was; never a name (names are looked up when the log is read). */
  target: { type: string; id: string; signInIdentifier?: string };
  /** Facts about the action, never a secret. */
  details?: Record<string, unknown>;
}

/** An audit item to put in the same transaction as the change it records. */
export function auditPut(tenantId: string, entry: AuditEntry) {
  return {
    Put: {
      TableName: tableName,
      Item: { ...keys.audit(tenantId, entry.at, newId()), type: 'audit', ...entry },
    },
  };
}

/** Records an action that changes nothing else (a code viewed, say). */
export async function putAudit(tenantId: string, entry: AuditEntry): Promise<void> {
  await db.send(new PutCommand(auditPut(tenantId, entry).Put));
}

const toEntry = (item: Record<string, unknown>): AuditEntry => {
  const { at, actor, action, target, details } = item as unknown as AuditEntry;
  return { at, actor, action, target, ...(details ? { details } : {}) };
};

/** A tenant's audit entries, newest first, merged from the audit shards. */
export function listAuditEntries(tenantId: string, page: { limit: number; cursor?: string }): Promise<Page<AuditEntry>> {
  return queryShards({ pks: keys.auditShards(tenantId), skPrefix: '', ...page, newestFirst: true, consistent: true, map: toEntry });
}

import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import { keys } from './keys';
import { queryShards, type Page } from './pagination';
import { newId } from '../auth/tokens';

export interface AuditEntry {
  at: string;
  /** A person (userId, signInIdentifier), or an API key (apiKeyId and its name, which never changes). */
  actor: { userId?: string; kind: 'user' | 'operator' | 'system' | 'apiKey'; signInIdentifier?: string; apiKeyId?: string; name?: string };
  action: string;
  /** A person's or an invitation's sign-in identifier as it was; never a name (names are looked up when the log is read). */
  target: { type: string; id: string; signInIdentifier?: string };
  /** Facts about the action, never a secret. */
  details?: Record<string, unknown>;
}

/** The API key that created a job, kept on the job so that its worker's audit entries name the key. */
export interface CreatedByKey {
  id: string;
  name: string;
}

/** The actor of a job's later entries: the key that created it, or else the person. */
export const jobActor = (createdBy: string, signInIdentifier: string | undefined, key: CreatedByKey | undefined): AuditEntry['actor'] =>
  key ? { kind: 'apiKey', apiKeyId: key.id, name: key.name } : { kind: 'user', userId: createdBy, ...(signInIdentifier !== undefined ? { signInIdentifier } : {}) };

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

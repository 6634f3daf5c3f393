import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { auditPut, type AuditEntry } from './audit';
import { db, tableName } from './client';
import { isConditionFailure } from './errors';
import type { Key } from './keys';
import { transactWrite, type TransactItems } from './transactions';

export interface JobOutcome {
  status: 'completed' | 'failed';
  count: number;
  failure?: { code: string; message: string };
  /** Anything else the finished job records (a letter run's page count). */
  extra?: Record<string, string | number>;
}

/**
 * Finishes a running export or letter run. One already finished (by a retried invocation, or
 * marked failed once Lambda gave up) stays as it is: the write is conditioned on "running".
 * With an audit entry, both are one transaction: the entry is written exactly when the job
 * finishes, never twice and never lost between the two (and `also`, what else finishing
 * changes). Answers whether this call finished it.
 */
export async function finishJob(key: Key, outcome: JobOutcome, audit?: { tenantId: string; entry: AuditEntry }, also: TransactItems = []): Promise<boolean> {
  const extra = Object.entries(outcome.extra ?? {});
  const update = {
    TableName: tableName,
    Key: key,
    UpdateExpression: `SET #status = :status, #count = :count, completedAt = :now${outcome.failure ? ', failure = :failure' : ''}${extra.map((_, index) => `, #x${index} = :x${index}`).join('')}`,
    ConditionExpression: '#status = :running',
    ExpressionAttributeNames: { '#status': 'status', '#count': 'count', ...Object.fromEntries(extra.map(([name], index) => [`#x${index}`, name])) },
    ExpressionAttributeValues: {
      ':status': outcome.status,
      ':count': outcome.count,
      ':now': new Date().toISOString(),
      ':running': 'running',
      ...(outcome.failure ? { ':failure': outcome.failure } : {}),
      ...Object.fromEntries(extra.map(([, value], index) => [`:x${index}`, value])),
    },
  };
  if (audit) return (await transactWrite([{ Update: update }, auditPut(audit.tenantId, audit.entry), ...also])).size === 0;
  try {
    await db.send(new UpdateCommand(update));
    return true;
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    return false;
  }
}

import { config } from '../config';
import { invokeInBackground } from '../aws/invoke';
import { getTenant } from '../db/tenants';
import { getDeletion, startDeletion, type DeletionRecord } from '../db/tenant-deletion';
import { ttlFrom } from '../db/keys';
import { notFound } from '../core/errors';
import { log } from '../core/logger';

/** A deletion's record stays this long after it started (and after it finished), then expires. */
export const deletionKeptDays = 30;
/**
 * A deletion whose sweep saved no progress for this long has stopped (Lambda gave up on it): the
 * next DELETE starts it again. One that never started (the invoke failed) is started again sooner.
 * Two sweeps at once do no harm: deleting what is gone is no error.
 */
const stalledAfterMs = 20 * 60_000;
const notStartedAfterMs = 2 * 60_000;

const organisation = { en: 'The organisation', fr: 'L’organisation' };

export const keptUntil = (from: Date) => ttlFrom(new Date(from.getTime() + deletionKeptDays * 86_400_000));

export const deletionView = (record: DeletionRecord) => ({
  tenantId: record.tenantId,
  status: record.status,
  startedAt: record.startedAt,
  ...(record.finishedAt !== undefined ? { finishedAt: record.finishedAt } : {}),
  itemsDeleted: record.itemsDeleted,
  objectsDeleted: record.objectsDeleted,
});

const startSweep = (tenantId: string) => invokeInBackground(config.TENANT_SWEEP_FUNCTION_NAME, { tenantId });

/**
 * Starts deleting an organisation, or answers the deletion already under way or finished.
 * The record and the tenant's `deleting` mark are written together, so of DELETEs sent at
 * once exactly one starts the sweep.
 */
export async function deleteTenant(tenantId: string, clientIp: string) {
  const existing = await getDeletion(tenantId);
  if (existing) return deletionView(await restartIfStalled(existing));
  const tenant = await getTenant(tenantId);
  if (!tenant) {
    // A DELETE sent at the same moment may have marked it deleting since this one read no record.
    const started = await getDeletion(tenantId);
    if (started) return deletionView(started);
    throw notFound(organisation);
  }
  const now = new Date();
  const record: DeletionRecord = {
    tenantId,
    domain: tenant.domain,
    status: 'deleting',
    startedAt: now.toISOString(),
    itemsDeleted: 0,
    objectsDeleted: 0,
    step: 0,
    progressAt: now.toISOString(),
    requestedBy: { kind: 'operator', clientIp },
    ttl: keptUntil(now),
  };
  const outcome = await startDeletion(record);
  if (outcome === 'no_tenant') throw notFound(organisation);
  if (outcome === 'already_deleting') return deletionView((await getDeletion(tenantId))!);
  log('info', 'tenant deletion started', { tenantId });
  await startSweep(tenantId);
  return deletionView(record);
}

async function restartIfStalled(record: DeletionRecord): Promise<DeletionRecord> {
  const quietMs = Date.now() - Date.parse(record.progressAt);
  const neverStarted = record.step === 0 && record.itemsDeleted === 0 && record.objectsDeleted === 0;
  if (record.status === 'deleting' && (quietMs > stalledAfterMs || (neverStarted && quietMs > notStartedAfterMs))) {
    log('warn', 'stalled tenant deletion started again', { tenantId: record.tenantId });
    await startSweep(record.tenantId);
  }
  return record;
}

export async function getTenantDeletion(tenantId: string) {
  const record = await getDeletion(tenantId);
  if (!record) throw notFound({ en: 'A deletion of this organisation', fr: 'Une suppression de cette organisation' });
  return deletionView(record);
}

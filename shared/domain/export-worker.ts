import { decryptAccessCode, formatAccessCode } from '../auth/access-codes';
import { writeObject } from '../aws/bucket';
import { allInvitations, finishExport, getExport } from '../db/exports';
import { listGroups } from '../db/groups';
import { getTenant } from '../db/tenants';
import { XlsxWriter, xlsxContentType } from '../excel/write';
import { failWorkerIfAsked } from '../faults';
import { appendLogKeys, log } from '../core/logger';
import { countMetric } from '../core/metrics';
import { metricNames } from '../core/metric-names';
import { exportColumns } from './exports';
import { publicInvitation } from './invitations';

/** The export worker's side, apart from the routes' (shared/domain/exports.ts), so that their bundles stay small. */
async function groupNames(tenantId: string): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  let cursor: string | undefined;
  do {
    const page = await listGroups(tenantId, { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const group of page.items) names.set(group.id, group.name);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return names;
}

/**
 * The worker: one row per invitation, written as it is read, so memory follows the
 * compressed file and not the number of invitations. Access codes only for pending ones.
 */
export async function writeInvitationsExport(tenantId: string, exportId: string): Promise<void> {
  appendLogKeys({ tenantId, exportId });
  const record = await getExport(tenantId, exportId);
  if (!record || record.status !== 'running') {
    log('info', 'export event ignored', { status: record?.status ?? 'unknown' });
    return;
  }
  failWorkerIfAsked(tenantId);
  const tenant = await getTenant(tenantId);
  if (!tenant) {
    if (await finishExport(record, { status: 'failed', count: 0, failure: { code: 'tenant_missing', message: 'The organisation no longer exists.' } })) countMetric(metricNames.exportsFailed);
    return;
  }
  const groups = await groupNames(tenantId);
  const wanted = record.statuses ? new Set(record.statuses) : undefined;
  const writer = new XlsxWriter('Invitations', [...exportColumns]);
  const now = new Date().toISOString();
  let count = 0;
  for await (const page of allInvitations(tenantId)) {
    for (const invitation of page) {
      const shown = publicInvitation(invitation, tenant.domain, now);
      if (wanted && !wanted.has(shown.status)) continue;
      const code = shown.status === 'pending' && invitation.codeCiphertext ? formatAccessCode(await decryptAccessCode(invitation.codeCiphertext, invitation.id)) : '';
      writer.addRow([
        shown.uid,
        shown.signInIdentifier,
        shown.role,
        shown.status,
        code,
        shown.expiresAt,
        shown.createdAt,
        shown.firstName ?? '',
        shown.lastName ?? '',
        shown.groupIds.map((id) => groups.get(id)).filter((name) => name !== undefined).join(', '),
      ]);
      count++;
    }
  }
  await writeObject(record.fileKey, writer.finish(), xlsxContentType);
  if (await finishExport(record, { status: 'completed', count })) countMetric(metricNames.exportsCompleted);
  log('info', 'export completed', { count });
}

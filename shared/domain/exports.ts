import { newId } from '../auth/tokens';
import { decryptAccessCode, formatAccessCode } from '../auth/access-codes';
import { config } from '../config';
import { putAudit } from '../db/audit';
import { presignDownload, presignedUrlSeconds, writeObject } from '../db/files';
import { allInvitations, finishExport, getExport, putExport, type ExportRecord } from '../db/exports';
import { invokeInBackground } from '../db/functions';
import { listGroups } from '../db/groups';
import { getTenant } from '../db/tenants';
import { XlsxWriter, xlsxContentType } from '../excel/write';
import { failWorkerIfAsked } from '../faults';
import { log } from '../http/logger';
import type { CreateExportInput } from '../schemas/exports';
import { notFound } from './errors';
import { publicInvitation } from './invitations';
import type { Principal } from './principal';

const exportFileKey = (tenantId: string, exportId: string) => `exports/${tenantId}/${exportId}/invitations.xlsx`;

export const exportColumns = ['uid', 'sign-in identifier', 'role', 'status', 'access code', 'expires at', 'created at', 'first name', 'last name', 'groups'] as const;

/** "Export all the invitations": answers at once; a worker writes the file. */
export async function startExport(principal: Principal, input: CreateExportInput) {
  const id = newId();
  const record: ExportRecord = {
    id,
    tenantId: principal.tenant.id,
    kind: input.kind,
    ...(input.status ? { statuses: [...new Set(input.status)] } : {}),
    status: 'running',
    fileKey: exportFileKey(principal.tenant.id, id),
    createdAt: new Date().toISOString(),
    createdBy: principal.user.id,
  };
  await putExport(record);
  await putAudit(principal.tenant.id, {
    at: record.createdAt,
    actor: { kind: 'user', userId: principal.user.id },
    action: 'export.created',
    target: { type: 'export', id },
    details: { kind: input.kind, ...(record.statuses ? { statuses: record.statuses } : {}) },
  });
  await invokeInBackground(config.EXPORT_FUNCTION_NAME, { tenantId: record.tenantId, exportId: id });
  return { id, status: record.status, createdAt: record.createdAt };
}

/** The export's state; a completed one comes with a fresh 15-minute download URL (recorded in the audit log). */
export async function describeExport(principal: Principal, exportId: string) {
  const record = await getExport(principal.tenant.id, exportId);
  if (!record) throw notFound('The export');
  const base = {
    id: record.id,
    status: record.status,
    createdAt: record.createdAt,
    ...(record.completedAt ? { completedAt: record.completedAt } : {}),
    ...(record.count !== undefined ? { count: record.count } : {}),
    ...(record.failure ? { failure: record.failure } : {}),
  };
  if (record.status !== 'completed') return base;
  const expiresAt = new Date(Date.now() + presignedUrlSeconds * 1000).toISOString();
  const downloadUrl = await presignDownload(record.fileKey, `invitations-${record.createdAt.slice(0, 10)}.xlsx`);
  await putAudit(principal.tenant.id, {
    at: new Date().toISOString(),
    actor: { kind: 'user', userId: principal.user.id },
    action: 'export.downloaded',
    target: { type: 'export', id: record.id },
  });
  return { ...base, downloadUrl, expiresAt };
}

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
  const record = await getExport(tenantId, exportId);
  if (!record || record.status !== 'running') {
    log('info', 'export event ignored', { tenantId, exportId, status: record?.status ?? 'unknown' });
    return;
  }
  failWorkerIfAsked(tenantId);
  const tenant = await getTenant(tenantId);
  if (!tenant) return finishExport(record, { status: 'failed', count: 0, failure: { code: 'tenant_missing', message: 'The organisation no longer exists.' } });
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
  await finishExport(record, { status: 'completed', count });
  log('info', 'export completed', { tenantId, exportId, count });
}

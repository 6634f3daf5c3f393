import { newId } from '../auth/tokens';
import { auditBy } from './audit';
import { config } from '../config';
import { putAudit } from '../db/audit';
import { presignDownload, presignedUrlSeconds } from '../aws/bucket';
import { getExport, putExport, type ExportRecord } from '../db/exports';
import { invokeInBackground } from '../aws/invoke';
import { fileAreas } from './tenant-files';
import type { CreateExportInput } from '../schemas/exports';
import { notFound } from '../core/errors';
import { actorIdOf, type Principal } from './principal';

const exportFileKey = (tenantId: string, exportId: string) => `${fileAreas.exports}${tenantId}/${exportId}/invitations.xlsx`;

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
    createdBy: actorIdOf(principal),
  };
  await putExport(record);
  await putAudit(principal.tenant.id, auditBy(principal, 'export.created', { type: 'export', id }, { kind: input.kind, ...(record.statuses ? { statuses: record.statuses } : {}) }, record.createdAt));
  await invokeInBackground(config.EXPORT_FUNCTION_NAME, { tenantId: record.tenantId, exportId: id });
  return { id, status: record.status, createdAt: record.createdAt };
}

/** The export's state; a completed one comes with a fresh 15-minute download URL (recorded in the audit log). */
export async function describeExport(principal: Principal, exportId: string) {
  const record = await getExport(principal.tenant.id, exportId);
  if (!record) throw notFound({ en: 'The export', fr: 'L’export' });
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
  await putAudit(principal.tenant.id, auditBy(principal, 'export.downloaded', { type: 'export', id: record.id }));
  return { ...base, downloadUrl, expiresAt };
}

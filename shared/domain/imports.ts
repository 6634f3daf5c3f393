import { newId } from '../auth/tokens';
import { auditBy } from './audit';
import { putAudit } from '../db/audit';
import { objectSize, presignDownload, presignUpload, presignedUrlSeconds } from '../aws/bucket';
import { getImport, listRowErrors, noCounts, putImport, type ImportRecord } from '../db/imports';
import { importLimits } from '../excel/limits';
import { XlsxWriter, xlsxContentType } from '../excel/write';
import type { CreateImportInput, ImportStatusInput, ImportTemplateInput } from '../schemas/imports';
import { DomainError, notFound } from '../core/errors';
import { requireSignInWithoutEmail } from './settings';
import { importFiles } from './import-files';
import { actorIdOf, createdByKeyOf, type Principal } from './principal';

/** Creates an import and the presigned URL to upload its file to. */
export async function startImport(principal: Principal, input: CreateImportInput) {
  await requireSignInWithoutEmail(principal);
  const id = newId();
  const tenantId = principal.tenant.id;
  const now = new Date();
  const record: ImportRecord = {
    id,
    tenantId,
    status: 'awaiting_upload',
    dryRun: input.dryRun,
    mode: input.mode,
    ...(input.allowMassRemoval ? { allowMassRemoval: true } : {}),
    ...(input.fileName ? { fileName: input.fileName } : {}),
    uploadKey: importFiles.upload(tenantId, id),
    reportKey: importFiles.report(tenantId, id),
    uploadExpiresAt: new Date(now.getTime() + presignedUrlSeconds * 1000).toISOString(),
    createdAt: now.toISOString(),
    createdBy: actorIdOf(principal),
    ...createdByKeyOf(principal),
    ...noCounts(),
    ignoredColumns: [],
  };
  await putImport(record);
  await putAudit(tenantId, auditBy(principal, 'import.created', { type: 'import', id }, { dryRun: input.dryRun, mode: input.mode, ...(input.fileName ? { fileName: input.fileName } : {}) }, record.createdAt));
  return {
    id,
    status: 'awaiting_upload' as const,
    dryRun: input.dryRun,
    mode: input.mode,
    uploadUrl: await presignUpload(record.uploadKey, xlsxContentType),
    uploadMethod: 'PUT' as const,
    uploadHeaders: { 'content-type': xlsxContentType },
    expiresAt: record.uploadExpiresAt,
    maxBytes: importLimits.maxBytes,
    maxRows: importLimits.maxRows,
  };
}

async function findImport(principal: Principal, importId: string): Promise<ImportRecord> {
  const record = await getImport(principal.tenant.id, importId);
  if (!record) throw notFound({ en: 'The import', fr: 'L’import' });
  return record;
}

export async function describeImport(principal: Principal, importId: string, query: ImportStatusInput) {
  const record = await findImport(principal, importId);
  const errors = await listRowErrors(principal.tenant.id, importId, { limit: query.errorsLimit, ...(query.errorsCursor ? { cursor: query.errorsCursor } : {}) });
  return {
    id: record.id,
    status: record.status,
    dryRun: record.dryRun,
    mode: record.mode,
    ...(record.fileName ? { fileName: record.fileName } : {}),
    totalRows: record.totalRows,
    processedRows: record.processedRows,
    invitedCount: record.invitedCount,
    unchangedCount: record.unchangedCount,
    updatedCount: record.updatedCount,
    failedCount: record.failedCount,
    deactivatedCount: record.deactivatedCount,
    revokedCount: record.revokedCount,
    ignoredColumns: record.ignoredColumns,
    ...(record.failure ? { failure: record.failure } : {}),
    errors: errors.items,
    errorsNextCursor: errors.nextCursor,
    createdAt: record.createdAt,
    ...(record.completedAt ? { completedAt: record.completedAt } : {}),
  };
}

/**
 * Where to download the report (the uploaded rows with a status and a reason column) that
 * the import wrote when it finished: a presigned URL, so that S3 serves the file whatever its size.
 */
export async function importReportLink(principal: Principal, importId: string): Promise<{ downloadUrl: string; expiresAt: string }> {
  const record = await findImport(principal, importId);
  if (record.status !== 'completed') {
    throw new DomainError('import_not_finished', record.status === 'failed'
        ? { en: `The import failed (${record.failure?.code}); there is no row report.`, fr: `L’import a échoué (${record.failure?.code}) ; il n’y a pas de rapport par ligne.` }
        : { en: 'The import has not finished yet.', fr: 'L’import n’est pas encore terminé.' });
  }
  if ((await objectSize(record.reportKey)) === undefined) throw new DomainError('import_not_finished', { en: 'The report is no longer kept (files expire after a few days).', fr: 'Le rapport n’est plus conservé (les fichiers expirent après quelques jours).' });
  const fileName = `${(record.fileName ?? 'import').replace(/\.xlsx$/i, '').replace(/[^A-Za-z0-9 ._-]/g, '_')}-report.xlsx`;
  const expiresAt = new Date(Date.now() + presignedUrlSeconds * 1000).toISOString();
  return { downloadUrl: await presignDownload(record.reportKey, fileName), expiresAt };
}

/** The columns of the template and of the report, by language. */
export const importColumns = {
  en: ['uid', 'first name', 'last name', 'role', 'groups'],
  fr: ['Identifiant', 'Prénom', 'Nom', 'Rôle', 'Groupes'],
} as const;

const templateExamples = {
  en: { sheet: 'Invitations', row: ['E1042', 'Ada', 'Lovelace', 'member', 'Engineering; London'] },
  fr: { sheet: 'Invitations', row: ['E1042', 'Marie', 'Curie', 'membre', 'Recherche; Paris'] },
} as const;

/** The template: the header row and one example row, in English or French. */
export function importTemplate(language: ImportTemplateInput['language']): Uint8Array {
  const example = templateExamples[language];
  const writer = new XlsxWriter(example.sheet, [...importColumns[language]]);
  writer.addRow([...example.row]);
  return writer.finish();
}

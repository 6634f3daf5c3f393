import * as z from 'zod';
import { Timestamp } from './common';

export const CreateImportBody = z.strictObject({
  fileName: z.string().trim().min(1).max(200).optional().meta({ description: 'The name of the file, shown back in the status and the report.' }),
  dryRun: z.boolean().default(false).meta({ description: 'Check every row and change nothing; the status and report say what would happen, with every count.' }),
  mode: z
    .enum(['add', 'sync'])
    .default('add')
    .meta({
      description:
        'add: invite the new uids; a uid that a user or a pending invitation already holds is unchanged. sync: also bring those people\'s names, role and groups to the file\'s, and deactivate every active user (with a uid, never an admin) and revoke every pending invitation whose uid is not in the file.',
    }),
  allowMassRemoval: z
    .boolean()
    .default(false)
    .meta({ description: 'A sync that would deactivate or revoke more than half of the people it manages (and at least 10) fails with sync_removes_too_many, changing nothing, unless this is true.' }),
});
export type CreateImportInput = z.infer<typeof CreateImportBody>;

const Mode = z.enum(['add', 'sync']);

export const CreatedImport = z.object({
  id: z.string(),
  status: z.literal('awaiting_upload'),
  dryRun: z.boolean(),
  mode: Mode,
  uploadUrl: z.string().meta({ description: 'PUT the .xlsx here, with uploadHeaders, before expiresAt.' }),
  uploadMethod: z.literal('PUT'),
  uploadHeaders: z.record(z.string(), z.string()),
  expiresAt: Timestamp,
  maxBytes: z.number().int(),
  maxRows: z.number().int(),
});

export const ImportStatusQuery = z.strictObject({
  errorsLimit: z.coerce.number().int().min(1).max(100).default(100),
  errorsCursor: z.string().min(1).max(2048).optional(),
});
export type ImportStatusInput = z.infer<typeof ImportStatusQuery>;

export const ImportStatus = z.object({
  id: z.string(),
  status: z.enum(['awaiting_upload', 'processing', 'completed', 'failed']),
  dryRun: z.boolean(),
  mode: Mode,
  fileName: z.string().optional(),
  totalRows: z.number().int(),
  processedRows: z.number().int(),
  invitedCount: z.number().int().meta({ description: 'Invited (on a dry run: would be invited).' }),
  unchangedCount: z.number().int().meta({ description: 'Rows whose uid a user or a pending invitation of the organisation already holds, left as they are (add), or already as in the file (sync).' }),
  updatedCount: z.number().int().meta({ description: 'Sync: users and pending invitations whose names, role or groups were brought to the file\'s (on a dry run: would be).' }),
  failedCount: z.number().int(),
  deactivatedCount: z.number().int().meta({ description: 'Sync: active users whose uid is not in the file, deactivated (on a dry run: would be). Set when the import completes.' }),
  revokedCount: z.number().int().meta({ description: 'Sync: pending invitations whose uid is not in the file, revoked (on a dry run: would be). Set when the import completes.' }),
  ignoredColumns: z.array(z.string()).meta({ description: 'Header cells of the file that match no column; their cells were not read.' }),
  failure: z.object({ code: z.string(), message: z.string() }).optional(),
  errors: z.array(z.object({ row: z.number().int(), uid: z.string(), code: z.string(), message: z.string() })),
  errorsNextCursor: z.string().nullable(),
  createdAt: Timestamp,
  completedAt: Timestamp.optional(),
});

export const ImportReportLink = z.object({
  downloadUrl: z.string().meta({ description: 'Presigned GET of the report .xlsx, valid until expiresAt (15 minutes).' }),
  expiresAt: Timestamp,
});

export const ImportTemplateQuery = z.strictObject({
  language: z.enum(['en', 'fr']).default('en').meta({ description: 'The language of the headers and of the example row.' }),
});
export type ImportTemplateInput = z.infer<typeof ImportTemplateQuery>;

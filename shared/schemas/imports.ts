import * as z from 'zod';
import { Timestamp } from './common';

export const CreateImportBody = z.strictObject({
  fileName: z.string().trim().min(1).max(200).optional().meta({ description: 'The name of the file, shown back in the status and the report.' }),
  dryRun: z.boolean().default(false).meta({ description: 'Check every row and write no invitation; the status and report say what would happen.' }),
});
export type CreateImportInput = z.infer<typeof CreateImportBody>;

export const CreatedImport = z.object({
  id: z.string(),
  status: z.literal('awaiting_upload'),
  dryRun: z.boolean(),
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
  fileName: z.string().optional(),
  totalRows: z.number().int(),
  processedRows: z.number().int(),
  invitedCount: z.number().int().meta({ description: 'Invited (on a dry run: would be invited).' }),
  failedCount: z.number().int(),
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

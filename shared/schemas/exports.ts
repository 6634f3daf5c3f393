import * as z from 'zod';
import { Timestamp } from './common';
import { InvitationStatus } from './invitations';

export const CreateExportBody = z.strictObject({
  kind: z.literal('invitations'),
  status: z.array(InvitationStatus).min(1).max(4).optional().meta({ description: 'Only invitations in these statuses (default: all).' }),
});
export type CreateExportInput = z.infer<typeof CreateExportBody>;

export const ExportState = z.object({
  id: z.string(),
  status: z.enum(['running', 'completed', 'failed']),
  count: z.number().int().optional().meta({ description: 'Rows in the file, once completed.' }),
  downloadUrl: z.string().optional().meta({ description: 'Presigned GET of the .xlsx, valid until expiresAt (15 minutes); each read of a completed export issues a fresh one.' }),
  expiresAt: Timestamp.optional(),
  createdAt: Timestamp,
  completedAt: Timestamp.optional(),
  failure: z.object({ code: z.string(), message: z.string() }).optional(),
});

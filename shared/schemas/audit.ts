import * as z from 'zod';
import { Timestamp } from './common';
import { pageOf } from './pagination';

export const AuditEntry = z.object({
  at: Timestamp,
  actor: z.object({ kind: z.enum(['user', 'operator', 'system']), userId: z.string().optional() }),
  action: z
    .string()
    .meta({ description: 'settings.updated, access_code.viewed, access_code.regenerated, invitation.revoked, password.reset, password.changed, export.created, export.downloaded, import.created, import.completed' }),
  target: z.object({ type: z.string(), id: z.string() }),
  details: z.record(z.string(), z.unknown()).optional().meta({ description: 'Facts about the action; never a secret.' }),
});
export const AuditPage = pageOf(AuditEntry);

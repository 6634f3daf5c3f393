import * as z from 'zod';
import { Timestamp } from './common';
import { pageOf } from './pagination';

export const AuditEntry = z.object({
  at: Timestamp,
  actor: z.object({
    kind: z.enum(['user', 'operator', 'system', 'apiKey']),
    userId: z.string().optional(),
    apiKeyId: z.string().optional().meta({ description: 'For an API key: its id.' }),
    signInIdentifier: z.string().optional().meta({ description: 'The acting person\'s sign-in identifier when they acted.' }),
    name: z.string().optional().meta({ description: 'The acting person\'s name as it is now (none once the person is deleted), or the API key\'s name.' }),
  }),
  action: z
    .string()
    .meta({ description: 'settings.updated, access_code.viewed, access_code.regenerated, invitation.revoked, invitation.updated, password.reset, password.changed, password.reset_with_code, reset_code.issued, user.updated, user.deactivated, user.reactivated, user.signed_out_everywhere, user.deleted, export.created, export.downloaded, letters.created, letters.completed, letters.failed, letters.downloaded, import.created, import.completed, import.failed, api_key.created, api_key.revoked' }),
  target: z.object({
    type: z.string().meta({ description: 'user, invitation, tenant, import, export, group, letters or apiKey' }),
    id: z.string(),
    signInIdentifier: z.string().optional().meta({ description: 'For a person or an invitation: the sign-in identifier at the time.' }),
    name: z.string().optional().meta({ description: 'For a person: the name as it is now; none once the person is deleted.' }),
  }),
  details: z.record(z.string(), z.unknown()).optional().meta({ description: 'Facts about the action; never a secret.' }),
});
export const AuditPage = pageOf(AuditEntry);

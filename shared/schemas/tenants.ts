import * as z from 'zod';
import { Domain, Email, Id, PasswordInput, Timestamp } from './common';
import { Settings } from './settings';

export const CreateTenantBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  domain: Domain,
  admin: z.strictObject({ email: Email, password: PasswordInput }),
});
export type CreateTenantInput = z.infer<typeof CreateTenantBody>;

export const Tenant = z.object({ id: Id, name: z.string(), domain: z.string(), settings: Settings });

export const CreatedTenant = z.object({
  tenant: Tenant,
  admin: z.object({ id: Id, email: z.string() }),
});

export const TenantDeletion = z.object({
  tenantId: Id,
  status: z.enum(['deleting', 'deleted']).meta({ description: 'deleting while the sweep runs; deleted once every item and file is gone and the domain is free' }),
  startedAt: Timestamp,
  finishedAt: Timestamp.optional(),
  itemsDeleted: z.number().int().min(0).meta({ description: 'Table items the sweep found and deleted so far (progress, not an audit: a retried page may count again)' }),
  objectsDeleted: z.number().int().min(0).meta({ description: 'Files (uploads, reports, exports, letters) deleted so far' }),
});

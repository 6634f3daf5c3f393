import * as z from 'zod';
import { Domain, Email, Id, PasswordInput } from './common';
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

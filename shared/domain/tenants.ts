import { config } from '../config';
import { checkPasswordPolicy, hashPassword } from '../auth/passwords';
import { newId } from '../auth/tokens';
import { putTenantWithAdmin, type TenantRecord } from '../db/tenants';
import { newUserRecord } from './users';
import type { CreateTenantInput } from '../schemas/tenants';
import { settingDefaults } from '../schemas/settings';
import { DomainError } from '../core/errors';


export async function createTenant(input: CreateTenantInput) {
  const password = checkPasswordPolicy(input.admin.password);
  const now = new Date().toISOString();
  const tenant: TenantRecord = { id: newId(), name: input.name, domain: input.domain, settings: { ...settingDefaults }, createdAt: now, activeAdmins: 1 };
  const admin = newUserRecord(
    tenant,
    { id: newId(), role: 'admin', email: input.admin.email, passwordHash: await hashPassword(password, config.BCRYPT_COST), groupIds: [] },
    now,
  );
  const outcome = await putTenantWithAdmin(tenant, admin);
  if (outcome === 'domain_taken') throw new DomainError('domain_taken', { en: `The domain ${tenant.domain} belongs to another organisation.`, fr: `Le domaine ${tenant.domain} appartient à une autre organisation.` });
  if (outcome === 'email_taken') throw new DomainError('email_taken', { en: 'That email address is already in use.', fr: 'Cette adresse e-mail est déjà utilisée.' });
  return {
    tenant: { id: tenant.id, name: tenant.name, domain: tenant.domain, settings: tenant.settings },
    admin: { id: admin.id, email: admin.email },
  };
}

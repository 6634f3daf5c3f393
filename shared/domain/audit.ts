import { listAuditEntries } from '../db/audit';
import type { PageInput } from '../schemas/pagination';
import type { Principal } from './principal';

/** The tenant's audit log, newest first. */
export function listAudit(principal: Principal, page: PageInput) {
  return listAuditEntries(principal.tenant.id, page);
}

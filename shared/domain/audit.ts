import { listAuditEntries, type AuditEntry } from '../db/audit';
import type { PageInput } from '../schemas/pagination';
import type { Principal } from './principal';

/** The tenant's audit log, newest first. */
export function listAudit(principal: Principal, page: PageInput) {
  return listAuditEntries(principal.tenant.id, page);
}

/** An audit entry of an action a signed-in user took now (or at `at`), on one target. */
export function auditBy(principal: Principal, action: string, target: AuditEntry['target'], details?: Record<string, unknown>, at = new Date().toISOString()): AuditEntry {
  return { at, actor: { kind: 'user', userId: principal.user.id }, action, target, ...(details ? { details } : {}) };
}

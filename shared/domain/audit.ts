import { listAuditEntries, type AuditEntry } from '../db/audit';
import { getUserNames } from '../db/users';
import type { PageInput } from '../schemas/pagination';
import { actorOf, fullName, signInIdentifierOf, type Principal } from './principal';

/**
 * The tenant's audit log, newest first, naming people: the sign-in identifier an entry kept,
 * and the name as it is now, looked up when the log is read. So a deleted person's name is
 * in no entry, and an entry never holds a name that could outlive its owner.
 */
export async function listAudit(principal: Principal, page: PageInput) {
  const entries = await listAuditEntries(principal.tenant.id, page);
  const userIds = new Set(entries.items.flatMap((entry) => [entry.actor.userId, entry.target.type === 'user' ? entry.target.id : undefined].filter((id): id is string => id !== undefined)));
  const people = await getUserNames(principal.tenant.id, [...userIds]);
  const described = (id: string | undefined, kept: string | undefined) => {
    const person = id === undefined ? undefined : people.get(id);
    const signInIdentifier = kept ?? (person ? signInIdentifierOf(person, principal.tenant.domain) : undefined);
    const name = person ? fullName(person) : undefined;
    return { ...(signInIdentifier !== undefined ? { signInIdentifier } : {}), ...(name !== undefined ? { name } : {}) };
  };
  return {
    items: entries.items.map((entry) => ({
      ...entry,
      actor: { ...entry.actor, ...described(entry.actor.userId, entry.actor.signInIdentifier) },
      target: { ...entry.target, ...(entry.target.type === 'user' ? described(entry.target.id, entry.target.signInIdentifier) : {}) },
    })),
    nextCursor: entries.nextCursor,
  };
}

/** An audit entry of an action a signed-in user or an API key took now (or at `at`), on one target. */
export function auditBy(principal: Principal, action: string, target: AuditEntry['target'], details?: Record<string, unknown>, at = new Date().toISOString()): AuditEntry {
  return { at, actor: actorOf(principal), action, target, ...(details ? { details } : {}) };
}

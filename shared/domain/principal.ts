import type { UserRecord } from '../db/users';
import type { AuditEntry } from '../db/audit';
import type { ApiKeyScope } from '../schemas/api-keys';

/** What never changes about a tenant. Its settings do change: read them where they matter (tenantSettings). */
export interface TenantIdentity {
  id: string;
  name: string;
  domain: string;
}

/** The signed-in caller, as read from the user item (which holds the session) in the request's one read. */
export interface PersonPrincipal {
  kind: 'user';
  user: UserRecord;
  tenant: TenantIdentity;
  tokenHash: string;
  sessionExpiresAt: string;
  /** The tenant's group names, where the route asked for them with the session's read (readsGroupNames). */
  groupNames?: ReadonlyMap<string, string>;
}

/** A system of the tenant calling with an API key, as read from the key's item in the request's one read. */
export interface KeyPrincipal {
  kind: 'apiKey';
  apiKey: { id: string; name: string; scopes: readonly ApiKeyScope[] };
  tenant: TenantIdentity;
}

/** Who calls an admin route: a person, or (on a route with a scope) an API key. */
export type Principal = PersonPrincipal | KeyPrincipal;

/** Who the audit log names as having done something: the person, or the key. */
export function actorOf(principal: Principal): AuditEntry['actor'] {
  return principal.kind === 'user'
    ? { kind: 'user', userId: principal.user.id, signInIdentifier: signInIdentifierOf(principal.user, principal.tenant.domain) }
    : { kind: 'apiKey', apiKeyId: principal.apiKey.id, name: principal.apiKey.name };
}

/** The id kept as createdBy on what a caller creates: the person's user id, or the key's id. */
export const actorIdOf = (principal: Principal): string => (principal.kind === 'user' ? principal.user.id : principal.apiKey.id);

/** On a job a key started (an import, a letter run): the key, so that the worker's entries name it. */
export const createdByKeyOf = (principal: Principal): { createdByKey?: { id: string; name: string } } =>
  principal.kind === 'apiKey' ? { createdByKey: { id: principal.apiKey.id, name: principal.apiKey.name } } : {};

export interface Operator {
  kind: 'operator';
}

export type Caller = Principal | Operator;

/** A person's first and last name as one, or undefined when they have neither. */
export const fullName = (person: { firstName?: string; lastName?: string }) => [person.firstName, person.lastName].filter(Boolean).join(' ') || undefined;

export const signInIdentifierOf = (user: Pick<UserRecord, 'email' | 'uid'>, domain: string): string =>
  user.uid !== undefined ? `${user.uid}:${domain}` : (user.email ?? '');
